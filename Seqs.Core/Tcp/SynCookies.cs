using System.Buffers.Binary;
using Seqs.Wire;

namespace Seqs.Tcp;

/// <summary>
/// RFC 4987 §3.6 SYN cookies: the ISS of a stateless SYN,ACK encodes a time counter (5 bits), an MSS index (2 bits)
/// and a 25-bit keyed hash of the 4-tuple, the client's ISN and the counter. Only the peer that saw the SYN,ACK can
/// echo it + 1 in its ACK, which <see cref="TryRedeem"/> checks before the connection is made.
/// </summary>
internal readonly struct SynCookies(SequenceKey key)
{
    /// <summary>How long a cookie is redeemed after it is issued at most: two periods of the time counter.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2 * PeriodSeconds);

    private const int PeriodSeconds = 64;

    /// <summary>The MSS values a cookie can carry in its 2-bit index (the common ones, as Linux's table does).</summary>
    private static readonly ushort[] s_mss = [536, 1220, 1440, 1460];

    /// <summary>The cookie for a SYN from <paramref name="remote"/>: the ISS of the SYN,ACK that answers it.</summary>
    public SeqNumber Issue(Ipv4EndPoint local, Ipv4EndPoint remote, in Segment syn, TimeSpan now) =>
        Cookie(local, remote, syn.Seq, MssIndex(syn.MaximumSegmentSize), Period(now));

    /// <summary>
    /// Whether SEG.ACK - 1 is a cookie issued for this 4-tuple in the current or the previous period; if so,
    /// <paramref name="peerMss"/> is the MSS it encoded.
    /// </summary>
    public bool TryRedeem(in Segment ack, Ipv4EndPoint local, Ipv4EndPoint remote, TimeSpan now, out ushort peerMss)
    {
        peerMss = 0;
        uint cookie = (ack.Ack - 1).Value;
        uint time = cookie >> 27;
        int mssIndex = (int)(cookie >> 25 & 0x3);
        uint current = Period(now);
        if (time != current && time != ((current - 1) & 0x1F))
            return false;
        if (Cookie(local, remote, ack.Seq - 1, mssIndex, time).Value != cookie)
            return false;
        peerMss = s_mss[mssIndex];
        return true;
    }

    private static int MssIndex(ushort peerMss)
    {
        int index = 0;
        for (int i = 0; i < s_mss.Length; i++)
        {
            if (s_mss[i] <= (peerMss == 0 ? TcpControlBlock.DefaultMss : peerMss))
                index = i;
        }
        return index;
    }

    /// <summary>A 5-bit counter that moves every 64 s: a cookie is good for one to two periods.</summary>
    private static uint Period(TimeSpan now) => (uint)(now.Ticks / (PeriodSeconds * TimeSpan.TicksPerSecond)) & 0x1F;

    private SeqNumber Cookie(Ipv4EndPoint local, Ipv4EndPoint remote, SeqNumber clientIsn, int mssIndex, uint time)
    {
        Span<byte> extra = stackalloc byte[4 + 1];
        BinaryPrimitives.WriteUInt32BigEndian(extra, clientIsn.Value);
        extra[4] = (byte)(time << 2 | (uint)mssIndex);
        uint mac = (uint)key.Hash(local, remote, extra) & 0x01FF_FFFF;
        return new SeqNumber(time << 27 | (uint)mssIndex << 25 | mac);
    }
}
