using Seqs.Tcp;
using Seqs.Wire;
using static Seqs.Tests.Tcp.TcpExchange;

namespace Seqs.Tests.Tcp;

/// <summary>Nagle's algorithm (RFC 9293 §3.7.4) and sender silly window syndrome avoidance (RFC 9293 §3.8.6.2.1).</summary>
public sealed class TcpNagleTests
{
    private const TcpFlags Ack = TcpFlags.Ack;

    [Test]
    public void SmallWrites_WaitForTheAckOfOutstandingData_ThenGoTogether()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Write(new byte[10]);
        Assert.That(tcp.TakeSent().Single().Segment.DataLength, Is.EqualTo(10), "nothing in flight: the first goes at once");
        tcp.Write(new byte[20]);
        tcp.Write(new byte[30]);
        tcp.ExpectNothingSent(5);
        tcp.Arrives(10, Seg(301, 111, Ack));
        List<(int AtMs, Segment Segment, byte[] Data)> sent = tcp.TakeSent();
        Assert.That(sent.Select(s => (s.Segment.Seq.Value, s.Segment.DataLength)), Is.EqualTo(new[] { (111u, 50) }), "coalesced into one segment");
    }

    [Test]
    public void FullSegments_AreNeverHeldBack()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Write(new byte[10]);
        tcp.TakeSent();
        tcp.Write(new byte[2000]);
        Assert.That(tcp.TakeSent().Select(s => s.Segment.DataLength), Is.EqualTo(new[] { 1460 }), "the full segment goes, the 540-octet rest waits");
    }

    [Test]
    public void NoDelay_SendsSmallWritesAtOnce()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: new TcpConnectionOptions { NoDelay = true });
        tcp.Write(new byte[10]);
        tcp.Write(new byte[20]);
        Assert.That(tcp.TakeSent().Select(s => s.Segment.DataLength), Is.EqualTo(new[] { 10, 20 }));
    }

    [Test]
    public void NoDelay_CanBeChangedOnAnOpenConnection()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Write(new byte[10]);
        tcp.Write(new byte[20]);
        Assert.That(tcp.TakeSent().Select(s => s.Segment.DataLength), Is.EqualTo(new[] { 10 }));
        tcp.Tcb.NoDelay = true;
        Assert.That(tcp.TakeSentAfterDrain().Select(s => s.Segment.DataLength), Is.EqualTo(new[] { 20 }));
    }

    [Test]
    public void Close_SendsTheLastSmallSegmentWithItsFin()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Write(new byte[10]);
        tcp.Write(new byte[20]);
        tcp.TakeSent();
        tcp.Close();
        Segment last = tcp.TakeSent().Single().Segment;
        Assert.That((last.Seq.Value, last.DataLength, last.HasFin), Is.EqualTo((111u, 20, true)));
    }

    /// <summary>
    /// RFC 9293 §3.8.6.2.1: with a 100-octet window open after a full window (1000 octets, so half is 500), the
    /// sender does not dribble 100 octets; when nothing is in flight the override timer lets it send after the RTO.
    /// </summary>
    [Test]
    public void SmallWindow_IsNotFilledWithATinySegment_UntilTheOverrideTimer()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, remoteWindow: 1000);
        tcp.Write(new byte[3000]);
        Assert.That(tcp.TakeSent().Select(s => s.Segment.DataLength), Is.EqualTo(new[] { 1000 }));
        // Everything is acknowledged, but the peer's application read only 100 octets.
        tcp.Arrives(10, Seg(301, 1101, Ack, window: 100));
        tcp.ExpectNothingSent(11);
        int rto = (int)tcp.Tcb.RetransmissionTimeout.TotalMilliseconds;
        List<(int AtMs, Segment Segment, byte[] Data)> late = tcp.TakeSentAt(10 + rto);
        Assert.That(late.Select(s => (s.Segment.Seq.Value, s.Segment.DataLength)), Is.EqualTo(new[] { (1101u, 100) }));
        // Half the largest window the peer offered is enough to send at once.
        tcp.Arrives(20 + rto, Seg(301, 1201, Ack, window: 500));
        Assert.That(tcp.TakeSent().Select(s => s.Segment.DataLength), Is.EqualTo(new[] { 500 }));
    }
}
