using Seqs.Tcp;
using Seqs.Wire;
using static Seqs.Tests.Tcp.TcpExchange;

namespace Seqs.Tests.Tcp;

/// <summary>RACK-TLP (RFC 8985) loss detection and tail loss probes, and D-SACK (RFC 2883), in virtual milliseconds.</summary>
public sealed class TcpRackTlpTests
{
    private const TcpFlags Ack = TcpFlags.Ack;
    private const int Mss = 1460;

    /// <summary>Sequence number of segment <paramref name="segment"/> of the burst after the warm-up segment.</summary>
    private static uint At(int segment) => (uint)(101 + Mss + segment * Mss);

    private static SackBlock Block(uint left, uint right) => new(new SeqNumber(left), new SeqNumber(right));

    private static Segment AckWithSack(uint ack, params (int From, int To)[] sacked) =>
        Seg(301, ack, Ack) with { Sack = SackBlocks.Of([.. sacked.Select(r => Block(At(r.From), At(r.To)))]) };

    /// <summary>
    /// A SACK connection on a 10 ms path: the SYN,ACK came at 10 ms and the first segment, sent then, was acknowledged
    /// at 20 ms. SRTT and RACK.min_RTT are 10 ms, the RTO is the 200 ms floor, the PTO 2·SRTT = 20 ms and RACK's
    /// reordering window min_RTT / 4 = 2.5 ms; nothing is in flight.
    /// </summary>
    private static TcpExchange Warmed()
    {
        TcpExchange tcp = ActiveOpen(100, new TcpConnectionOptions { SendBufferSize = 256 * 1024 });
        tcp.Arrives(10, Seg(300, 101, TcpFlags.Syn | Ack, mss: Mss) with { SackPermitted = true });
        tcp.Write(new byte[Mss]);
        tcp.TakeSent();
        tcp.Arrives(20, Seg(301, At(0), Ack));
        Assert.That(tcp.Tcb.SmoothedRoundTripTime, Is.EqualTo(TimeSpan.FromMilliseconds(10)));
        return tcp;
    }

    private static List<(int AtMs, uint Seq)> Data(List<(int AtMs, Segment Segment, byte[] Data)> sent) =>
        [.. sent.Where(s => s.Segment.DataLength > 0).Select(s => (s.AtMs, s.Segment.Seq.Value))];

