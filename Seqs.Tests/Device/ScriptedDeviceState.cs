using System.Text;
using Seqs.Device.Mqtt;

namespace Seqs.Tests.Device;

/// <summary>A device whose state the test sets, counting how often the MQTT client read it.</summary>
internal sealed class ScriptedDeviceState : IMqttDeviceState
{
    private int _reads;

    public volatile bool LedOn;

    public volatile string ChangeKey = "address 10.0.0.2";

    public int Reads => Volatile.Read(ref _reads);

    public Task<DeviceSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult(new DeviceSnapshot(Encoding.UTF8.GetBytes($"{{\"state\":\"{ChangeKey}\"}}"), ChangeKey, LedOn));
    }

    public Task<bool> SwitchLedAsync(LedCommand command, CancellationToken cancellationToken)
    {
        LedOn = command switch
        {
            LedCommand.On => true,
            LedCommand.Off => false,
            _ => !LedOn,
        };
        return Task.FromResult(LedOn);
    }
}
