namespace Seqs.Device.Mqtt;

/// <summary>
/// The device's MQTT client as the <c>--mqtt-*</c> switches set it up. The topics all start with
/// <see cref="TopicPrefix"/>: <c>PREFIX/status</c>, <c>PREFIX/availability</c>, <c>PREFIX/led/set</c> and <c>PREFIX/led/state</c>.
/// </summary>
/// <param name="Host">The broker: an IPv4 address, or a name resolved through the stack's DNS servers.</param>
/// <param name="Port">The broker's TCP port: 1883, or 8883 with TLS (the IANA ports of MQTT).</param>
/// <param name="UseTls">TLS (Seqs.Tls) with the broker's certificate checked against the system store or <paramref name="CaFile"/>.</param>
/// <param name="CaFile">The PEM CAs that TLS clients trust instead of the system store (<c>--ca-file</c>), or null.</param>
/// <param name="User">The MQTT user name (MQTT 3.1.1 §3.1.3.4), or null to connect without one.</param>
/// <param name="Password">The password of <paramref name="User"/>, or null.</param>
/// <param name="ClientId">The client identifier (MQTT 3.1.1 §3.1.3.1), or null for one made of the MAC address.</param>
/// <param name="TopicPrefix">The first levels of every topic, such as <c>seqs/kitchen</c>.</param>
/// <param name="Interval">How often the status is published when it does not change.</param>
/// <param name="KeepAlive">
/// MQTT 3.1.1 §3.1.2.10: the longest the client stays silent (MQTTnet pings within it); the broker drops a client
/// silent for 1.5 times it. Zero turns keep-alive off.
/// </param>
public sealed record MqttSettings(string Host, int Port, bool UseTls, string? CaFile, string? User, string? Password, string? ClientId, string TopicPrefix, TimeSpan Interval, TimeSpan KeepAlive)
{
    /// <summary>MQTT over TCP (IANA service name "mqtt").</summary>
    public const int PlainPort = 1883;

    /// <summary>MQTT over TLS (IANA service name "secure-mqtt").</summary>
    public const int TlsPort = 8883;

    /// <summary>The status interval unless <c>--mqtt-interval</c> says otherwise.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(60);

    /// <summary>The keep-alive unless <c>--mqtt-keepalive</c> says otherwise.</summary>
    public static readonly TimeSpan DefaultKeepAlive = TimeSpan.FromSeconds(30);

    /// <summary>Never prints the password (records print every member).</summary>
    public override string ToString() => $"{(UseTls ? "mqtts" : "mqtt")}://{(User is null ? "" : User + "@")}{Host}:{Port}/{TopicPrefix}";
}