    /// <summary>
    /// RFC 8985 §7: the last two segments of a flight are lost, so no ACK would ever report them. The PTO (2·SRTT
    /// after the last ACK, and Linux's 2 ms margin) sends the last segment again; its SACK shows the other lost, which
    /// RACK repairs at once. The flight is complete at 72 ms, where the RTO would only have fired at 230 ms.
    /// </summary>
    [Test]
    public void TailLoss_IsRepairedByALossProbe_WithoutATimeout()
    {
        TcpExchange tcp = Warmed();
        tcp.Write(new byte[4 * Mss]);
        Assert.That(Data(tcp.TakeSent()), Is.EqualTo(new[] { (20, At(0)), (20, At(1)), (20, At(2)), (20, At(3)) }));

        // Segments 2 and 3 are lost: the ACK of 0 and 1 is the last the peer sends.
        tcp.Arrives(30, Seg(301, At(2), Ack));
        tcp.ExpectNothingSent(51);
        Assert.That(Data(tcp.TakeSentAt(52)), Is.EqualTo(new[] { (52, At(3)) }), "the probe is the last segment");

        // The probe arrives: its SACK shows segment 2, sent before it, lost.
        tcp.Arrives(62, AckWithSack(At(2), (3, 4)));
        Assert.That(Data(tcp.TakeSent()), Is.EqualTo(new[] { (62, At(2)) }));
        tcp.Arrives(72, Seg(301, At(4), Ack));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tcp.Tcb.AllAcknowledged, Is.True);
            Assert.That(tcp.Tcb.LossProbes, Is.EqualTo(1));
            Assert.That(tcp.Tcb.Retransmissions, Is.Zero, "no retransmission timeout");
            Assert.That(tcp.Tcb.RetransmittedBytes, Is.EqualTo(2 * Mss));
        }
        tcp.ExpectNothingSent(1000);
    }

    /// <summary>RFC 8985 §7.3: with new data waiting and the receive window open, the probe sends it rather than old data.</summary>
    [Test]
    public void LossProbe_SendsNewDataWhenTheWindowAllows()
    {
        TcpExchange tcp = Warmed();
        // cwnd (11 segments after the first ACK) holds back the rest of twenty.
        tcp.Write(new byte[20 * Mss]);
        int sent = Data(tcp.TakeSent()).Count;
        Assert.That(sent, Is.LessThan(20));
        Assert.That(Data(tcp.TakeSentAt(42)), Is.EqualTo(new[] { (42, At(sent)) }));
        Assert.That(tcp.Tcb.RetransmittedBytes, Is.Zero);
    }

    /// <summary>
    /// RFC 8985 §6.2: a retransmission lost again is found by the time it was sent, once a segment sent after it is
    /// delivered, and goes a third time without a timeout.
    /// </summary>
    [Test]
    public void LostRetransmission_IsDetectedByRack()
    {
        TcpExchange tcp = Warmed();
        tcp.Write(new byte[30 * Mss]);
        Assert.That(Data(tcp.TakeSent()), Has.Count.EqualTo(10), "cwnd is 10 segments");
        // Segment 0 is lost; 1 to 3 arrive and DupThresh starts the recovery, which resends 0 at 32 ms.
        for (int i = 2; i <= 4; i++)
            tcp.Arrives(28 + i, AckWithSack(At(0), (1, i)));
        Assert.That(Data(tcp.TakeSent()).Select(s => s.Seq), Does.Contain(At(0)));
        Assert.That(tcp.Tcb.InRecovery, Is.True);
        // The rest of the flight arrives; the recovery sends new data (12, 13, ...) after the retransmission (10 and
        // 11 left before it, by limited transmit).
        for (int i = 5; i <= 10; i++)
            tcp.Arrives(28 + i, AckWithSack(At(0), (1, i)));
        List<(int AtMs, uint Seq)> sent = Data(tcp.TakeSent());
        Assert.That(sent.Select(s => s.Seq), Does.Not.Contain(At(0)), "nothing delivered was sent after the retransmission yet");
        // New data sent after the retransmission is SACKed while segment 0 is still missing: it was lost again.
        Assert.That(sent.Select(s => s.Seq), Does.Contain(At(12)));
        tcp.Arrives(60, AckWithSack(At(0), (1, 13)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Data(tcp.TakeSent()).Select(s => s.Seq), Does.Contain(At(0)), "the segment goes a third time");
            Assert.That(tcp.Tcb.LostRetransmissions, Is.EqualTo(1));
            Assert.That(tcp.Tcb.Retransmissions, Is.Zero, "without a timeout");
        }
    }

    /// <summary>
    /// RFC 8985 §6.2 step 5 counts every segment not yet acknowledged, not only the holes below the highest SACKed
    /// octet: the last two segments of a flight are lost along with segment 0, and the recovery's retransmission of
    /// 0, sent after them, is the last thing delivered. Its ACK shows them lost (the lossy echo's tail case, seen on
    /// the TAP: no SACK above them, no probe in recovery), so they go at once instead of after the 200 ms RTO.
    /// </summary>
    [Test]
    public void TailSentBeforeADeliveredRetransmission_IsLost_WithoutATimeout()
    {
        TcpExchange tcp = Warmed();
        tcp.Write(new byte[10 * Mss]);
        Assert.That(Data(tcp.TakeSent()), Has.Count.EqualTo(10));
        // Segments 0, 8 and 9 are lost; the SACKs of 1 to 7 start the recovery, which resends 0 at 32 ms.
        for (int i = 2; i <= 8; i++)
            tcp.Arrives(28 + i, AckWithSack(At(0), (1, i)));
        Assert.That(Data(tcp.TakeSent()), Is.EqualTo(new[] { (32, At(0)) }));
        // The retransmission arrives: SND.UNA moves to 8, and nothing above it is SACKed.
        tcp.Arrives(42, Seg(301, At(8), Ack));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Data(tcp.TakeSent()), Is.EqualTo(new[] { (42, At(8)), (42, At(9)) }), "sent before the delivered retransmission: lost");
            Assert.That(tcp.Tcb.Retransmissions, Is.Zero, "no timeout");
        }
        tcp.Arrives(52, Seg(301, At(10), Ack));
        Assert.That(tcp.Tcb.AllAcknowledged, Is.True);
    }

    /// <summary>
    /// RFC 6582 §3.2 step 1 (and §4.1): after a timeout, duplicate ACKs start no recovery until the cumulative ACK
    /// covers everything sent before it ("recover", the highest sequence number sent). An ACK of exactly that ends
    /// the wait: a hole in the new data sent after it is found by RACK and repaired by a fast recovery, not by a
    /// second timeout (on the TAP, the ACK stopping at the recovery point cost a further 230 ms).
    /// </summary>
    [Test]
    public void LossAfterTheTimeoutsRecoveryPoint_StartsAFastRecovery_NotASecondTimeout()
    {
        TcpExchange tcp = Warmed();
        tcp.Write(new byte[2 * Mss]);
        tcp.TakeSent();
        // Both segments and the loss probe at 42 ms are lost; the RTO at 242 ms resends segment 0.
        List<(int AtMs, uint Seq)> sent = Data(tcp.TakeSentAt(243));
        Assert.That(sent, Is.EqualTo(new[] { (42, At(1)), (242, At(0)) }));
        Assert.That(tcp.Tcb.Retransmissions, Is.EqualTo(1));
        tcp.Write(new byte[4 * Mss]);
        // Everything sent before the timeout is acknowledged; slow start sends 2, 3 and 4, and 2 is lost.
        tcp.Arrives(252, Seg(301, At(2), Ack));
        Assert.That(Data(tcp.TakeSent()), Is.EqualTo(new[] { (252, At(2)), (252, At(3)), (252, At(4)) }));
        tcp.Arrives(262, AckWithSack(At(2), (3, 5)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Data(tcp.TakeSentAt(270)).Select(s => s.Seq), Does.Contain(At(2)), "RACK: sent before segment 3, delivered");
            Assert.That(tcp.Tcb.FastRetransmits, Is.EqualTo(1));
            Assert.That(tcp.Tcb.Retransmissions, Is.EqualTo(1), "no second timeout");
        }
    }

    /// <summary>
    /// RFC 8985 §6.2 and §6.3 after a timeout: segment 1, resent by the go-back after the RTO, is lost again while
    /// segment 2, resent after it, is SACKed. RACK finds the retransmission lost and it goes a third time, where the
    /// go-back alone would wait for a second, backed-off timeout.
    /// </summary>
    [Test]
    public void RetransmissionLostAfterATimeout_IsDetectedByRack()
    {
        TcpExchange tcp = Warmed();
        tcp.Write(new byte[4 * Mss]);
        tcp.TakeSent();
        // All four and the probe at 42 ms are lost; the RTO at 242 ms resends 0, which arrives.
        Assert.That(Data(tcp.TakeSentAt(243)), Is.EqualTo(new[] { (42, At(3)), (242, At(0)) }));
        tcp.Arrives(252, Seg(301, At(1), Ack));
        Assert.That(Data(tcp.TakeSent()), Is.EqualTo(new[] { (252, At(1)), (252, At(2)) }));
        // 1 is lost again, 2 arrives (a millisecond later than 10 ms: 2 left a microsecond after 1, and an ACK of a
        // retransmission within RACK.min_RTT may be for the original, RFC 8985 §6.2 step 2).
        tcp.Arrives(263, AckWithSack(At(1), (2, 3)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Data(tcp.TakeSent()).Select(s => s.Seq), Does.Contain(At(1)), "the lost retransmission goes again");
            Assert.That(tcp.Tcb.LostRetransmissions, Is.EqualTo(1));
            Assert.That(tcp.Tcb.Retransmissions, Is.EqualTo(1), "no second timeout");
        }
    }

    /// <summary>
    /// A zero RTT (the simulator's zero-delay link, or a peer on the same host within one clock tick): the data is
    /// acknowledged in the millisecond it was sent, and the SACK showing segment 0 lost arrives then too. Its
    /// retransmission leaves in that same millisecond, after the SACKed segments, so RACK must not take it for sent
    /// before them and lost again (RFC 8985 §6.2 RACK_sent_after's tie-break by sequence holds only for data sent in
    /// sequence order): it goes once, not again and again at one instant.
    /// </summary>
    [Test]
    public void RetransmissionInTheTickOfTheSackThatCalledForIt_IsNotTakenForLostAgain()
    {
        TcpExchange tcp = ActiveOpen(100, new TcpConnectionOptions { SendBufferSize = 256 * 1024 });
        tcp.Arrives(10, Seg(300, 101, TcpFlags.Syn | Ack, mss: Mss) with { SackPermitted = true });
        tcp.Write(new byte[Mss]);
        tcp.TakeSent();
        tcp.Arrives(10, Seg(301, At(0), Ack));
        tcp.Write(new byte[5 * Mss]);
        Assert.That(Data(tcp.TakeSent()), Has.Count.EqualTo(5));

        tcp.Arrives(10, AckWithSack(At(0), (1, 5)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Data(tcp.TakeSent()), Is.EqualTo(new[] { (10, At(0)) }), "segment 0 once");
            Assert.That(tcp.Tcb.InRecovery, Is.True);
            Assert.That(tcp.Tcb.LostRetransmissions, Is.Zero);
        }
        tcp.Arrives(10, Seg(301, At(5), Ack));
        Assert.That(tcp.Tcb.AllAcknowledged, Is.True);
    }

    /// <summary>
    /// RFC 8985 §6.2 step 4-5: one segment SACKed above a hole is not yet a loss; the hole is given RACK.rtt plus the
    /// reordering window (min(min_RTT / 4, SRTT) = 2.5 ms). A segment that arrives within it is not retransmitted.
    /// </summary>
    [Test]
    public void ReorderingWithinTheWindow_IsNotTakenForLoss()
    {
        TcpExchange tcp = Warmed();
        tcp.Write(new byte[4 * Mss]);
        tcp.TakeSent();
        tcp.Arrives(30, AckWithSack(At(0), (1, 2)));
        tcp.Arrives(31, AckWithSack(At(0), (1, 3)));
        // Segment 0 comes 2 ms late: inside 20 + 10 + 2.5 ms.
        tcp.Arrives(32, Seg(301, At(3), Ack));
        tcp.Arrives(33, Seg(301, At(4), Ack));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Data(tcp.TakeSentAt(400)), Is.Empty, "nothing sent twice");
            Assert.That(tcp.Tcb.FastRetransmits, Is.Zero);
            Assert.That(tcp.Tcb.RetransmittedBytes, Is.Zero);
        }
    }

    /// <summary>
    /// RFC 8985 §6.3: the same hole, never filled, is retransmitted when the reordering timer fires: RACK.rtt (10 ms)
    /// plus the reordering window (2.5 ms) after it was sent at 20 ms, long before the RTO.
    /// </summary>
    [Test]
    public void HoleOutlastingTheReorderingWindow_IsRetransmittedWhenTheReorderingTimerFires()
    {
        TcpExchange tcp = Warmed();
        tcp.Write(new byte[4 * Mss]);
        tcp.TakeSent();
        tcp.Arrives(30, AckWithSack(At(0), (1, 2)));
        tcp.ExpectNothingSent(32);
        Assert.That(Data(tcp.TakeSentAt(33)), Is.EqualTo(new[] { (32, At(0)) }));
        Assert.That(tcp.Tcb.InRecovery, Is.True);
        Assert.That(tcp.Tcb.Retransmissions, Is.Zero);
    }

    /// <summary>RFC 2883 §4: a segment received twice is reported by the first SACK block of the ACK it triggers, once.</summary>
    [Test]
    public void DuplicateSegment_IsReportedInAFirstDsackBlock()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, sack: true);
        tcp.Arrives(10, Seg(301, 101, Ack, data: 100));
        tcp.At(200);
        Assert.That(tcp.TakeSent().Single().Segment.Sack.Count, Is.Zero);

        // Below RCV.NXT: the D-SACK block is the whole segment (RFC 2883 §4.1.1).
        tcp.Arrives(210, Seg(301, 101, Ack, data: 100));
        Segment ack = tcp.TakeSent().Single().Segment;
        Assert.That((ack.Ack.Value, ack.Sack), Is.EqualTo((401u, SackBlocks.Of(Block(301, 401)))));

        // Above RCV.NXT, inside data held out of order: the D-SACK block, then the range that holds it (§4.1.2).
        tcp.Arrives(220, Seg(501, 101, Ack, data: 100));
        Assert.That(tcp.TakeSent().Single().Segment.Sack, Is.EqualTo(SackBlocks.Of(Block(501, 601))));
        tcp.Arrives(230, Seg(501, 101, Ack, data: 100));
        Assert.That(tcp.TakeSent().Single().Segment.Sack, Is.EqualTo(SackBlocks.Of(Block(501, 601), Block(501, 601))));

        // The next ACK reports only what is held.
        tcp.Arrives(240, Seg(701, 101, Ack, data: 100));
        Assert.That(tcp.TakeSent().Single().Segment.Sack, Is.EqualTo(SackBlocks.Of(Block(701, 801), Block(501, 601))));
    }

    /// <summary>
    /// RFC 2883 §4 and RFC 8985 §6.2 step 4: a loss probe resent a segment that was only delayed; the peer's D-SACK
    /// for it marks the retransmission spurious and widens RACK's reordering window.
    /// </summary>
    [Test]
    public void DsackForARetransmittedSegment_IsCountedAsSpurious_AndWidensTheReorderingWindow()
    {
        TcpExchange tcp = Warmed();
        tcp.Write(new byte[Mss]);
        tcp.TakeSent();
        // One segment in flight: PTO = 2·SRTT + WCDelAckT = 220 ms, no later than the RTO at 220 ms.
        List<(int AtMs, uint Seq)> sent = Data(tcp.TakeSentAt(230));
        Assert.That(sent, Is.EqualTo(new[] { (220, At(0)) }));
        Assert.That(tcp.Tcb.Retransmissions, Is.Zero, "the probe went in place of the timeout");
        Assert.That(tcp.Tcb.ReorderWindowMultiplier, Is.EqualTo(1));

        // The original arrives, then the copy: the second ACK carries a D-SACK block below SEG.ACK.
        tcp.Arrives(sent[0].AtMs + 20, Seg(301, At(1), Ack));
        tcp.Arrives(sent[0].AtMs + 21, Seg(301, At(1), Ack) with { Sack = SackBlocks.Of(Block(At(0), At(1))) });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tcp.Tcb.DuplicateSacksReceived, Is.EqualTo(1));
            Assert.That(tcp.Tcb.SpuriousRetransmissions, Is.EqualTo(1));
            Assert.That(tcp.Tcb.ReorderWindowMultiplier, Is.EqualTo(2));
        }
    }

    /// <summary>
    /// RFC 2883 §5 and RFC 3708 §3: segment 0 is only reordered, arriving after the three SACKs that started a fast
    /// recovery and its retransmission. The recovery halved cwnd; the D-SACK for the copy shows every retransmission of
    /// it needless, and cwnd and ssthresh go back to what they were before it.
    /// </summary>
    [Test]
    public void DsackForEveryRetransmissionOfARecovery_UndoesItsWindowReduction()
    {
        TcpExchange tcp = Warmed();
        tcp.Write(new byte[10 * Mss]);
        Assert.That(Data(tcp.TakeSent()), Has.Count.EqualTo(10));
        int window = tcp.Tcb.CongestionWindow, threshold = tcp.Tcb.SlowStartThreshold;

        for (int i = 2; i <= 4; i++)
            tcp.Arrives(28 + i, AckWithSack(At(0), (1, i)));
        Assert.That(Data(tcp.TakeSent()), Is.EqualTo(new[] { (32, At(0)) }), "fast retransmit of segment 0");
        Assert.That(tcp.Tcb.CongestionWindow, Is.LessThan(window));
        // The original arrives, and with it the rest: the recovery ends. Then the copy, reported by a D-SACK.
        tcp.Arrives(33, Seg(301, At(10), Ack));
        Assert.That(tcp.Tcb.CongestionWindow, Is.LessThan(window), "the recovery ended on the reduced window");
        tcp.Arrives(42, Seg(301, At(10), Ack) with { Sack = SackBlocks.Of(Block(At(0), At(1))) });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tcp.Tcb.SpuriousRetransmissions, Is.EqualTo(1));
            Assert.That(tcp.Tcb.WindowReductionsUndone, Is.EqualTo(1));
            Assert.That(tcp.Tcb.CongestionWindow, Is.EqualTo(window));
            Assert.That(tcp.Tcb.SlowStartThreshold, Is.EqualTo(threshold));
        }
    }

    /// <summary>
    /// The same recovery, but segment 0 was really lost: the retransmission repaired it and no D-SACK comes, so a
    /// D-SACK for other data (the network duplicated a segment sent once) leaves the reduced window as it is.
    /// </summary>
    [Test]
    public void RecoveryThatRepairedALoss_KeepsItsWindowReduction()
    {
        TcpExchange tcp = Warmed();
        tcp.Write(new byte[10 * Mss]);
        tcp.TakeSent();
        for (int i = 2; i <= 4; i++)
            tcp.Arrives(28 + i, AckWithSack(At(0), (1, i)));
        tcp.Arrives(42, Seg(301, At(10), Ack));
        int reduced = tcp.Tcb.CongestionWindow;
        tcp.Arrives(43, Seg(301, At(10), Ack) with { Sack = SackBlocks.Of(Block(At(5), At(6))) });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tcp.Tcb.WindowReductionsUndone, Is.Zero);
            Assert.That(tcp.Tcb.CongestionWindow, Is.EqualTo(reduced));
        }
    }

    /// <summary>A D-SACK for data sent once (the network duplicated it) is no spurious retransmission.</summary>
    [Test]
    public void DsackForDataSentOnce_IsNotASpuriousRetransmission()
    {
        TcpExchange tcp = Warmed();
        tcp.Arrives(30, Seg(301, At(0), Ack) with { Sack = SackBlocks.Of(Block(101, At(0))) });
        Assert.That((tcp.Tcb.DuplicateSacksReceived, tcp.Tcb.SpuriousRetransmissions), Is.EqualTo((1, 0)));
    }
}
