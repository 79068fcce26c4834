using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Tests.Stack;
using Seqs.Wire;
using static Seqs.Tests.Tcp.PeerSegments;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Tcp;

/// <summary>
/// Who gets a place in a full connection table: spoofed SYNs and idle connections piled on one service must not keep
/// a client of another service (the web interface on port 80) out, and half-open connections age out on the SYN,ACK
/// schedule.
/// </summary>
public sealed class ConnectionAdmissionTests
{
    private const ushort Echo = 7;

    /// <summary>A table of eight places: a web listener on port 80 and, here, an echo listener on port 7.</summary>
    private static ListeningStack EightPlaces() => new(backlog: 16, new NetStackOptions { MaxTcpConnections = 8 });

    [Test]
    public void Listener_KeepsAQuarterOfTheTableForOthers_ByDefault()
    {
        using var server = EightPlaces();
        Assert.That(server.Listener.MaxConnections, Is.EqualTo(6));
        using var ofSixtyFour = new ListeningStack(backlog: 4);
        Assert.That(ofSixtyFour.Listener.MaxConnections, Is.EqualTo(48));
    }

    /// <summary>
    /// A listener at its bound: while half-open connections hold its places, a further SYN gets a cookie (its ACK
    /// would take the place of the oldest); once its connections are established, further SYNs are dropped.
    /// </summary>
    [Test]
    public void ListenerAtItsBound_AnswersWithCookiesWhileHalfOpen_AndDropsOnceEstablished()
    {
        using var server = EightPlaces();
        (NetLoop loop, RecordingNic nic, NetStack stack, _) = server;
        using TcpListener echo = Listening(server, Echo, maxConnections: 2);
        var synAcks = new List<byte[]>();
        for (ushort i = 0; i < 3; i++)
        {
            nic.Inject(Syn(sourcePort: (ushort)(1000 + i), seq: 1, destinationPort: Echo));
            loop.RunOnce();
            synAcks.Add(nic.TakeSent().Single());
        }
        Assert.That(stack.Tcp.ConnectionCount, Is.EqualTo(2));
        Assert.That(stack.Tcp.Counters.SynCookiesSent, Is.EqualTo(1), "the third SYN got a cookie");

        for (ushort i = 0; i < 2; i++)
        {
            nic.Inject(Segment((ushort)(1000 + i), 2, Field(synAcks[i], seq: true) + 1, TcpFlags.Ack, [], Echo));
            loop.RunOnce();
        }
        nic.Inject(Syn(sourcePort: 1003, seq: 1, destinationPort: Echo));
        loop.RunOnce();

        Assert.That(nic.TakeSent(), Is.Empty, "dropped, so the client retries later");
        Assert.That(echo.DroppedSyns, Is.EqualTo(1));
        Assert.That(stack.Tcp.ConnectionCount, Is.EqualTo(2));
    }

    /// <summary>
    /// Spoofed SYNs (never completed) fill the whole table; a real client's SYN gets a cookie rather than a drop, and
    /// its completed handshake takes the place of the oldest half-open connection.
    /// </summary>
    [Test]
    public void SpoofedSynsFillingTheTable_DoNotKeepOutARealClient()
    {
        using var server = EightPlaces();
        (NetLoop loop, RecordingNic nic, NetStack stack, TcpListener web) = server;
        using TcpListener echo = Listening(server, Echo, maxConnections: 8);
        for (ushort i = 0; i < 8; i++)
        {
            nic.Inject(Syn(sourcePort: (ushort)(1000 + i), seq: 1, destinationPort: Echo));
            loop.RunOnce();
            server.Clock.Advance(TimeSpan.FromMilliseconds(100));
        }
        nic.TakeSent();
        Assert.That(stack.Tcp.ConnectionCount, Is.EqualTo(8), "the table is full of half-open connections");

        nic.Inject(Syn(sourcePort: 40000, seq: 1000));
        loop.RunOnce();
        byte[] synAck = nic.TakeSent().Single();
        Assert.That(Flags(synAck), Is.EqualTo(TcpFlags.Syn | TcpFlags.Ack));
        Assert.That((stack.Tcp.Counters.SynCookiesSent, stack.Tcp.Counters.SynsDropped), Is.EqualTo((1L, 0L)));

        List<TcpConnection> accepted = Accepting(loop, web);
        nic.Inject(Segment(40000, 1001, Field(synAck, seq: true) + 1, TcpFlags.Ack, "GET /"u8.ToArray()));
        loop.RunOnce();
        loop.RunOnce();

        Assert.That(accepted, Has.Count.EqualTo(1), "the real client got in");
        Assert.That(stack.Tcp.Counters.ConnectionsEvicted, Is.EqualTo(1));
        Assert.That(stack.Tcp.ConnectionCount, Is.EqualTo(8));
        Assert.That(stack.Tcp.ConnectionsOn(Echo), Is.EqualTo(7), "one half-open connection made room");
    }

