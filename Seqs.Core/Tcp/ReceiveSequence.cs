namespace Seqs.Tcp;

/// <summary>
/// The receive sequence variables of RFC 9293 §3.3.1 (RCV.NXT, IRS; RCV.WND follows from the free receive buffer),
/// with what was last advertised (RFC 9293 §3.8.6.2.2 moves the right edge in big steps). A new connection starts from <c>default</c>.
/// </summary>
internal struct ReceiveSequence
{
    public SeqNumber Nxt;
    public SeqNumber Irs;
    /// <summary>The window, in octets, that the last segment sent advertised.</summary>
    public int AdvertisedWindow;
    /// <summary>The right edge of the receive window as last advertised; null before the first.</summary>
    public SeqNumber? RightEdge;
}
