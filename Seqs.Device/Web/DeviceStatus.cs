namespace Seqs.Device.Web;

/// <summary>
/// <c>/api/status</c>: what the status page shows. One instance is refreshed in place for each request, and its
/// strings are kept until what they spell changes, so that serving it allocates nothing once warm.
/// </summary>
public sealed class DeviceStatus
{
    public string Name { get; set; } = "";

    public string Mac { get; set; } = "";

    /// <summary>The IPv4 address, or null before the stack has one.</summary>
    public string? Address { get; set; }

    public int? PrefixLength { get; set; }

    public string? Gateway { get; set; }

    public string[] DnsServers { get; set; } = [];

    /// <summary>Null without a DHCP lease (a static address, or none yet).</summary>
    public LeaseStatus? Lease { get; set; }

    public bool LinkUp { get; set; }

    /// <summary>Network time once synchronised, the device's own clock before.</summary>
    public DateTimeOffset Time { get; set; }

    public bool TimeSynchronized { get; set; }

    public string? TimeServer { get; set; }

    /// <summary>The last NTP offset, network time minus the local clock, in milliseconds.</summary>
    public double? TimeOffsetMs { get; set; }

    public long UptimeSeconds { get; set; }

    public bool LedOn { get; set; }

    public string Led { get; set; } = "";

    public TrafficCounters Counters { get; } = new();

    public NicStatus Nic { get; } = new();

    /// <summary>Null with <c>--https-port</c> off.</summary>
    public HttpsStatus? Https { get; set; }

    /// <summary>The MQTT client's state and counters; null without <c>--mqtt-broker</c>.</summary>
    public Mqtt.MqttClientStatus? Mqtt { get; set; }
}
