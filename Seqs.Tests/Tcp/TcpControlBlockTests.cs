using Seqs.Tcp;
using Seqs.Wire;
using static Seqs.Tests.Tcp.TcpExchange;

namespace Seqs.Tests.Tcp;

/// <summary>Exchange tests of the state machine, following RFC 9293 §3.5-3.10 and RFC 5961.</summary>
public sealed class TcpControlBlockTests
{
    private const TcpFlags Syn = TcpFlags.Syn;
    private const TcpFlags Ack = TcpFlags.Ack;
    private const TcpFlags Fin = TcpFlags.Fin;
    private const TcpFlags Rst = TcpFlags.Rst;
    private const TcpFlags Psh = TcpFlags.Psh;

    /// <summary>Keep-alive after 10 s idle, then every 2 s, three probes.</summary>
    private static readonly TcpConnectionOptions KeepAliveAfter10s = new() { KeepAlive = true, KeepAliveIdle = TimeSpan.FromSeconds(10), KeepAliveInterval = TimeSpan.FromSeconds(2), KeepAliveCount = 3 };

    /// <summary>
    /// RFC 9293 Figure 6, basic three-way handshake:
    /// <code>
    ///   1.  CLOSED                                               LISTEN
    ///   2.  SYN-SENT    --> &lt;SEQ=100&gt;&lt;CTL=SYN&gt;               --> SYN-RECEIVED
    ///   3.  ESTABLISHED &lt;-- &lt;SEQ=300&gt;&lt;ACK=101&gt;&lt;CTL=SYN,ACK&gt;  &lt;-- SYN-RECEIVED
    ///   4.  ESTABLISHED --> &lt;SEQ=101&gt;&lt;ACK=301&gt;&lt;CTL=ACK&gt;       --> ESTABLISHED
    /// </code>
    /// </summary>
    [Test]
    public void ActiveOpen_Figure6_ThreeWayHandshake()
    {
        var tcp = ActiveOpen(iss: 100);
        List<(int AtMs, Segment Segment, byte[] Data)> syn = tcp.TakeSent();
        Assert.That(syn.Single().Segment.Flags, Is.EqualTo(Syn));
        Assert.That(syn.Single().Segment.MaximumSegmentSize, Is.EqualTo(1460), "MSS option on the SYN");
        tcp.ExpectState(TcpState.SynSent);

        tcp.Arrives(10, Seg(300, 101, Syn | Ack, mss: 1000));
        tcp.ExpectState(TcpState.Established);
        Assert.That(tcp.TakeSent().Select(s => s.Segment), Is.EqualTo(new[] { Seg(101, 301, Ack, 16384) }));
        Assert.That(tcp.Tcb.SendMss, Is.EqualTo(1000), "the peer's MSS bounds ours");
    }

    /// <summary>A peer that announces a one-octet MSS would make every octet a segment: its option is raised to 88, as Linux does.</summary>
    [Test]
    public void PeerMssBelowTheMinimum_IsRaisedToIt()
    {
        var tcp = PassiveOpen(iss: 300, Seg(100, 0, Syn, mss: 1));
        tcp.Arrives(5, Seg(101, 301, Ack));
        tcp.ExpectState(TcpState.Established);
        Assert.That(tcp.Tcb.SendMss, Is.EqualTo(TcpControlBlock.MinimumPeerMss));
    }

    [Test]
    public void PassiveOpen_Figure6_AnswersWithSynAckAndEstablishesOnAck()
    {
        var tcp = PassiveOpen(iss: 300, Seg(100, 0, Syn, mss: 536));
        tcp.ExpectState(TcpState.SynReceived);
        Segment synAck = tcp.TakeSent().Single().Segment;
        Assert.That((synAck.Seq.Value, synAck.Ack.Value, synAck.Flags, synAck.MaximumSegmentSize), Is.EqualTo((300u, 101u, Syn | Ack, (ushort)1460)));

        tcp.Arrives(5, Seg(101, 301, Ack));
        tcp.ExpectState(TcpState.Established);
        tcp.ExpectNothingSent(5);
        Assert.That(tcp.Tcb.SendMss, Is.EqualTo(536));
    }

