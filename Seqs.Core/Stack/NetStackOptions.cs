namespace Seqs.Stack;

/// <summary>Tunables of a <see cref="NetStack"/>. Every table and queue the stack keeps is bounded by one of these.</summary>
public sealed class NetStackOptions
{
    /// <summary>Entries in the ARP cache; when full, the least recently used resolved entry is replaced.</summary>
    public int ArpCacheSize { get; set; } = 32;

    /// <summary>How long a resolved ARP entry is trusted before it is refreshed (Linux uses 15–45 s; RFC 1122 §2.3.2.1 leaves it open).</summary>
    public TimeSpan ArpEntryLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Interval between ARP requests for one address; RFC 1122 §2.3.2.1 asks for at most one per second.</summary>
    public TimeSpan ArpRequestInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>ARP requests sent for one address before it is declared unreachable.</summary>
    public int ArpRequestAttempts { get; set; } = 3;

    /// <summary>Outgoing packets held while their next hop is being resolved (RFC 1122 §2.3.2.2: SHOULD keep at least one).</summary>
    public int ArpPendingPackets { get; set; } = 4;

    /// <summary>Frames held when the NIC pushes back; more are dropped and counted.</summary>
    public int TransmitQueueFrames { get; set; } = 4;

    /// <summary>Time to live of packets the stack originates (RFC 1700 default 64).</summary>
    public byte TimeToLive { get; set; } = 64;

    /// <summary>ICMP error messages allowed per second on average (RFC 1812 §4.3.2.8 rate limiting).</summary>
    public int IcmpErrorsPerSecond { get; set; } = 10;

    /// <summary>ICMP error messages allowed in a burst.</summary>
    public int IcmpErrorBurst { get; set; } = 10;

    /// <summary>UDP sockets that can be open at once.</summary>
    public int MaxUdpSockets { get; set; } = 16;

    /// <summary>Datagrams a UDP socket holds until the application reads them; more are dropped and counted.</summary>
    public int UdpReceiveQueueDatagrams { get; set; } = 8;

    /// <summary>TCP connections (any state, TIME-WAIT included) the stack keeps at once.</summary>
    public int MaxTcpConnections { get; set; } = 64;

    /// <summary>
    /// TCP connections in TIME-WAIT that no application holds, kept apart from <see cref="MaxTcpConnections"/> in a
    /// compact form (about 48 bytes each, as Linux's TIME-WAIT sockets); when full, the oldest wait ends early, as with
    /// Linux's <c>tcp_max_tw_buckets</c>. 0 keeps TIME-WAIT in the connection table instead.
    /// </summary>
    public int MaxTcpTimeWaits { get; set; } = 256;

    /// <summary>
    /// Control blocks of closed TCP connections kept for the next ones, so that opening a connection allocates
    /// nothing; each costs about half a kilobyte. The stack also keeps up to two rings (send and receive buffers)
    /// per pooled block from connections that closed, which the next connections of the same buffer sizes take
    /// instead of renting from the shared pool. 0 keeps none.
    /// </summary>
    public int PooledTcpConnections { get; set; } = 16;

    /// <summary>Multicast groups the interface can join.</summary>
    public int MaxMulticastGroups { get; set; } = 4;

    /// <summary>Echo requests that <see cref="NetStack.PingAsync"/> can have outstanding at once.</summary>
    public int MaxOutstandingPings { get; set; } = 4;

    /// <summary>
    /// The TCP options of connections and listeners made without their own: buffer sizes, congestion control
    /// (per stack here, per connection or listener by passing options there), timers and the rest.
    /// </summary>
    public Tcp.TcpConnectionOptions Tcp { get; set; } = new();

    internal void Validate()
    {
        if (Tcp is null)
            throw new ArgumentException("NetStackOptions.Tcp must be set (the default options of TCP connections).", nameof(Tcp));
        Tcp.Validate();
        Require(ArpCacheSize is >= 1 and <= 4096, nameof(ArpCacheSize), "1 to 4096 entries");
        Require(ArpEntryLifetime > TimeSpan.Zero, nameof(ArpEntryLifetime), "a positive time");
        Require(ArpRequestInterval > TimeSpan.Zero, nameof(ArpRequestInterval), "a positive time");
        Require(ArpRequestAttempts is >= 1 and <= 100, nameof(ArpRequestAttempts), "1 to 100");
        Require(ArpPendingPackets is >= 0 and <= 256, nameof(ArpPendingPackets), "0 to 256 packets");
        Require(TransmitQueueFrames is >= 0 and <= 256, nameof(TransmitQueueFrames), "0 to 256 frames");
        Require(TimeToLive >= 1, nameof(TimeToLive), "1 to 255");
        Require(IcmpErrorsPerSecond is >= 0 and <= 100_000, nameof(IcmpErrorsPerSecond), "0 to 100000");
        Require(IcmpErrorBurst is >= 0 and <= 100_000, nameof(IcmpErrorBurst), "0 to 100000");
        Require(MaxUdpSockets is >= 0 and <= 65535, nameof(MaxUdpSockets), "0 to 65535");
        Require(UdpReceiveQueueDatagrams is >= 1 and <= 4096, nameof(UdpReceiveQueueDatagrams), "1 to 4096");
        Require(MaxTcpConnections is >= 0 and <= 65535, nameof(MaxTcpConnections), "0 to 65535");
        Require(MaxTcpTimeWaits is >= 0 and <= 65535, nameof(MaxTcpTimeWaits), "0 to 65535");
        Require(PooledTcpConnections is >= 0 and <= 65535, nameof(PooledTcpConnections), "0 to 65535");
        Require(MaxMulticastGroups is >= 0 and <= 256, nameof(MaxMulticastGroups), "0 to 256");
        Require(MaxOutstandingPings is >= 1 and <= 1024, nameof(MaxOutstandingPings), "1 to 1024");
    }

    private static void Require(bool condition, string name, string range)
    {
        if (!condition)
            throw new ArgumentException($"NetStackOptions.{name} must be {range}.", name);
    }
}
