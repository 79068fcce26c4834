using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Tests.Stack;
using Seqs.Wire;
using static Seqs.Tests.Tcp.PeerSegments;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Tcp;

/// <summary>A listener under a SYN flood keeps bounded state and still lets real clients in through SYN cookies.</summary>
public sealed class SynFloodTests
{
    [Test]
    public void Flood_KeepsStateBounded_AndACookieHandshakeStillConnects()
    {
        using var server = new ListeningStack(backlog: 4);
        (NetLoop loop, RecordingNic nic, NetStack stack, TcpListener listener) = server;

        for (int i = 0; i < 5000; i++)
        {
            nic.Inject(Syn(sourcePort: (ushort)(1024 + i), seq: (uint)(i * 7919)));
            if (i % 32 == 0)
                loop.RunOnce();
        }
        loop.RunOnce();
        loop.RunOnce();
        List<byte[]> answers = nic.TakeSent();

        Assert.That(stack.Tcp.ConnectionCount, Is.EqualTo(4), "only the SYN queue holds state");
        Assert.That(stack.Tcp.Counters.SynCookiesSent, Is.EqualTo(5000 - 4));
        Assert.That(answers.Count(f => Flags(f) == (TcpFlags.Syn | TcpFlags.Ack)), Is.EqualTo(5000));

        // A real client among the flood: its SYN,ACK carried a cookie; its ACK completes the connection.
        nic.Inject(Syn(sourcePort: 40000, seq: 1000));
        loop.RunOnce();
        byte[] synAck = nic.TakeSent().Single();
        uint cookie = Field(synAck, seq: true);
        nic.Inject(Segment(40000, 1001, cookie + 1, TcpFlags.Ack, "GET /"u8.ToArray()));
        TcpConnection? accepted = null;
        loop.Post(async _ =>
        {
            accepted = await listener.AcceptAsync();
        }, null);
        loop.RunOnce();
        loop.RunOnce();

        Assert.That(accepted, Is.Not.Null, "the cookie client was accepted");
        Assert.That(accepted!.State, Is.EqualTo(TcpState.Established));
        Assert.That(accepted.RemoteEndPoint.Port, Is.EqualTo(40000));
        Assert.That(stack.Tcp.Counters.SynCookiesAccepted, Is.EqualTo(1));
    }

    /// <summary>
    /// A client that offers timestamps, window scaling and SACK gets them from a cookie SYN,ACK too (the cookie's
    /// TSval carries its shift and SACK-permitted, and its ACK echoes them), as from the SYN queue.
    /// </summary>
    [Test]
    public void ACookieHandshake_KeepsWindowScalingSackAndTimestamps()
    {
        using var server = new ListeningStack(backlog: 1);
        (NetLoop loop, RecordingNic nic, NetStack stack, TcpListener listener) = server;
        nic.Inject(Syn(sourcePort: 30000, seq: 1));
        loop.RunOnce();
        nic.TakeSent();

        // The SYN queue is full: this SYN gets a cookie.
        nic.Inject(SegmentWithOptions(40000, 1000, 0, TcpFlags.Syn, tsval: 555, tsecr: 0, windowShift: 7));
        loop.RunOnce();
        byte[] synAck = nic.TakeSent().Single();
        Assert.That(stack.Tcp.Counters.SynCookiesSent, Is.EqualTo(1));
        TcpOptions offered = Options(synAck);
        Assert.That(offered.HasTimestamps && offered.SackPermitted && offered.WindowScale is not null, Is.True, offered.ToString());
        Assert.That(offered.TimestampEchoReply, Is.EqualTo(555));

        nic.Inject(SegmentWithOptions(40000, 1001, Field(synAck, seq: true) + 1, TcpFlags.Ack, tsval: 556, tsecr: offered.TimestampValue, data: "GET /"u8.ToArray()));
        TcpConnection? accepted = null;
        loop.Post(async _ =>
        {
            accepted = await listener.AcceptAsync();
            await accepted.WriteAsync("HTTP"u8.ToArray());
        }, null);
        loop.RunOnce();
        loop.RunOnce();
        loop.RunOnce();

        Assert.That(stack.Tcp.Counters.SynCookiesAccepted, Is.EqualTo(1));
        TcpControlBlock tcb = accepted!.Tcb!;
        Assert.That(tcb.WindowScaling, Is.True);
        Assert.That(tcb.SendWindowShift, Is.EqualTo(7));
        Assert.That(tcb.SackPermitted, Is.True);
        Assert.That(tcb.SndWnd, Is.EqualTo(64240 << 7), "the ACK's window is scaled by the peer's shift");
        TcpOptions answer = Options(nic.TakeSent().Single());
        Assert.That(answer.HasTimestamps, Is.True, "every segment now carries timestamps");
        Assert.That(answer.TimestampEchoReply, Is.EqualTo(556));
    }

    [Test]
    public void AckWithAForgedCookie_IsReset()
    {
        using var server = new ListeningStack(backlog: 1);
        (NetLoop loop, RecordingNic nic, NetStack stack, TcpListener listener) = server;

        nic.Inject(Segment(40000, 1001, 0x12345678, TcpFlags.Ack, []));
        loop.RunOnce();

        Assert.That(Flags(nic.TakeSent().Single()), Is.EqualTo(TcpFlags.Rst));
        Assert.That(stack.Tcp.ConnectionCount, Is.Zero);
    }

    /// <summary>
    /// An ACK is taken as a cookie's echo only while the listener has recently sent cookies (as Linux checks a recent
    /// SYN queue overflow): an ACK carrying a correct cookie that this listener never sent (computed here with the
    /// stack's own key, as a lucky guess would be) is answered with a reset and opens nothing.
    /// </summary>
    [Test]
    public void ValidCookieAck_WithoutACookieSentRecently_IsReset()
    {
        using var server = new ListeningStack(backlog: 4);
        (NetLoop loop, RecordingNic nic, NetStack stack, TcpListener _) = server;
        var local = new Ipv4EndPoint(Our, 80);
        var remote = new Ipv4EndPoint(Peer, 40000);
        SeqNumber cookie = stack.Tcp.Cookies.Issue(local, remote, new Segment(new SeqNumber(1000), default, TcpFlags.Syn, 64240), loop.Now);

        nic.Inject(Segment(40000, 1001, cookie.Value + 1, TcpFlags.Ack, []));
        loop.RunOnce();

        Assert.That(Flags(nic.TakeSent().Single()), Is.EqualTo(TcpFlags.Rst));
        Assert.That((stack.Tcp.ConnectionCount, stack.Tcp.Counters.SynCookiesAccepted), Is.EqualTo((0, 0L)));
    }
}
