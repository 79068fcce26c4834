using System.Text.Json;
using Seqs.Device.Web;
using Seqs.Scheduling;

namespace Seqs.Device.Mqtt;

/// <summary>The device for its MQTT client: the web interface's status and LED, read and switched on the stack's loop.</summary>
internal sealed class CollectedDeviceState(NetLoop loop, DeviceStatusCollector collector, ILed led) : IMqttDeviceState
{
    public Task<DeviceSnapshot> ReadAsync(CancellationToken cancellationToken) => loop.InvokeAsync(() =>
    {
        DeviceStatus status = collector.RefreshStatus();
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(status, DeviceJsonContext.Default.DeviceStatus);
        return Task.FromResult(new DeviceSnapshot(json, ChangeKey(status), status.LedOn));
    });

    public Task<bool> SwitchLedAsync(LedCommand command, CancellationToken cancellationToken) => loop.InvokeAsync(() =>
    {
        led.Switch(command switch
        {
            LedCommand.On => true,
            LedCommand.Off => false,
            _ => !led.IsOn,
        });
        return Task.FromResult(led.IsOn);
    });

    /// <summary>The fields that are state rather than running figures (time, uptime, counters).</summary>
    private static string ChangeKey(DeviceStatus s) =>
        $"{s.Address}/{s.PrefixLength} {s.Gateway} {string.Join(',', s.DnsServers)} {s.Lease?.Server} {s.LinkUp} {s.TimeSynchronized} {s.LedOn}";
}
