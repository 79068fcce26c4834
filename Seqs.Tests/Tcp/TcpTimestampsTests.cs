using Seqs.Tcp;
using Seqs.Wire;
using static Seqs.Tests.Tcp.TcpExchange;

namespace Seqs.Tests.Tcp;

/// <summary>RFC 7323 timestamps: negotiation in the SYNs, TSopt on every segment, PAWS.</summary>
public sealed class TcpTimestampsTests
{
    [Test]
    public void ActiveOpen_OffersTimestamps_AndUsesThemWhenThePeerAgrees()
    {
        var tcp = ActiveOpen(iss: 100, new TcpConnectionOptions { NoDelay = true });
        Segment syn = tcp.TakeSent().Single().Segment;
        Assert.That(syn.Timestamps, Is.EqualTo(new TcpTimestamps(0, 0)), "TSval from the clock, TSecr 0 on a SYN");

        tcp.Arrives(20, Seg(300, 101, TcpFlags.Syn | TcpFlags.Ack, mss: 1460) with { Timestamps = new TcpTimestamps(5000, 0) });
        Segment ack = tcp.TakeSent().Single().Segment;
        Assert.That(ack.Timestamps, Is.EqualTo(new TcpTimestamps(20, 5000)), "our clock (ms) and the peer's TSval echoed");

        tcp.Write(new byte[3000]);
        List<Segment> data = tcp.TakeSent().Select(s => s.Segment).ToList();
        Assert.That(data.Select(s => s.DataLength), Is.EqualTo(new[] { 1448, 1448, 104 }), "12 octets of every segment go to TSopt");
        Assert.That(data.Select(s => s.Timestamps), Is.All.EqualTo(new TcpTimestamps(20, 5000)));
    }

    [Test]
    public void PeerWithoutTimestamps_GetsNone()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Write(new byte[10]);
        Segment data = tcp.TakeSent().Single().Segment;
        Assert.That(data.Timestamps, Is.Null);
        Assert.That(data.DataLength, Is.EqualTo(10));
    }

    /// <summary>RFC 7323 §5.3 R1: a segment whose TSval is older than TS.Recent is dropped and answered with an ACK.</summary>
    [Test]
    public void SegmentWithAnOldTimestamp_IsDroppedByPaws()
    {
        var tcp = ActiveOpen(iss: 100);
        tcp.TakeSent();
        tcp.Arrives(10, Seg(300, 101, TcpFlags.Syn | TcpFlags.Ack) with { Timestamps = new TcpTimestamps(5000, 0) });
        tcp.Arrives(20, Seg(301, 101, TcpFlags.Ack) with { Timestamps = new TcpTimestamps(5010, 10) }, "new"u8.ToArray());
        tcp.TakeSent();

        tcp.Arrives(30, Seg(304, 101, TcpFlags.Ack) with { Timestamps = new TcpTimestamps(4000, 10) }, "old"u8.ToArray());

        Assert.That(tcp.Tcb.PawsRejected, Is.EqualTo(1));
        Assert.That(tcp.Tcb.Readable, Is.EqualTo(3), "only the first segment's data");
        Segment reply = tcp.TakeSent().Single().Segment;
        Assert.That((reply.Ack.Value, reply.Flags), Is.EqualTo((304u, TcpFlags.Ack)));
    }
}