    /// <summary>
    /// RFC 9293 Figure 8, simultaneous connection synchronization: each side's SYN crosses the other's, both go
    /// through SYN-RECEIVED and answer with SYN,ACK.
    /// </summary>
    [Test]
    public void SimultaneousOpen_Figure8()
    {
        var tcp = ActiveOpen(iss: 100);
        tcp.TakeSent();
        tcp.Arrives(10, Seg(300, 0, Syn));
        tcp.ExpectState(TcpState.SynReceived);
        Assert.That(tcp.TakeSent().Select(s => (s.Segment.Seq.Value, s.Segment.Ack.Value, s.Segment.Flags)), Is.EqualTo(new[] { (100u, 301u, Syn | Ack) }));

        tcp.Arrives(20, Seg(300, 101, Syn | Ack));
        tcp.ExpectState(TcpState.Established);
    }

    [Test]
    public void SynSent_AckOutsideTheRange_IsAnsweredWithReset()
    {
        var tcp = ActiveOpen(iss: 100);
        tcp.TakeSent();
        // RFC 9293 §3.10.7.3: "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset <SEQ=SEG.ACK><CTL=RST>".
        tcp.Arrives(10, Seg(300, 500, Syn | Ack));
        tcp.ExpectSent(10, Seg(500, 0, Rst));
        tcp.ExpectState(TcpState.SynSent);
    }

    [Test]
    public void SynSent_ResetWithAcceptableAck_RefusesTheConnection()
    {
        var tcp = ActiveOpen(iss: 100);
        tcp.TakeSent();
        tcp.Arrives(10, Seg(0, 101, Rst | Ack));
        tcp.ExpectState(TcpState.Closed);
        Assert.That(tcp.Tcb.Error, Is.EqualTo(TcpError.ConnectionRefused));
        tcp.ExpectNothingSent(10_000);
    }

    /// <summary>RFC 6298 §2.1 and §5.5: the SYN is resent after 1 s, then 2 s, then 4 s later.</summary>
    [Test]
    public void UnansweredSyn_IsRetransmittedWithExponentialBackoff()
    {
        var tcp = ActiveOpen(iss: 100);
        tcp.TakeSent();
        tcp.ExpectNothingSent(999);
        tcp.ExpectSent(1000, Seg(100, 0, Syn));
        tcp.ExpectNothingSent(2999);
        tcp.ExpectSent(3000, Seg(100, 0, Syn));
        tcp.ExpectSent(7000, Seg(100, 0, Syn));
    }

    [Test]
    public void UnansweredSyn_FailsAfterTheConnectTimeout()
    {
        var tcp = ActiveOpen(iss: 100, new TcpConnectionOptions { ConnectTimeout = TimeSpan.FromSeconds(5) });
        tcp.At(7000);
        tcp.ExpectState(TcpState.Closed);
        Assert.That(tcp.Tcb.Error, Is.EqualTo(TcpError.TimedOut));
    }

