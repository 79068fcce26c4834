using Seqs.Tcp;
using Seqs.Wire;
using static Seqs.Tests.Tcp.TcpExchange;

namespace Seqs.Tests.Tcp;

/// <summary>
/// Exchange tests of congestion control and loss recovery without SACK: RFC 6928 initial window, RFC 5681 slow
/// start, RFC 3042 limited transmit, fast retransmit, RFC 6582 NewReno recovery, and the timeout's loss window.
/// The peer's ISS is 300 and ours 100, so our data starts at 101; MSS 1460.
/// </summary>
public sealed class TcpCongestionTests
{
    private const TcpFlags Ack = TcpFlags.Ack;
    private const int Mss = 1460;

    private static uint At(int segment) => (uint)(101 + segment * Mss);

    private static List<uint> Seqs(List<(int AtMs, Segment Segment, byte[] Data)> sent) => sent.Select(s => s.Segment.Seq.Value).ToList();

    private static TcpExchange Sending(int bytes)
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: new TcpConnectionOptions { SendBufferSize = 256 * 1024 });
        tcp.Write(new byte[bytes]);
        return tcp;
    }

    [Test]
    public void FirstFlight_IsTheRfc6928InitialWindow()
    {
        var tcp = Sending(100_000);
        List<(int AtMs, Segment Segment, byte[] Data)> sent = tcp.TakeSent();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Sum(s => s.Segment.DataLength), Is.EqualTo(14600), "min(10·MSS, max(2·MSS, 14600))");
            Assert.That(tcp.Tcb.CongestionWindow, Is.EqualTo(14600));
        }
    }

    [Test]
    public void SlowStart_GrowsByUpToTwoSegmentsPerAck()
    {
        var tcp = Sending(100_000);
        tcp.TakeSent();
        // One ACK for two segments: two leave the network and cwnd grows by two (RFC 3465, L = 2·SMSS): four go.
        tcp.Arrives(10, Seg(301, At(2), Ack));
        List<uint> sent = Seqs(tcp.TakeSent());
        Assert.That(sent, Is.EqualTo(new[] { At(10), At(11), At(12), At(13) }));
        Assert.That(tcp.Tcb.CongestionWindow, Is.EqualTo(14600 + 2 * Mss));
    }

    [Test]
    public void ThreeDuplicateAcks_TriggerFastRetransmit_AfterTwoLimitedTransmits()
    {
        var tcp = Sending(100_000);
        tcp.TakeSent();
        // Segment 0 was lost; segments 1, 2 and 3 each produce a duplicate ACK for 101.
        tcp.Arrives(10, Seg(301, 101, Ack));
        Assert.That(Seqs(tcp.TakeSent()), Is.EqualTo(new[] { At(10) }), "RFC 3042: a new segment on the first duplicate ACK");
        tcp.Arrives(11, Seg(301, 101, Ack));
        Assert.That(Seqs(tcp.TakeSent()), Is.EqualTo(new[] { At(11) }), "and on the second");
        tcp.Arrives(12, Seg(301, 101, Ack));
        Assert.That(Seqs(tcp.TakeSent()), Is.EqualTo(new[] { At(0) }), "the third retransmits the lost segment at once");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tcp.Tcb.FastRetransmits, Is.EqualTo(1));
            Assert.That(tcp.Tcb.InRecovery, Is.True);
            // FlightSize was 12 segments: ssthresh is half, and cwnd is inflated by the three that left.
            Assert.That(tcp.Tcb.SlowStartThreshold, Is.EqualTo(6 * Mss));
            Assert.That(tcp.Tcb.CongestionWindow, Is.EqualTo(9 * Mss));
            Assert.That(tcp.Tcb.Retransmissions, Is.Zero, "no timeout was needed");
        }
    }

    /// <summary>RFC 6582 §3.2: a partial ACK retransmits the next hole at once; the full ACK ends the recovery.</summary>
    [Test]
    public void NewReno_PartialAckRetransmitsTheNextHole_FullAckEndsRecovery()
    {
        var tcp = Sending(100_000);
        tcp.TakeSent();
        // Segments 0 and 4 were lost.
        for (int i = 0; i < 3; i++)
            tcp.Arrives(10 + i, Seg(301, 101, Ack));
        tcp.TakeSent();
        for (int i = 0; i < 8; i++)
            tcp.Arrives(13 + i, Seg(301, 101, Ack));
        tcp.TakeSent();

        // The retransmitted segment 0 fills the first hole; the ACK stops at the second.
        tcp.Arrives(30, Seg(301, At(4), Ack));
        List<uint> afterPartial = Seqs(tcp.TakeSent());
        Assert.That(afterPartial[0], Is.EqualTo(At(4)), "the next hole goes first");
        Assert.That(tcp.Tcb.InRecovery, Is.True);

        // Everything up to the recovery point (segment 12) is acknowledged: recovery ends at ssthresh.
        tcp.Arrives(40, Seg(301, At(12), Ack));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tcp.Tcb.InRecovery, Is.False);
            Assert.That(tcp.Tcb.CongestionWindow, Is.EqualTo(tcp.Tcb.SlowStartThreshold));
            Assert.That(tcp.Tcb.Retransmissions, Is.Zero);
            Assert.That(tcp.Tcb.RetransmittedBytes, Is.EqualTo(2 * Mss), "only the two lost segments went twice");
        }
    }

    [Test]
    public void RetransmissionTimeout_ShrinksTheWindowToOneSegment()
    {
        var tcp = Sending(100_000);
        tcp.TakeSent();
        // No ACK at all: after the RTO (the 200 ms floor: the handshake took 0 ms) one segment goes again, only one.
        List<uint> retransmitted = Seqs(tcp.TakeSentAt(200));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(retransmitted, Is.EqualTo(new[] { At(0) }));
            Assert.That(tcp.Tcb.CongestionWindow, Is.EqualTo(Mss), "RFC 5681 §3.1: the loss window is one segment");
            Assert.That(tcp.Tcb.SlowStartThreshold, Is.EqualTo(5 * Mss), "half the 10-segment flight");
        }
        // The ACK for it resumes slow start from SND.UNA (go-back-N: the peer may have lost everything).
        tcp.Arrives(210, Seg(301, At(1), Ack));
        Assert.That(Seqs(tcp.TakeSent()), Is.EqualTo(new[] { At(1), At(2) }));
    }

    /// <summary>
    /// RFC 3042 §2: limited transmit respects the receive window; here the window is full, so nothing goes and
    /// the third duplicate ACK still starts the recovery.
    /// </summary>
    [Test]
    public void LimitedTransmit_RespectsTheReceiveWindow()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, remoteWindow: 4 * Mss);
        tcp.Write(new byte[10 * Mss]);
        Assert.That(tcp.TakeSent(), Has.Count.EqualTo(4));
        tcp.Arrives(10, Seg(301, 101, Ack, window: 4 * Mss));
        tcp.Arrives(11, Seg(301, 101, Ack, window: 4 * Mss));
        Assert.That(tcp.TakeSent(), Is.Empty);
        tcp.Arrives(12, Seg(301, 101, Ack, window: 4 * Mss));
        Assert.That(Seqs(tcp.TakeSent()), Is.EqualTo(new[] { At(0) }));
    }
}
