namespace Seqs.Tcp;

/// <summary>
/// What a stack's TCP did: segments in and out, and the events of its connections and listeners. Updated on the
/// loop thread; reads from other threads see recent, not atomic, values.
/// </summary>
public sealed class TcpCounters
{
    /// <summary>Segments that passed the IP layer's checks (checksum, unicast) and reached TCP.</summary>
    public long SegmentsReceived { get; internal set; }
    public long SegmentsSent { get; internal set; }
    /// <summary>Resets sent for segments that reached no connection (RFC 9293 §3.10.7.1).</summary>
    public long ResetsSent { get; internal set; }
    /// <summary>SYNs and cookie ACKs dropped: a listener's backlog was full, it held all it may, or no connection could make room.</summary>
    public long SynsDropped { get; internal set; }
    /// <summary>SYN,ACKs sent with a SYN cookie because a listener's SYN queue, or the connection table, was full (RFC 4987 §3.6).</summary>
    public long SynCookiesSent { get; internal set; }
    /// <summary>Connections made from a valid returned SYN cookie.</summary>
    public long SynCookiesAccepted { get; internal set; }
    /// <summary>Connections in SYN-RECEIVED given up after their last SYN,ACK went unanswered (Linux's tcp_synack_retries).</summary>
    public long HalfOpenTimeouts { get; internal set; }
    /// <summary>
    /// Connections ended to make room in a full table for another listener's connection: half-open ones first, then
    /// the longest idle of the listener holding the most.
    /// </summary>
    public long ConnectionsEvicted { get; internal set; }
    /// <summary>Connections aborted because the peer kept its window closed for the user timeout (RFC 6429).</summary>
    public long ZeroWindowTimeouts { get; internal set; }
    /// <summary>TIME-WAITs ended early to make room: the connection table or the compact TIME-WAIT set was full.</summary>
    public long TimeWaitsEvicted { get; internal set; }
    /// <summary>TIME-WAITs ended by a SYN that opened a new incarnation of the connection (RFC 6191).</summary>
    public long TimeWaitsReused { get; internal set; }
    /// <summary>Retransmission timeouts of all connections (RFC 6298 §5.4).</summary>
    public long RetransmissionTimeouts { get; internal set; }
    /// <summary>Loss recoveries entered on duplicate ACKs or SACK information (fast retransmit, RFC 5681 §3.2).</summary>
    public long FastRetransmits { get; internal set; }
    /// <summary>Octets of TCP data sent more than once, by any mechanism.</summary>
    public long RetransmittedOctets { get; internal set; }
    /// <summary>Tail loss probes sent (RFC 8985 §7.3).</summary>
    public long LossProbes { get; internal set; }
    /// <summary>Retransmissions the peer reported, by D-SACK (RFC 2883), as received twice: they were not needed.</summary>
    public long SpuriousRetransmissions { get; internal set; }
    /// <summary>Window reductions undone because D-SACKs showed every retransmission of them needless (RFC 3708 §3).</summary>
    public long WindowReductionsUndone { get; internal set; }
}
