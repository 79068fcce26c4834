using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Tests.Stack;
using Seqs.Wire;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Tcp;

/// <summary>A listener under a SYN flood keeps bounded state and still lets real clients in through SYN cookies.</summary>
public sealed class SynFloodTests
{
    private static readonly MacAddress OurMac = new(0x02_00_00_00_00_02);
    private static readonly MacAddress PeerMac = new(0x02_00_00_00_00_01);
    private static readonly Ipv4Address Our = new(10, 0, 0, 2);
    private static readonly Ipv4Address Peer = new(10, 0, 0, 1);

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

    /// <summary>A stack on a recording NIC with a listener on port 80, the peer's MAC already learnt.</summary>
    private sealed class ListeningStack : IDisposable
    {
        public ListeningStack(int backlog)
        {
            Loop = new NetLoop(new VirtualClock());
            Nic = new RecordingNic(OurMac);
            Stack = new NetStack(Loop, Nic, randomSeed: 3);
            Stack.Configure(new Ipv4Cidr(Our, 24));
            Nic.Inject(PeerFrames.Arp(ArpOperation.Request, PeerMac, Peer, MacAddress.Zero, Our));
            Listener = new TcpListener(Stack.Tcp, 80, backlog: backlog);
            Listener.Start();
            Loop.RunOnce();
            Nic.TakeSent();
        }

        public NetLoop Loop { get; }

        public RecordingNic Nic { get; }

        public NetStack Stack { get; }

        public TcpListener Listener { get; }

        public void Deconstruct(out NetLoop loop, out RecordingNic nic, out NetStack stack, out TcpListener listener) =>
            (loop, nic, stack, listener) = (Loop, Nic, Stack, Listener);

        public void Dispose()
        {
            Listener.Dispose();
            Loop.Dispose();
        }
    }

    private static byte[] Syn(ushort sourcePort, uint seq) => Segment(sourcePort, seq, 0, TcpFlags.Syn, []);

    private static byte[] Segment(ushort sourcePort, uint seq, uint ack, TcpFlags flags, byte[] data)
    {
        var tcp = new byte[TcpSegment.MinHeaderLength + data.Length];
        data.CopyTo(tcp.AsSpan(TcpSegment.MinHeaderLength));
        TcpSegment.WriteHeader(tcp, sourcePort, 80, seq, ack, flags, 64240, 0);
        TcpSegment.WriteChecksum(tcp, Peer, Our);
        return PeerFrames.Ipv4(PeerMac, OurMac, Peer, Our, IpProtocol.Tcp, tcp);
    }

    /// <summary>A segment with options as Linux lays them out: on a SYN, MSS, SACK-permitted, timestamps and window scale; else timestamps.</summary>
    private static byte[] SegmentWithOptions(ushort sourcePort, uint seq, uint ack, TcpFlags flags, uint tsval, uint tsecr, byte windowShift = 0, byte[]? data = null)
    {
        data ??= [];
        var tcp = new byte[TcpSegment.MaxHeaderLength + data.Length];
        var options = new TcpOptionWriter(tcp.AsSpan(TcpSegment.MinHeaderLength));
        if ((flags & TcpFlags.Syn) != 0)
        {
            options.WriteMaximumSegmentSize(1460);
            options.WriteSackPermitted();
            options.WriteTimestamps(tsval, tsecr);
            options.WriteNop();
            options.WriteWindowScale(windowShift);
        }
        else
        {
            options.WriteNop();
            options.WriteNop();
            options.WriteTimestamps(tsval, tsecr);
        }
        int optionsLength = options.Finish();
        int headerLength = TcpSegment.WriteHeader(tcp, sourcePort, 80, seq, ack, flags, 64240, optionsLength);
        data.CopyTo(tcp.AsSpan(headerLength));
        byte[] segment = tcp[..(headerLength + data.Length)];
        TcpSegment.WriteChecksum(segment, Peer, Our);
        return PeerFrames.Ipv4(PeerMac, OurMac, Peer, Our, IpProtocol.Tcp, segment);
    }

    private static TcpOptions Options(byte[] frame)
    {
        Assert.That(EthernetFrame.TryParse(frame, out EthernetFrame ethernet, out _), Is.True);
        Assert.That(Ipv4Packet.TryParse(ethernet.Payload, out Ipv4Packet ip, out _), Is.True);
        Assert.That(TcpSegment.TryParse(ip.Payload, out TcpSegment tcp, out _), Is.True);
        return tcp.ParsedOptions;
    }

    private static TcpFlags Flags(byte[] frame) => Parse(frame).Flags;

    private static uint Field(byte[] frame, bool seq) => seq ? Parse(frame).SequenceNumber : Parse(frame).AcknowledgmentNumber;

    private static (TcpFlags Flags, uint SequenceNumber, uint AcknowledgmentNumber) Parse(byte[] frame)
    {
        Assert.That(EthernetFrame.TryParse(frame, out EthernetFrame ethernet, out _), Is.True);
        Assert.That(Ipv4Packet.TryParse(ethernet.Payload, out Ipv4Packet ip, out _), Is.True);
        Assert.That(TcpSegment.TryParse(ip.Payload, out TcpSegment tcp, out _), Is.True);
        return (tcp.Flags, tcp.SequenceNumber, tcp.AcknowledgmentNumber);
    }
}
