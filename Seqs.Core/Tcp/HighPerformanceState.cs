namespace Seqs.Tcp;

/// <summary>
/// The state of RFC 7323's extensions (TCP Extensions for High Performance), which the SYNs negotiate. Timestamps
/// (§3-§5): whether both SYNs carried the option (so every segment now does), TS.Recent and when it was taken (PAWS
/// trusts it for 24 days, §5.5) and Last.ACK.sent (§4.3). Window scaling (§2): whether both SYNs carried the option,
/// the shift this end offers (from its receive buffer size), and Snd.Wind.Shift and Rcv.Wind.Shift (§2.3). A new
/// connection starts from <c>default</c> and the shift it offers.
/// </summary>
internal struct HighPerformanceState
{
    // Declared largest first: the default sequential layout then has no gaps.
    public TimeSpan RecentAt;
    public uint Recent;
    public SeqNumber LastAckSent;
    public bool Timestamps;
    public bool WindowScaling;
    public byte OfferedShift;
    /// <summary>The shift the peer's window fields are scaled by; zero unless <see cref="WindowScaling"/>.</summary>
    public byte SndShift;
    /// <summary>The shift this end's window fields are scaled by; zero unless <see cref="WindowScaling"/>.</summary>
    public byte RcvShift;
}
