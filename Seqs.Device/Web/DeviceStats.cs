using Seqs.Drivers.Enc28j60;
using Seqs.Http;
using Seqs.Stack;
using Seqs.Tcp;

namespace Seqs.Device.Web;

/// <summary><c>/api/stats</c>: every counter of the stack, the HTTP server and the NIC, as the components keep them.</summary>
public sealed class DeviceStats
{
    public long UptimeSeconds { get; set; }

    public required NetStackCounters Stack { get; init; }

    public required TcpCounters Tcp { get; init; }

    public required HttpServerCounters Http { get; init; }

    public NicStatus Nic { get; } = new();

    public ProcessStats Process { get; } = new();

    /// <summary>The ENC28J60 driver's counters, when the NIC is one.</summary>
    public Enc28j60Counters? Enc28j60 { get; set; }

    /// <summary>The MQTT client's state and counters; null without <c>--mqtt-broker</c>.</summary>
    public Mqtt.MqttClientStatus? Mqtt { get; set; }
}
