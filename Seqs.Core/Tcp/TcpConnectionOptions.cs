namespace Seqs.Tcp;

/// <summary>Tunables of one TCP connection; a listener hands its options to every connection it accepts.</summary>
public sealed class TcpConnectionOptions
{
    /// <summary>Bytes the application can write before <c>WriteAsync</c> waits (back-pressure).</summary>
    public int SendBufferSize { get; set; } = 16 * 1024;

    /// <summary>
    /// Bytes received and not yet read; the receive window can be no larger. Above 64 KiB it needs
    /// <see cref="WindowScaling"/> (RFC 7323 §2), and the peer's agreement, to be advertised in full.
    /// </summary>
    public int ReceiveBufferSize { get; set; } = 16 * 1024;

    /// <summary>Disjoint out-of-order ranges held for reassembly; a segment that needs another is dropped.</summary>
    public int MaxOutOfOrderRanges { get; set; } = 4;

    /// <summary>RFC 6298 §2.1: the RTO before any round trip was measured.</summary>
    public TimeSpan InitialRetransmissionTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The RTO floor; RFC 6298 §2.4 says 1 s, this stack uses 200 ms like Linux (<c>TCP_RTO_MIN</c>, HZ/5, in
    /// include/net/tcp.h) and lneto (tcp/rto.go; docs/reference/seqs-and-lneto.md#lneto).
    /// </summary>
    public TimeSpan MinimumRetransmissionTimeout { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The RTO ceiling (RFC 6298 §2.5 allows one of at least 60 s).</summary>
    public TimeSpan MaximumRetransmissionTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// RFC 9293 §3.8.3 / RFC 1122 §4.2.3.5: a connection whose sent data stays unacknowledged this long is aborted
    /// (R2 must be at least 100 s).
    /// </summary>
    public TimeSpan UserTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long an active open keeps retransmitting its SYN before it fails.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(75);

    /// <summary>
    /// SYN,ACK retransmissions of a passive open before it is given up (Linux's tcp_synack_retries, 5: with the 1 s
    /// initial RTO doubling, the last goes at 31 s and the open ends at 63 s).
    /// </summary>
    public int SynAckRetries { get; set; } = 5;

    /// <summary>TIME-WAIT lasts 2·MSL (RFC 9293 §3.6.1); 60 s, as Linux does, rather than the RFC's 4 minutes.</summary>
    public TimeSpan TimeWaitDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// RFC 1122 §4.2.3.6: probe an idle connection so that a peer that vanished is noticed. Off by default, as the
    /// RFC requires.
    /// </summary>
    public bool KeepAlive { get; set; }

    /// <summary>Idle time before the first keep-alive probe; RFC 1122 §4.2.3.6 says no less than two hours by default.</summary>
    public TimeSpan KeepAliveIdle { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Time between unanswered keep-alive probes (Linux: 75 s).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(75);

    /// <summary>Unanswered probes after which the connection is declared dead (Linux: 9).</summary>
    public int KeepAliveCount { get; set; } = 9;

    /// <summary>
    /// How long a connection the application has closed entirely waits in FIN-WAIT-2 for the peer's FIN before it is
    /// dropped (Linux's tcp_fin_timeout, 60 s). RFC 9293 sets no limit, but a peer that never closes would otherwise
    /// hold the connection forever. A half-closed connection (<c>ShutdownSend</c>) is never timed out.
    /// </summary>
    public TimeSpan FinWait2Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// RFC 7323 §3: offer the timestamps option in the SYN (and use it when the peer does too): PAWS protection and a
    /// TIME-WAIT the peer can reuse safely.
    /// </summary>
    public bool Timestamps { get; set; } = true;

    /// <summary>
    /// RFC 7323 §2: offer the window scale option in the SYN (with the shift <see cref="ReceiveBufferSize"/> needs),
    /// so windows above 64 KiB work both ways when the peer offers it too.
    /// </summary>
    public bool WindowScaling { get; set; } = true;

    /// <summary>
    /// RFC 2018: offer SACK in the SYN; when the peer agrees, out-of-order data is reported in SACK blocks and the
    /// peer's blocks steer retransmission to the holes (RFC 6675).
    /// </summary>
    public bool Sack { get; set; } = true;

    /// <summary>
    /// Turns Nagle's algorithm off (RFC 9293 §3.7.4): small writes go out at once even while data is unacknowledged,
    /// at the cost of more, smaller segments. Off by default, as RFC 1122 §4.2.3.4 asks; request-response protocols
    /// that write whole messages (HTTP) turn it on. Can also be changed per connection.
    /// </summary>
    public bool NoDelay { get; set; }

    /// <summary>
    /// RFC 9293 §3.8.6.3 / RFC 1122 §4.2.3.2: how long an ACK for in-order data may wait for a second segment or
    /// for data to ride on (at most 500 ms; Linux's shortest is 40 ms). Zero acknowledges every segment at once.
    /// </summary>
    public TimeSpan DelayedAckTimeout { get; set; } = TimeSpan.FromMilliseconds(40);

    /// <summary>The congestion control algorithm (RFC 5681 NewReno by default, or RFC 9438 CUBIC).</summary>
    public CongestionControlAlgorithm CongestionControl { get; set; } = CongestionControlAlgorithm.NewReno;

    /// <summary>RFC 5961 §7: challenge ACKs a connection may send per second.</summary>
    public int ChallengeAcksPerSecond { get; set; } = 10;

    internal void Validate()
    {
        Require(SendBufferSize is >= 1 and <= 1 << 20, nameof(SendBufferSize), "1 B to 1 MiB");
        if (WindowScaling)
            Require(ReceiveBufferSize is >= 1 and <= 1 << 30, nameof(ReceiveBufferSize), "1 B to 1 GiB (RFC 7323 §2.3)");
        else
            Require(ReceiveBufferSize is >= 1 and <= ushort.MaxValue, nameof(ReceiveBufferSize), "1 to 65535 bytes without window scaling");
        Require(MaxOutOfOrderRanges is >= 0 and <= 64, nameof(MaxOutOfOrderRanges), "0 to 64");
        Require(MinimumRetransmissionTimeout > TimeSpan.Zero, nameof(MinimumRetransmissionTimeout), "positive");
        Require(MaximumRetransmissionTimeout >= MinimumRetransmissionTimeout, nameof(MaximumRetransmissionTimeout), "at least the minimum");
        Require(InitialRetransmissionTimeout > TimeSpan.Zero, nameof(InitialRetransmissionTimeout), "positive");
        Require(UserTimeout > TimeSpan.Zero, nameof(UserTimeout), "positive");
        Require(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), "positive");
        Require(SynAckRetries is >= 0 and <= 255, nameof(SynAckRetries), "0 to 255");
        Require(TimeWaitDuration >= TimeSpan.Zero, nameof(TimeWaitDuration), "zero or more");
        Require(KeepAliveIdle > TimeSpan.Zero, nameof(KeepAliveIdle), "positive");
        Require(KeepAliveInterval > TimeSpan.Zero, nameof(KeepAliveInterval), "positive");
        Require(KeepAliveCount is >= 1 and <= 1000, nameof(KeepAliveCount), "1 to 1000");
        Require(FinWait2Timeout > TimeSpan.Zero, nameof(FinWait2Timeout), "positive");
        Require(DelayedAckTimeout >= TimeSpan.Zero && DelayedAckTimeout <= TimeSpan.FromMilliseconds(500), nameof(DelayedAckTimeout), "0 to 500 ms (RFC 1122 §4.2.3.2)");
        Require(ChallengeAcksPerSecond >= 1, nameof(ChallengeAcksPerSecond), "at least 1");
    }

    private static void Require(bool condition, string name, string range)
    {
        if (!condition)
            throw new ArgumentException($"TcpConnectionOptions.{name} must be {range}.", name);
    }
}
