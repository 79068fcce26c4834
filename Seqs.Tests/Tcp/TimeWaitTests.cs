using Seqs.Scheduling;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Tests.Stack;
using Seqs.Wire;
using static Seqs.Tests.Tcp.PeerSegments;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Tcp;

/// <summary>
/// A server that closes first keeps TIME-WAIT compactly outside its connection table, and a SYN that RFC 6191 allows
/// reopens it at once, as Linux does, so that a client reusing its ports under a connection-per-request load is
/// never refused; the compact set is bounded and recycles its oldest wait.
/// </summary>
public sealed class TimeWaitTests
{
    private const uint PeerIss = 1000;
    // After the peer's SYN and FIN.
    private const uint PeerFinEnd = PeerIss + 2;

    [Test]
    public void ServerThatClosesFirst_KeepsItsTimeWaitCompact_OutsideTheTable()
    {
        using var server = new ListeningStack(backlog: 4);
        ServerClosesFirst(server, peerPort: 40000, tsval: 100);

        Assert.That(server.Stack.Tcp.ConnectionCount, Is.Zero, "no control block is held for the wait");
        Assert.That(server.Stack.Tcp.TimeWaitCount, Is.EqualTo(1));
    }

    [Test]
    public void SynWithANewerTimestamp_ReopensTheTimeWaitAtOnce_WhateverItsSequenceNumber()
    {
        using var server = new ListeningStack(backlog: 4);
        ServerClosesFirst(server, peerPort: 40000, tsval: 100);

        server.Nic.Inject(SegmentWithOptions(40000, seq: 500, ack: 0, TcpFlags.Syn, tsval: 200, tsecr: 0));
        server.Loop.RunOnce();

        byte[] answer = server.Nic.TakeSent().Single();
        Assert.That(Flags(answer), Is.EqualTo(TcpFlags.Syn | TcpFlags.Ack));
        Assert.That(Field(answer, seq: false), Is.EqualTo(501u), "the SYN,ACK acknowledges the new incarnation's SYN");
        Assert.That(server.Stack.Tcp.Counters.TimeWaitsReused, Is.EqualTo(1));
        Assert.That((server.Stack.Tcp.TimeWaitCount, server.Stack.Tcp.ConnectionCount), Is.EqualTo((0, 1)));
    }

    [Test]
    public void SynWithAnOlderTimestampAndNoSequenceAdvance_IsDropped_AndTheWaitGoesOn()
    {
        using var server = new ListeningStack(backlog: 4);
        ServerClosesFirst(server, peerPort: 40000, tsval: 100);

        server.Nic.Inject(SegmentWithOptions(40000, seq: 500, ack: 0, TcpFlags.Syn, tsval: 50, tsecr: 0));
        server.Loop.RunOnce();

        Assert.That(server.Nic.TakeSent(), Is.Empty, "RFC 6191: silently dropped");
        Assert.That(server.Stack.Tcp.TimeWaitCount, Is.EqualTo(1));
        Assert.That(server.Stack.Tcp.Counters.TimeWaitsReused, Is.Zero);
    }

    [Test]
    public void SynWithoutTimestamps_ReopensOnlyAboveRcvNxt()
    {
        using var server = new ListeningStack(backlog: 4);
        ServerClosesFirst(server, peerPort: 40000, tsval: 100);

        server.Nic.Inject(Syn(40000, seq: PeerFinEnd - 1));
        server.Loop.RunOnce();
        Assert.That(server.Nic.TakeSent(), Is.Empty, "a sequence number inside the old connection's space");

        server.Nic.Inject(Syn(40000, seq: PeerFinEnd + 100_000));
        server.Loop.RunOnce();
        Assert.That(Flags(server.Nic.TakeSent().Single()), Is.EqualTo(TcpFlags.Syn | TcpFlags.Ack));
    }

    /// <summary>RFC 9293 §3.10.7.4: "The only thing that can arrive in this state is a retransmission of the remote FIN. Acknowledge it."</summary>
    [Test]
    public void RetransmittedFin_IsAcknowledgedFromTheCompactTimeWait()
    {
        using var server = new ListeningStack(backlog: 4);
        uint serverFinEnd = ServerClosesFirst(server, peerPort: 40000, tsval: 100);

        server.Nic.Inject(SegmentWithOptions(40000, PeerIss + 1, serverFinEnd, TcpFlags.Fin | TcpFlags.Ack, tsval: 103, tsecr: 0));
        server.Loop.RunOnce();

        byte[] ack = server.Nic.TakeSent().Single();
        Assert.That(Flags(ack), Is.EqualTo(TcpFlags.Ack));
        Assert.That((Field(ack, seq: true), Field(ack, seq: false)), Is.EqualTo((serverFinEnd, PeerFinEnd)));
        Assert.That(Options(ack).TimestampEchoReply, Is.EqualTo(102u), "TS.Recent: the FIN that completed the close");
    }

    [Test]
    public void FullSet_EndsItsOldestWait()
    {
        using var server = new ListeningStack(backlog: 4, new NetStackOptions { MaxTcpTimeWaits = 2 });
        ServerClosesFirst(server, peerPort: 40001, tsval: 100);
        ServerClosesFirst(server, peerPort: 40002, tsval: 100);
        ServerClosesFirst(server, peerPort: 40003, tsval: 100);

        Assert.That(server.Stack.Tcp.TimeWaitCount, Is.EqualTo(2));
        Assert.That(server.Stack.Tcp.Counters.TimeWaitsEvicted, Is.EqualTo(1));
        // The oldest wait is gone: a SYN that its wait would have dropped now opens a connection.
        server.Nic.Inject(SegmentWithOptions(40001, seq: 500, ack: 0, TcpFlags.Syn, tsval: 50, tsecr: 0));
        server.Loop.RunOnce();
        Assert.That(Flags(server.Nic.TakeSent().Single()), Is.EqualTo(TcpFlags.Syn | TcpFlags.Ack));
    }

