namespace Seqs.Tcp;

/// <summary>
/// The send sequence variables of RFC 9293 §3.3.1 (SND.UNA, SND.NXT, SND.WND, SND.WL1, SND.WL2, ISS), with SND.MAX
/// (the highest SND.NXT so far, which ACKs may reach after a go-back retransmission), MAX.SND.WND (RFC 5961 §5.2). A new connection starts from <c>default</c> and its ISS.
/// </summary>
internal struct SendSequence
{
    public SeqNumber Una;
    public SeqNumber Nxt;
    /// <summary>SND.WND in octets, already scaled.</summary>
    public int Wnd;
    /// <summary>SEG.SEQ of the segment that last updated the window.</summary>
    public SeqNumber Wl1;
    /// <summary>SEG.ACK of the segment that last updated the window.</summary>
    public SeqNumber Wl2;
    public SeqNumber Iss;
    public SeqNumber Max;
    /// <summary>The largest window the peer has offered.</summary>
    public int MaxWnd;

    /// <summary>Before the SYN leaves: everything is at ISS.</summary>
    public static SendSequence Start(SeqNumber iss) => new() { Iss = iss, Una = iss, Nxt = iss, Max = iss };
}
