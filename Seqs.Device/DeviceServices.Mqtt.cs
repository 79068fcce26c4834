using Microsoft.Extensions.Logging;
using MQTTnet;
using Seqs.Device.Mqtt;
using Seqs.Device.Nics;
using Seqs.Stack;
using Seqs.Tls;

namespace Seqs.Device;

internal sealed partial class DeviceServices
{
    /// <summary>
    /// <c>--mqtt-broker</c>: the MQTT client, over the stack's TCP (and Seqs.Tls with <c>--mqtt-tls</c>), reporting the
    /// web interface's status and switching its LED; its state and counters join <c>/api/status</c> and <c>/api/stats</c>.
    /// </summary>
    /// <exception cref="DeviceStartException">The <c>--ca-file</c> holds no PEM certificate.</exception>
    private MqttDeviceClient StartMqtt(MqttSettings settings, OpenedNic nic, ILoggerFactory loggers)
    {
        TlsClientOptions? tls = settings.UseTls ? MqttTlsOptions(_stack, settings, Time) : null;
        string mac = _stack.MacAddress.ToString();
        string clientId = settings.ClientId ?? "seqs-" + mac.Replace(":", "", StringComparison.Ordinal);
        var topics = new MqttTopics(settings.TopicPrefix);
        string name = _options.HostName ?? DefaultName;
        var client = new MqttDeviceClient(
            new MqttClientFactory().CreateMqttClient(),
            MqttDeviceClient.Options(settings, clientId, topics, new StackStreamProvider(_stack, tls)),
            topics,
            HomeAssistantDiscovery.Documents(HomeAssistantDiscovery.NodeId(clientId), name, mac, nic.Description, topics),
            new CollectedDeviceState(_stack.Loop, Collector, _led),
            settings.Interval,
            _stack.Loop.TimeProvider,
            Random.Shared,
            settings.ToString(),
            loggers.CreateLogger("Seqs.Device.Mqtt"));
        Collector.Status.Mqtt = client.Status;
        Collector.Stats.Mqtt = client.Status;
        return client;
    }

    /// <summary>
    /// TLS to the broker: its certificate checked against the system store or <c>--ca-file</c>, at the network time
    /// when the device runs NTP (<paramref name="time"/>), since its own clock may say 1970 until NTP has answered.
    /// </summary>
    /// <exception cref="DeviceStartException">The <c>--ca-file</c> holds no PEM certificate.</exception>
    internal static TlsClientOptions MqttTlsOptions(NetStack stack, MqttSettings settings, NetworkTimeService? time)
    {
        var tls = new TlsClientOptions { Tcp = StackStreamProvider.TcpOptions(stack) };
        if (settings.CaFile is string caFile)
        {
            try
            {
                tls.TrustCaFile(caFile);
            }
            catch (ArgumentException e)
            {
                throw new DeviceStartException($"--ca-file: {e.Message}", e);
            }
        }
        if (time is not null)
            tls.VerificationTime = () => time.SynchronizedNow;
        return tls;
    }

    /// <summary>Connects once the stack has its address (from DHCP, perhaps), so that the first attempts do not fail for want of one.</summary>
    private async Task RunMqttAsync(MqttDeviceClient mqtt, CancellationToken cancellationToken)
    {
        try
        {
            await _stack.WhenConfiguredAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        await mqtt.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