    [Test]
    public void Wait_EndsAfterTimeWaitDuration()
    {
        using var server = new ListeningStack(backlog: 4);
        ServerClosesFirst(server, peerPort: 40000, tsval: 100);
        var clock = (Seqs.Simulation.VirtualClock)server.Loop.TimeProvider;

        clock.Advance(server.Stack.Tcp.DefaultOptions.TimeWaitDuration - TimeSpan.FromSeconds(1));
        server.Loop.RunOnce();
        Assert.That(server.Stack.Tcp.TimeWaitCount, Is.EqualTo(1));
        clock.Advance(TimeSpan.FromSeconds(1));
        server.Loop.RunOnce();
        Assert.That(server.Stack.Tcp.TimeWaitCount, Is.Zero);
    }

    /// <summary>RFC 9293 §3.10.7.4: a retransmitted FIN restarts the 2 MSL wait from its arrival.</summary>
    [Test]
    public void RetransmittedFin_RestartsTheWait()
    {
        using var server = new ListeningStack(backlog: 4);
        uint serverFinEnd = ServerClosesFirst(server, peerPort: 40000, tsval: 100);
        var clock = (Seqs.Simulation.VirtualClock)server.Loop.TimeProvider;
        TimeSpan duration = server.Stack.Tcp.DefaultOptions.TimeWaitDuration;

        clock.Advance(duration / 2);
        server.Nic.Inject(SegmentWithOptions(40000, PeerIss + 1, serverFinEnd, TcpFlags.Fin | TcpFlags.Ack, tsval: 103, tsecr: 0));
        server.Loop.RunOnce();
        clock.Advance(duration / 2 + TimeSpan.FromSeconds(1));
        server.Loop.RunOnce();
        Assert.That(server.Stack.Tcp.TimeWaitCount, Is.EqualTo(1), "the wait started again with the FIN");
        clock.Advance(duration / 2);
        server.Loop.RunOnce();
        Assert.That(server.Stack.Tcp.TimeWaitCount, Is.Zero);
    }

    /// <summary>RFC 6191 §2, each case of its algorithm.</summary>
    [TestCase(true, 200u, 500u, true, ExpectedResult = true, TestName = "Old used TS, new would: newer TSval reopens")]
    [TestCase(true, 100u, 5000u, true, ExpectedResult = true, TestName = "Old used TS, new would: equal TSval and a higher SEQ reopen")]
    [TestCase(true, 100u, 500u, true, ExpectedResult = false, TestName = "Old used TS, new would: equal TSval and a lower SEQ are dropped")]
    [TestCase(true, 50u, 5000u, true, ExpectedResult = false, TestName = "Old used TS, new would: an older TSval is dropped")]
    [TestCase(true, 50u, 5000u, false, ExpectedResult = true, TestName = "Old used TS, new would not: a higher SEQ reopens")]
    [TestCase(false, 50u, 500u, true, ExpectedResult = true, TestName = "Old did not use TS, new would: reopens")]
    [TestCase(false, 50u, 500u, false, ExpectedResult = false, TestName = "Neither: a lower SEQ is dropped")]
    [TestCase(false, 50u, 5000u, false, ExpectedResult = true, TestName = "Neither: a higher SEQ reopens")]
    public bool NewIncarnation_FollowsRfc6191(bool oldUsedTimestamps, uint tsval, uint seq, bool timestampsForNew) =>
        TcpControlBlock.AllowsNewIncarnation(
            new Segment(new SeqNumber(seq), default, TcpFlags.Syn, 65535, Timestamps: new TcpTimestamps(tsval, 0)),
            rcvNxt: new SeqNumber(1002), oldUsedTimestamps, tsRecent: 100, timestampsForNew);

    /// <summary>
    /// The peer connects from <paramref name="peerPort"/> with timestamps, the server accepts and closes at once,
    /// and the peer acknowledges the FIN with its own: the server is in TIME-WAIT. Returns the server's SND.NXT.
    /// </summary>
    private static uint ServerClosesFirst(ListeningStack server, ushort peerPort, uint tsval)
    {
        (NetLoop loop, RecordingNic nic, NetStack _, TcpListener listener) = server;
        nic.Inject(SegmentWithOptions(peerPort, PeerIss, 0, TcpFlags.Syn, tsval, tsecr: 0, windowShift: 7));
        loop.RunOnce();
        byte[] synAck = nic.TakeSent().Single();
        uint serverIss = Field(synAck, seq: true);
        uint serverTs = Options(synAck).TimestampValue;
        nic.Inject(SegmentWithOptions(peerPort, PeerIss + 1, serverIss + 1, TcpFlags.Ack, tsval + 1, serverTs));
        loop.Post(async _ => (await listener.AcceptAsync()).Disconnect(), null);
        loop.RunOnce();
        loop.RunOnce();
        loop.RunOnce();
        byte[] fin = nic.TakeSent().Single();
        Assert.That(Flags(fin) & TcpFlags.Fin, Is.EqualTo(TcpFlags.Fin), "the server closes first");
        uint serverFinEnd = serverIss + 2;
        nic.Inject(SegmentWithOptions(peerPort, PeerIss + 1, serverFinEnd, TcpFlags.Fin | TcpFlags.Ack, tsval + 2, serverTs));
        loop.RunOnce();
        loop.RunOnce();
        byte[] lastAck = nic.TakeSent().Single();
        Assert.That((Flags(lastAck), Field(lastAck, seq: false)), Is.EqualTo((TcpFlags.Ack, PeerFinEnd)));
        return serverFinEnd;
    }
}
