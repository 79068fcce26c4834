namespace Seqs.Tcp;

/// <summary>
/// When this end acknowledges (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2): an ACK due at once, a delayed ACK due later,
/// and how many full segments arrived since the last ACK (at least every second one is acknowledged at once). A new
/// connection starts from <c>default</c>: nothing is due.
/// </summary>
internal struct AckState
{
    public DueTime DelayedUntil;
    public int Segments;
    /// <summary>An ACK goes with the next segment, or alone.</summary>
    public bool Pending;
}
