namespace Seqs.Tcp;

/// <summary>
/// Loss recovery: duplicate ACKs (RFC 5681 §3.2), NewReno's "recover" (RFC 6582 §3.2), and RFC 6675's
/// RecoveryPoint and HighRxt, with what this stack adds: the go-back after a timeout and the retransmission due at
/// SND.UNA. A new connection starts from
/// <c>default</c>.
/// </summary>
internal struct RecoveryState
{
    // Declared largest first: the default sequential layout then has no gaps.
    public int DupAcks;
    /// <summary>RFC 6582 "recover" and RFC 6675 RecoveryPoint: SND.MAX when the recovery (or a timeout) began.</summary>
    public SeqNumber Point;
    /// <summary>RFC 6675 HighRxt: the highest sequence number retransmitted in this recovery, plus one.</summary>
    public SeqNumber HighRxt;
    /// <summary>In fast recovery, after three duplicate ACKs or SACK information showed a loss.</summary>
    public bool Active;
    /// <summary>A retransmission timeout happened and SND.UNA has not yet reached <see cref="Point"/>.</summary>
    public bool AfterTimeout;
    /// <summary>Send the segment at SND.UNA again next (fast retransmit, or a NewReno partial ACK).</summary>
    public bool RetransmitUna;
}
