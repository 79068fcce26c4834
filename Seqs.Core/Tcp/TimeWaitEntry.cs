using Seqs.Wire;

namespace Seqs.Tcp;

/// <summary>
/// What a connection in TIME-WAIT (RFC 9293 §3.10.7.4) still needs once nobody holds it, as Linux keeps a small
/// TIME-WAIT socket instead of the whole control block: the 4-tuple, SND.NXT and RCV.NXT to acknowledge a
/// retransmitted FIN, the window last advertised, TS.Recent for PAWS and RFC 6191, and when the wait ends.
/// </summary>
internal struct TimeWaitEntry
{
    public Ipv4EndPoint Local;
    public Ipv4EndPoint Remote;
    /// <summary>SND.MAX of the connection: the sequence number its ACKs carry (its FIN is acknowledged).</summary>
    public SeqNumber SndNxt;
    /// <summary>RCV.NXT: past the peer's FIN.</summary>
    public SeqNumber RcvNxt;
    public uint TsRecent;
    /// <summary>The window field of the connection's last segment, already scaled.</summary>
    public ushort Window;
    /// <summary>Both ends used timestamps (RFC 7323): every ACK carries them, and a SYN's decides reuse (RFC 6191).</summary>
    public bool Timestamps;
    /// <summary>When the wait ends; not set for a free slot.</summary>
    public DueTime Until;

    public readonly bool IsFor(Ipv4EndPoint local, Ipv4EndPoint remote) => Until.IsSet && Local.Port == local.Port && Remote == remote;
}
