using Seqs.Dhcp;
using Seqs.Drivers.Enc28j60;
using Seqs.Http;
using Seqs.Mdns;
using Seqs.Stack;
using Seqs.Tcp;

namespace Seqs.Device.Web;

/// <summary><c>/api/stats</c>: every counter of the stack, the HTTP server, the NIC and the DHCP and mDNS services, as the components keep them.</summary>
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

    /// <summary>The DHCP client's counters; null without <c>--dhcp</c>.</summary>
    public DhcpClientCounters? DhcpClient { get; set; }

    /// <summary>The DHCP server's counters (refused new clients, exhausted pool, conflicts); null without <c>--dhcp-server</c>.</summary>
    public DhcpServerCounters? DhcpServer { get; set; }

    /// <summary>The mDNS responder's counters; null without <c>--hostname</c>.</summary>
    public MdnsResponderCounters? Mdns { get; set; }

    /// <summary>The MQTT client's state and counters; null without <c>--mqtt-broker</c>.</summary>
    public Mqtt.MqttClientStatus? Mqtt { get; set; }
}