    /// <summary>RFC 9293 §3.8.6.3: one in-order segment is acknowledged after the delayed-ACK timeout (40 ms).</summary>
    [Test]
    public void DataSegment_IsAcknowledgedAfterTheAckDelay_AndReadable()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Arrives(10, Seg(301, 101, Ack | Psh), "hello"u8.ToArray());
        tcp.ExpectNothingSent(49);
        tcp.ExpectSent(50, Seg(101, 306, Ack));
        var buffer = new byte[10];
        Assert.That(tcp.Tcb.Read(buffer), Is.EqualTo(5));
        Assert.That(buffer[..5], Is.EqualTo("hello"u8.ToArray()));
    }

    [Test]
    public void OutOfOrderSegments_AreHeldAndJoinedWhenTheGapFills()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Arrives(10, Seg(304, 101, Ack), "def"u8.ToArray());
        tcp.ExpectSent(10, Seg(101, 301, Ack));
        tcp.Arrives(11, Seg(307, 101, Ack), "ghi"u8.ToArray());
        tcp.ExpectSent(11, Seg(101, 301, Ack));
        Assert.That(tcp.Tcb.Readable, Is.Zero);

        tcp.Arrives(12, Seg(301, 101, Ack), "abc"u8.ToArray());
        tcp.ExpectSent(12, Seg(101, 310, Ack));
        var buffer = new byte[20];
        int n = tcp.Tcb.Read(buffer);
        Assert.That(buffer[..n], Is.EqualTo("abcdefghi"u8.ToArray()));
    }

    [Test]
    public void OverlappingAndDuplicateSegments_AreTrimmed()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Arrives(10, Seg(301, 101, Ack), "abcd"u8.ToArray());
        tcp.Arrives(11, Seg(301, 101, Ack), "abcd"u8.ToArray());
        tcp.Arrives(12, Seg(303, 101, Ack), "cdef"u8.ToArray());
        var buffer = new byte[20];
        int n = tcp.Tcb.Read(buffer);
        Assert.That(buffer[..n], Is.EqualTo("abcdef"u8.ToArray()));
        Assert.That(tcp.Tcb.RcvNxt.Value, Is.EqualTo(307u));
    }

    [Test]
    public void SegmentOutsideTheWindow_IsAnsweredWithAnAckAndDropped()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Arrives(10, Seg(300 + 100_000, 101, Ack), "x"u8.ToArray());
        tcp.ExpectSent(10, Seg(101, 301, Ack));
        Assert.That(tcp.Tcb.Readable, Is.Zero);
    }

    /// <summary>RFC 6298 §2.2: the first sample R gives SRTT = R, RTTVAR = R/2, RTO = SRTT + 4·RTTVAR.</summary>
    [Test]
    public void FirstRoundTripSample_SetsTheRetransmissionTimeout()
    {
        var tcp = ActiveOpen(iss: 100);
        tcp.Arrives(100, Seg(300, 101, Syn | Ack));
        Assert.That(tcp.Tcb.SmoothedRoundTripTime, Is.EqualTo(TimeSpan.FromMilliseconds(100)));
        Assert.That(tcp.Tcb.RetransmissionTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(300)));
    }

    [Test]
    public void RetransmissionTimeout_NeverFallsBelowTheFloor()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        Assert.That(tcp.Tcb.SmoothedRoundTripTime, Is.EqualTo(TimeSpan.Zero), "the handshake took no time");
        Assert.That(tcp.Tcb.RetransmissionTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(200)), "200 ms floor, like Linux");
    }

    [Test]
    public void UnacknowledgedData_IsRetransmittedFromSndUna_WithBackoff()
    {
        // Nagle off, so that the last small segment leaves with the others.
        var tcp = Established(localIss: 100, remoteIss: 300, options: new TcpConnectionOptions { NoDelay = true });
        tcp.Write(new byte[3000]);
        List<(int AtMs, Segment Segment, byte[] Data)> first = tcp.TakeSent();
        Assert.That(first.Select(s => (s.Segment.Seq.Value, s.Segment.DataLength)), Is.EqualTo(new[] { (101u, 1460), (1561u, 1460), (3021u, 80) }));
        tcp.Arrives(50, Seg(301, 1561, Ack));
        // RFC 6298 §5.3: the ACK of new data restarts the timer at the RTO (1 s before any sample... now sampled).
        TimeSpan rto = tcp.Tcb.RetransmissionTimeout;
        int retransmitAt = 50 + (int)rto.TotalMilliseconds;
        tcp.ExpectNothingSent(retransmitAt - 1);
        List<(int AtMs, Segment Segment, byte[] Data)> resent = tcp.TakeSentAt(retransmitAt);
        Assert.That(resent.First().Segment.Seq.Value, Is.EqualTo(1561u), "go back to SND.UNA");
        Assert.That(tcp.Tcb.Retransmissions, Is.EqualTo(1));
        Assert.That(tcp.Tcb.RetransmissionTimeout, Is.EqualTo(rto * 2), "RFC 6298 §5.5: back off");
    }

    /// <summary>Karn's rule (RFC 6298 §3): the ACK of a retransmitted segment gives no RTT sample.</summary>
    [Test]
    public void AckOfARetransmittedSyn_GivesNoRoundTripSample()
    {
        var tcp = ActiveOpen(iss: 100);
        tcp.TakeSent();
        tcp.ExpectSent(1000, Seg(100, 0, Syn));
        tcp.Arrives(1010, Seg(300, 101, Syn | Ack));
        tcp.ExpectState(TcpState.Established);
        Assert.That(tcp.Tcb.SmoothedRoundTripTime, Is.EqualTo(TimeSpan.Zero), "no sample taken");
        Assert.That(tcp.Tcb.RetransmissionTimeout, Is.EqualTo(TimeSpan.FromSeconds(1)), "still the initial RTO, backoff cleared");
    }

    /// <summary>
    /// RFC 9293 Figure 12, normal close sequence, from the side that closes first:
    /// ESTABLISHED → FIN-WAIT-1 → FIN-WAIT-2 → TIME-WAIT → (2 MSL) → CLOSED.
    /// </summary>
    [Test]
    public void ActiveClose_Figure12_EndsAfterTimeWait()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: new TcpConnectionOptions { TimeWaitDuration = TimeSpan.FromSeconds(60) });
        tcp.Close();
        tcp.ExpectSent(0, Seg(101, 301, Fin | Ack));
        tcp.ExpectState(TcpState.FinWait1);
        tcp.Arrives(10, Seg(301, 102, Ack));
        tcp.ExpectState(TcpState.FinWait2);
        tcp.Arrives(20, Seg(301, 102, Fin | Ack));
        tcp.ExpectSent(20, Seg(102, 302, Ack));
        tcp.ExpectState(TcpState.TimeWait);
        tcp.At(60_019);
        tcp.ExpectState(TcpState.TimeWait);
        tcp.At(60_020);
        tcp.ExpectState(TcpState.Closed);
        Assert.That(tcp.Tcb.Error, Is.EqualTo(TcpError.None));
    }

    [Test]
    public void OrphanedConnection_StuckInFinWait2_IsDroppedAfterTheTimeout()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: new TcpConnectionOptions { FinWait2Timeout = TimeSpan.FromSeconds(60) });
        tcp.Close();
        tcp.Tcb.Orphan(tcp.Now);
        tcp.Arrives(10, Seg(301, 102, Ack));
        tcp.ExpectState(TcpState.FinWait2);
        tcp.At(60_009);
        tcp.ExpectState(TcpState.FinWait2);
        tcp.At(60_010);
        tcp.ExpectState(TcpState.Closed);
    }

    [Test]
    public void HalfClosedConnection_WaitsInFinWait2ForAsLongAsItTakes()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Close();
        tcp.Arrives(10, Seg(301, 102, Ack));
        tcp.At(3_600_000);
        tcp.ExpectState(TcpState.FinWait2);
        tcp.Arrives(3_600_001, Seg(301, 102, Ack), "still talking"u8.ToArray());
        Assert.That(tcp.Tcb.Readable, Is.EqualTo(13), "a half-closed connection still receives");
    }

    [Test]
    public void PassiveClose_Figure12_GoesThroughCloseWaitAndLastAck()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Arrives(10, Seg(301, 101, Fin | Ack));
        tcp.ExpectSent(10, Seg(101, 302, Ack));
        tcp.ExpectState(TcpState.CloseWait);
        Assert.That(tcp.Tcb.ReceivedFin, Is.True);
        tcp.Close();
        tcp.ExpectSent(10, Seg(101, 302, Fin | Ack));
        tcp.ExpectState(TcpState.LastAck);
        tcp.Arrives(20, Seg(302, 102, Ack));
        tcp.ExpectState(TcpState.Closed);
    }

    /// <summary>RFC 9293 Figure 13, simultaneous close: FINs cross, both sides pass through CLOSING to TIME-WAIT.</summary>
    [Test]
    public void SimultaneousClose_Figure13()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Close();
        tcp.TakeSent();
        tcp.Arrives(10, Seg(301, 101, Fin | Ack));
        tcp.ExpectState(TcpState.Closing);
        tcp.ExpectSent(10, Seg(102, 302, Ack));
        tcp.Arrives(20, Seg(302, 102, Ack));
        tcp.ExpectState(TcpState.TimeWait);
    }

    [Test]
    public void LostFin_IsRetransmitted()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Close();
        tcp.TakeSent();
        tcp.ExpectNothingSent(199);
        tcp.ExpectSent(200, Seg(101, 301, Fin | Ack));
    }

    [Test]
    public void TimeWait_AcknowledgesARetransmittedFinAndRestartsTheWait()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: new TcpConnectionOptions { TimeWaitDuration = TimeSpan.FromSeconds(10) });
        tcp.Close();
        tcp.Arrives(10, Seg(301, 102, Fin | Ack));
        tcp.TakeSent();
        tcp.Arrives(5000, Seg(301, 102, Fin | Ack));
        tcp.ExpectSent(5000, Seg(102, 302, Ack));
        tcp.At(14_999);
        tcp.ExpectState(TcpState.TimeWait);
        tcp.At(15_000);
        tcp.ExpectState(TcpState.Closed);
    }

    /// <summary>RFC 1122 §4.2.2.13: a SYN above the old connection's sequence space may reopen it from TIME-WAIT.</summary>
    [TestCase(5000u, true)]
    [TestCase(302u, false)]
    [TestCase(100u, false)]
    public void SynInTimeWait_EndsItOnlyWhenItsSequenceIsHigher(uint seq, bool ends)
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Close();
        tcp.Arrives(10, Seg(301, 102, Fin | Ack));
        tcp.ExpectState(TcpState.TimeWait);
        Assert.That(tcp.Tcb.TryEndTimeWaitFor(Seg(seq, 0, Syn), timestampsForNew: false), Is.EqualTo(ends));
        Assert.That(tcp.Tcb.State, Is.EqualTo(ends ? TcpState.Closed : TcpState.TimeWait));
    }

    [Test]
    public void ResetAtExactlyRcvNxt_ResetsTheConnection()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Arrives(10, Seg(301, 0, Rst));
        tcp.ExpectState(TcpState.Closed);
        Assert.That(tcp.Tcb.Error, Is.EqualTo(TcpError.ConnectionReset));
        tcp.ExpectNothingSent(10);
    }

    /// <summary>RFC 5961 §3.2: a RST in the window but not at RCV.NXT gets a challenge ACK and changes nothing.</summary>
    [Test]
    public void InWindowResetAtTheWrongSequence_GetsAChallengeAck()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Arrives(10, Seg(1000, 0, Rst));
        tcp.ExpectSent(10, Seg(101, 301, Ack));
        tcp.ExpectState(TcpState.Established);
        Assert.That(tcp.Tcb.ChallengeAcksSent, Is.EqualTo(1));
    }

    [Test]
    public void ResetOutsideTheWindow_IsIgnoredSilently()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Arrives(10, Seg(300 + 200_000, 0, Rst));
        tcp.ExpectNothingSent(10);
        tcp.ExpectState(TcpState.Established);
    }

    /// <summary>RFC 5961 §4.2: a SYN on an established connection gets a challenge ACK, never a reset.</summary>
    [Test]
    public void SynOnAnEstablishedConnection_GetsAChallengeAck()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Arrives(10, Seg(305, 0, Syn));
        tcp.ExpectSent(10, Seg(101, 301, Ack));
        tcp.ExpectState(TcpState.Established);
    }

    [Test]
    public void ChallengeAcks_AreRateLimited()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: new TcpConnectionOptions { ChallengeAcksPerSecond = 3 });
        for (int i = 0; i < 10; i++)
            tcp.Arrives(10, Seg(1000, 0, Rst));
        Assert.That(tcp.TakeSent(), Has.Count.EqualTo(3));
    }

    /// <summary>
    /// Two ends that each find the other's segments invalid would answer each other for ever (an ACK loop; the
    /// whole-stack fuzz target found one). As Linux's tcp_invalid_ratelimit (500 ms): a pure ACK outside the window, or
    /// one acknowledging what was never sent, is answered at most once per 500 ms; a segment with data always.
    /// </summary>
    [Test]
    public void InvalidPureAcks_AreAnsweredOncePer500ms_ButOldDataAlways()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        for (int i = 0; i < 5; i++)
        {
            tcp.Arrives(10 + i, Seg(250, 101, Ack));
            tcp.Arrives(10 + i, Seg(301, 5000, Ack));
        }
        Assert.That(tcp.TakeSent(), Has.Count.EqualTo(1), "one answer for ten invalid pure ACKs within 500 ms");
        tcp.Arrives(510, Seg(250, 101, Ack));
        Assert.That(tcp.TakeSent(), Has.Count.EqualTo(1), "500 ms later the next is answered");
        for (int i = 0; i < 3; i++)
            tcp.Arrives(520 + i, Seg(290, 101, Ack), "0123456789"u8.ToArray());
        Assert.That(tcp.TakeSent(), Has.Count.EqualTo(3), "old data is acknowledged each time: its sender needs to learn");
    }

    /// <summary>
    /// RFC 9293 §3.10.7.4 as Linux applies it: an ACK of new data updates the send window even when an earlier
    /// in-window segment far ahead of RCV.NXT (here forged, with a 1-octet window) moved SND.WL1 beyond it. By the
    /// SND.WL1 test alone the 1-octet window stays and the sender trickles (a fuzzing finding).
    /// </summary>
    [Test]
    public void AckOfNewData_UpdatesTheWindow_AfterASegmentAheadOfRcvNxtSetIt()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Write(new byte[2920]);
        Assert.That(tcp.TakeSent().Select(s => s.Segment.DataLength), Is.EqualTo(new[] { 1460, 1460 }));
        tcp.Arrives(10, Seg(401, 101, Ack, window: 1), new byte[10]);
        tcp.TakeSent();
        tcp.Arrives(20, Seg(301, 3021, Ack, window: 6000));
        tcp.Write(new byte[3000]);
        Assert.That(tcp.TakeSent().Select(s => s.Segment.DataLength), Is.EqualTo(new[] { 1460, 1460 }), "the window the ACK carried is used (the 80-octet tail waits for Nagle)");
    }

    /// <summary>RFC 5961 §5.2: an ACK for data never sent is answered with an ACK and dropped.</summary>
    [Test]
    public void AckOfUnsentData_IsAnsweredAndDropped()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.Arrives(10, Seg(301, 5000, Ack), "zz"u8.ToArray());
        tcp.ExpectSent(10, Seg(101, 301, Ack));
        Assert.That(tcp.Tcb.Readable, Is.Zero, "the segment was dropped");
        Assert.That(tcp.Tcb.SndUna.Value, Is.EqualTo(101u));
    }

    /// <summary>
    /// RFC 9293 Figure 9, recovery from an old duplicate SYN: the SYN-RECEIVED side gets a RST for its SYN,ACK and
    /// gives up on that connection (the listener is still there).
    /// </summary>
    [Test]
    public void SynReceived_ResetFromThePeer_EndsTheHalfOpenConnection()
    {
        var tcp = PassiveOpen(iss: 400, Seg(90, 0, Syn));
        tcp.TakeSent();
        tcp.Arrives(10, Seg(91, 0, Rst));
        tcp.ExpectState(TcpState.Closed);
    }

    [Test]
    public void SynReceived_UnacceptableAck_IsAnsweredWithReset()
    {
        var tcp = PassiveOpen(iss: 400, Seg(90, 0, Syn));
        tcp.TakeSent();
        tcp.Arrives(10, Seg(91, 999, Ack));
        tcp.ExpectSent(10, Seg(999, 0, Rst));
        tcp.ExpectState(TcpState.SynReceived);
    }

    [Test]
    public void ZeroWindow_IsProbedOnThePersistTimer()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, remoteWindow: 0);
        tcp.Write(new byte[10]);
        tcp.ExpectNothingSent(0);
        tcp.ExpectSent(200, Seg(100, 301, Ack));
        tcp.ExpectNothingSent(599);
        tcp.ExpectSent(600, Seg(100, 301, Ack));
        tcp.Arrives(700, Seg(301, 101, Ack, window: 1000));
        tcp.ExpectSent(700, Seg(101, 301, Ack | Psh, data: 10));
    }

    /// <summary>
    /// RFC 6429: a peer that answers every zero-window probe but never opens its window holds the connection for the
    /// user timeout, counted from when the data began to wait, and then it is aborted (the peer is told).
    /// </summary>
    [Test]
    public void ZeroWindowThatNeverOpens_IsAbortedAfterTheUserTimeout()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, remoteWindow: 0, options: new TcpConnectionOptions { UserTimeout = TimeSpan.FromSeconds(30) });
        tcp.At(5_000);
        tcp.Write(new byte[10]);
        int probes = 0;
        for (int t = 5_000; t <= 100_000 && tcp.Tcb.State != TcpState.Closed; t += 100)
        {
            tcp.At(t);
            foreach (var sent in tcp.TakeSent())
            {
                if (sent.Segment.Flags == Ack)
                {
                    probes++;
                    tcp.Arrives(t, Seg(301, 101, Ack, window: 0));
                }
                else
                {
                    Assert.That(sent.Segment.Flags, Is.EqualTo(Rst), "the peer is told");
                    Assert.That(t, Is.InRange(35_000, 35_000 + 60_000), "the user timeout from the write, then at most one probe interval");
                }
            }
        }
        tcp.ExpectState(TcpState.Closed);
        Assert.That(tcp.Tcb.Error, Is.EqualTo(TcpError.TimedOut));
        Assert.That(probes, Is.GreaterThan(3), "probed while it waited");
    }

    [Test]
    public void PeerThatStopsAcknowledging_IsAbortedAfterTheUserTimeout()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: new TcpConnectionOptions { UserTimeout = TimeSpan.FromSeconds(30) });
        tcp.Write(new byte[10]);
        tcp.At(29_999);
        tcp.ExpectState(TcpState.Established);
        tcp.At(30_000);
        tcp.ExpectState(TcpState.Closed);
        Assert.That(tcp.Tcb.Error, Is.EqualTo(TcpError.TimedOut));
        Assert.That(tcp.TakeSent().Last().Segment.Flags, Is.EqualTo(Rst), "the peer is told");
    }

    /// <summary>
    /// The user timeout counts from when data began to wait for its acknowledgment, not from the last acknowledgment
    /// of an earlier exchange: a connection idle for longer than the timeout survives its next lost segment.
    /// </summary>
    [Test]
    public void DataSentAfterALongIdle_IsRetransmitted_NotAbortedByTheUserTimeout()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: new TcpConnectionOptions { UserTimeout = TimeSpan.FromSeconds(30) });
        tcp.At(200_000);
        tcp.Write(new byte[10]);
        tcp.ExpectSent(200_000, Seg(101, 301, Ack | Psh, data: 10));
        tcp.At(229_999);
        tcp.ExpectState(TcpState.Established);
        Assert.That(tcp.TakeSent().Select(s => s.Segment.Flags), Is.Not.Empty.And.All.EqualTo(Ack | Psh), "retransmitted, not reset");
        tcp.At(230_000);
        tcp.ExpectState(TcpState.Closed);
    }

    /// <summary>RFC 1122 §4.2.3.6: probes after the idle time, then every interval, then the connection is dropped.</summary>
    [Test]
    public void KeepAlive_ProbesAnIdleConnection_AndDropsItWhenNothingAnswers()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: KeepAliveAfter10s);
        tcp.ExpectNothingSent(9_999);
        tcp.ExpectSent(10_000, Seg(100, 301, Ack));
        tcp.ExpectSent(12_000, Seg(100, 301, Ack));
        tcp.ExpectSent(14_000, Seg(100, 301, Ack));
        tcp.At(16_000);
        tcp.ExpectState(TcpState.Closed);
        Assert.That(tcp.Tcb.Error, Is.EqualTo(TcpError.TimedOut));
    }

    /// <summary>
    /// A half-closed connection waiting in FIN-WAIT-2 for the peer's data probes too (as Linux does), so a peer
    /// that vanished without a trace is noticed there as well.
    /// </summary>
    [Test]
    public void KeepAlive_ProbesInFinWait2()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: KeepAliveAfter10s);
        tcp.Close();
        tcp.TakeSent();
        tcp.Arrives(5, Seg(301, 102, Ack));
        tcp.ExpectState(TcpState.FinWait2);
        tcp.ExpectNothingSent(10_004);
        tcp.ExpectSent(10_005, Seg(101, 301, Ack));
        tcp.At(16_005);
        tcp.ExpectState(TcpState.Closed);
        Assert.That(tcp.Tcb.Error, Is.EqualTo(TcpError.TimedOut));
    }

    [Test]
    public void KeepAlive_AnsweredProbe_KeepsTheConnection()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: KeepAliveAfter10s);
        tcp.ExpectSent(10_000, Seg(100, 301, Ack));
        tcp.Arrives(10_050, Seg(301, 101, Ack));
        tcp.ExpectNothingSent(20_049);
        tcp.ExpectSent(20_050, Seg(100, 301, Ack));
        tcp.ExpectState(TcpState.Established);
    }

    [Test]
    public void KeepAlive_IsOffByDefault()
    {
        var tcp = Established(localIss: 100, remoteIss: 300);
        tcp.ExpectNothingSent(10 * 3600 * 1000);
        tcp.ExpectState(TcpState.Established);
    }

    [Test]
    public void ReadingAFullReceiveBuffer_SendsAWindowUpdate()
    {
        var tcp = Established(localIss: 100, remoteIss: 300, options: new TcpConnectionOptions { ReceiveBufferSize = 2000 });
        tcp.Arrives(10, Seg(301, 101, Ack), new byte[2000]);
        Segment full = tcp.TakeSent().Single().Segment;
        Assert.That(full.Window, Is.Zero);
        tcp.Tcb.Read(new byte[2000]);
        Assert.That(tcp.Tcb.WantsToSend, Is.True);
        List<(int AtMs, Segment Segment, byte[] Data)> update = tcp.TakeSentAfterDrain();
        Assert.That(update.Single().Segment.Window, Is.EqualTo(2000));
    }

    [TestCase(TcpFlags.Syn, 1000u, 0u, 0u, 1001u, TcpFlags.Rst | TcpFlags.Ack, TestName = "ResetFor_SynWithoutAck_AcknowledgesTheSyn")]
    [TestCase(TcpFlags.Ack, 1000u, 777u, 777u, 0u, TcpFlags.Rst, TestName = "ResetFor_SegmentWithAck_TakesItsSequenceFromTheAck")]
    public void ResetFor_FollowsRfc9293Section3_10_7_1(TcpFlags flags, uint seq, uint ack, uint resetSeq, uint resetAck, TcpFlags resetFlags)
    {
        Segment? reset = TcpControlBlock.ResetFor(Seg(seq, ack, flags));
        Assert.That(reset, Is.Not.Null);
        Assert.That((reset!.Value.Seq.Value, reset.Value.HasAck ? reset.Value.Ack.Value : 0u, reset.Value.Flags), Is.EqualTo((resetSeq, resetAck, resetFlags)));
    }

    [Test]
    public void ResetFor_AReset_IsNothing() => Assert.That(TcpControlBlock.ResetFor(Seg(1, 2, Rst | Ack)), Is.Null);
}