    /// <summary>
    /// Eight idle connections accepted by one service fill the table; a client of another service still gets in, in
    /// the place of the first service's longest idle connection, whose peer is told with a reset.
    /// </summary>
    [Test]
    public void IdleConnectionsOfOneService_YieldToAnotherServicesClient()
    {
        using var server = EightPlaces();
        (NetLoop loop, RecordingNic nic, NetStack stack, TcpListener web) = server;
        using TcpListener echo = Listening(server, Echo, maxConnections: 8);
        var held = new List<TcpConnection>();
        loop.Post(async _ =>
        {
            while (held.Count < 8)
                held.Add(await echo.AcceptAsync());
        }, null);
        for (ushort i = 0; i < 8; i++)
        {
            ushort port = (ushort)(1000 + i);
            nic.Inject(Syn(port, seq: 1, destinationPort: Echo));
            loop.RunOnce();
            uint iss = Field(nic.TakeSent().Single(), seq: true);
            nic.Inject(Segment(port, 2, iss + 1, TcpFlags.Ack, [], Echo));
            loop.RunOnce();
            server.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.That(held, Has.Count.EqualTo(8));

        nic.Inject(Syn(sourcePort: 40000, seq: 1000));
        loop.RunOnce();
        byte[] synAck = nic.TakeSent().Single();
        List<TcpConnection> accepted = Accepting(loop, web);
        nic.Inject(Segment(40000, 1001, Field(synAck, seq: true) + 1, TcpFlags.Ack, "GET /"u8.ToArray()));
        loop.RunOnce();
        loop.RunOnce();

        Assert.That(accepted, Has.Count.EqualTo(1), "the web client got in");
        Assert.That(held[0].State, Is.EqualTo(TcpState.Closed), "the longest idle echo connection made room");
        Assert.That(held.Skip(1).Select(c => c.State), Is.All.EqualTo(TcpState.Established));
        Assert.That(nic.TakeSent().Any(f => Flags(f).HasFlag(TcpFlags.Rst)), Is.True, "its peer was told");
        Assert.That(stack.Tcp.Counters.ConnectionsEvicted, Is.EqualTo(1));
    }

    /// <summary>
    /// A half-open connection whose SYN,ACKs go unanswered is given up after the fifth retransmission's timeout
    /// (1 + 2 + 4 + 8 + 16 + 32 = 63 s, Linux's tcp_synack_retries), before the 75 s connect timeout.
    /// </summary>
    [Test]
    public void HalfOpenConnection_AgesOutOnTheSynAckSchedule()
    {
        using var server = EightPlaces();
        (NetLoop loop, RecordingNic nic, NetStack stack, _) = server;
        nic.Inject(Syn(sourcePort: 1000, seq: 1));
        loop.RunOnce();
        var synAcksAt = new List<double>();
        for (int ms = 0; ms <= 70_000; ms += 500)
        {
            server.Clock.AdvanceTo(TimeSpan.FromMilliseconds(ms));
            loop.RunOnce();
            foreach (byte[] frame in nic.TakeSent())
            {
                if (IsIpv4(frame))
                {
                    Assert.That(Flags(frame), Is.EqualTo(TcpFlags.Syn | TcpFlags.Ack));
                    synAcksAt.Add(ms / 1000.0);
                }
                else
                {
                    // From the second timeout on, the stack checks the peer's link-layer address; the peer answers.
                    nic.Inject(PeerFrames.Arp(ArpOperation.Reply, PeerMac, Peer, OurMac, Our));
                }
            }
            if (stack.Tcp.ConnectionCount == 0)
                break;
        }

        Assert.That(synAcksAt, Is.EqualTo(new[] { 0, 1, 3, 7, 15, 31 }));
        Assert.That(stack.Tcp.ConnectionCount, Is.Zero);
        Assert.That(server.Loop.Now, Is.EqualTo(TimeSpan.FromSeconds(63)));
        Assert.That(stack.Tcp.Counters.HalfOpenTimeouts, Is.EqualTo(1));
    }

    private static TcpListener Listening(ListeningStack server, ushort port, int maxConnections)
    {
        var listener = new TcpListener(server.Stack.Tcp, port, backlog: 16, maxConnections: maxConnections);
        listener.Start();
        server.Loop.RunOnce();
        return listener;
    }

    private static bool IsIpv4(byte[] frame) => EthernetFrame.TryParse(frame, out EthernetFrame ethernet, out _) && ethernet.EtherType == EtherType.Ipv4;

    /// <summary>The connections <paramref name="listener"/> accepts from now on, as they come.</summary>
    private static List<TcpConnection> Accepting(NetLoop loop, TcpListener listener)
    {
        var accepted = new List<TcpConnection>();
        loop.Post(async _ => accepted.Add(await listener.AcceptAsync()), null);
        loop.RunOnce();
        return accepted;
    }
}
