using System.Net.Sockets;
using UdpReceiveResult = Seqs.Stack.UdpReceiveResult;
using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tests.Device;
using Seqs.Wire;

namespace Seqs.Tests.Stack;

public sealed class NetStackTests
{
    private static readonly MacAddress OurMac = MacAddress.Parse("02:00:00:00:00:02");
    private static readonly MacAddress PeerMac = MacAddress.Parse("02:00:00:00:00:01");
    private static readonly MacAddress GatewayMac = MacAddress.Parse("02:00:00:00:00:fe");
    private static readonly Ipv4Address Our = new(10, 0, 0, 2);
    private static readonly Ipv4Address Peer = new(10, 0, 0, 1);
    private static readonly Ipv4Address GatewayAddress = new(10, 0, 0, 254);

    private VirtualClock _clock = null!;
    private NetLoop _loop = null!;
    private RecordingNic _nic = null!;
    private NetStack _stack = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new VirtualClock();
        _loop = new NetLoop(_clock);
        _nic = new RecordingNic(OurMac);
        _stack = new NetStack(_loop, _nic, randomSeed: 1);
        _stack.Configure(new Ipv4Cidr(Our, 24), GatewayAddress);
        _loop.RunOnce();
    }

    [TearDown]
    public void TearDown() => _loop.Dispose();

    [Test]
    public void Configure_AnnouncesTheAddressWithAGratuitousArp()
    {
        byte[] frame = _nic.Sent.Single();
        ArpPacket arp = ParseArp(frame, out EthernetFrame ethernet);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ethernet.Destination, Is.EqualTo(MacAddress.Broadcast));
            Assert.That(arp.Operation, Is.EqualTo(ArpOperation.Request));
            Assert.That(arp.SenderProtocolAddress, Is.EqualTo(Our));
            Assert.That(arp.TargetProtocolAddress, Is.EqualTo(Our));
            Assert.That(arp.SenderHardwareAddress, Is.EqualTo(OurMac));
        }
    }

    [Test]
    public void ArpRequestForOurAddress_IsAnsweredAndTheRequesterCached()
    {
        _nic.TakeSent();
        _nic.Inject(PeerFrames.Arp(ArpOperation.Request, PeerMac, Peer, MacAddress.Zero, Our));
        _loop.RunOnce();

        byte[] reply = _nic.TakeSent().Single();
        ArpPacket arp = ParseArp(reply, out EthernetFrame ethernet);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ethernet.Destination, Is.EqualTo(PeerMac));
            Assert.That(ethernet.Source, Is.EqualTo(OurMac));
            Assert.That(arp.Operation, Is.EqualTo(ArpOperation.Reply));
            Assert.That(arp.SenderHardwareAddress, Is.EqualTo(OurMac));
            Assert.That(arp.SenderProtocolAddress, Is.EqualTo(Our));
            Assert.That(arp.TargetHardwareAddress, Is.EqualTo(PeerMac));
            Assert.That(arp.TargetProtocolAddress, Is.EqualTo(Peer));
            Assert.That(_stack.TryGetNeighbor(Peer, out MacAddress cached) && cached == PeerMac, Is.True);
        }
    }

    [Test]
    public void ArpRequestForAnotherHost_IsCountedNotAnsweredNotCached()
    {
        _nic.TakeSent();
        _nic.Inject(PeerFrames.Arp(ArpOperation.Request, PeerMac, Peer, MacAddress.Zero, new Ipv4Address(10, 0, 0, 9)));
        _loop.RunOnce();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_nic.Sent, Is.Empty);
            Assert.That(_stack.Counters.ArpNotForUs, Is.EqualTo(1));
            Assert.That(_stack.TryGetNeighbor(Peer, out _), Is.False);
        }
    }

    [Test]
    public void ArpClaimingOurAddress_IsCountedAsConflict()
    {
        _nic.TakeSent();
        _nic.Inject(PeerFrames.Arp(ArpOperation.Request, PeerMac, Our, MacAddress.Zero, Our));
        _loop.RunOnce();
        Assert.That(_stack.Counters.ArpAddressConflicts, Is.EqualTo(1));
        Assert.That(_nic.Sent, Is.Empty);
    }

    [Test]
    public void ArpConflictFlood_LogsFiveLinesAMinute_AndTheNextMinuteSaysHowManyWereSuppressed()
    {
        var log = new RecordingLogger<NetStack>();
        using var loop = new NetLoop(_clock);
        var nic = new RecordingNic(OurMac);
        var stack = new NetStack(loop, nic, logger: log, randomSeed: 2);
        stack.Configure(new Ipv4Cidr(Our, 24));
        loop.RunOnce();

        // 1000 forged replies claiming our address, one every tenth of a second: a hundred seconds of them.
        for (int i = 0; i < 1000; i++)
        {
            var forger = new MacAddress(0x02_66_00_00_00_00UL + (ulong)i);
            nic.Inject(PeerFrames.Arp(ArpOperation.Reply, forger, Our, OurMac, Our));
            loop.RunOnce();
            _clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        string[] lines = [.. log.Entries.Where(e => e.Message.StartsWith("Address conflict", StringComparison.Ordinal)).Select(e => e.Message)];
        Assert.That(stack.Counters.ArpAddressConflicts, Is.EqualTo(1000));
        Assert.That(lines, Has.Length.EqualTo(10), "five in each of the two minutes the flood touched");
        Assert.That(lines[..5], Has.None.Contains("suppressed"));
        Assert.That(lines[5], Does.EndWith("(RFC 5227) (595 suppressed)"));
    }

    [Test]
    public void EchoRequest_IsAnsweredWithItsIdentifierSequenceAndData()
    {
        LearnPeer();
        byte[] data = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        _nic.Inject(PeerFrames.EchoRequest(PeerMac, OurMac, Peer, Our, identifier: 0x1234, sequence: 7, data));
        _loop.RunOnce();

        byte[] frame = _nic.TakeSent().Single();
        Assert.That(EthernetFrame.TryParse(frame, out EthernetFrame ethernet, out _), Is.True);
        Assert.That(Ipv4Packet.TryParse(ethernet.Payload, out Ipv4Packet ip, out _), Is.True);
        Assert.That(IcmpMessage.TryParse(ip.Payload, out IcmpMessage icmp, out _), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ethernet.Destination, Is.EqualTo(PeerMac));
            Assert.That(ip.SourceAddress, Is.EqualTo(Our));
            Assert.That(ip.DestinationAddress, Is.EqualTo(Peer));
            Assert.That(ip.TimeToLive, Is.EqualTo(64));
            Assert.That(icmp.Type, Is.EqualTo(IcmpType.EchoReply));
            Assert.That(icmp.Identifier, Is.EqualTo(0x1234));
            Assert.That(icmp.SequenceNumber, Is.EqualTo(7));
            Assert.That(icmp.Data.ToArray(), Is.EqualTo(data));
            Assert.That(_stack.Counters.IcmpEchoRepliesSent, Is.EqualTo(1));
        }
    }

    [Test]
    public void EchoRequestFromUnknownHost_WaitsForArpThenIsAnswered()
    {
        _nic.TakeSent();
        _nic.Inject(PeerFrames.EchoRequest(PeerMac, OurMac, Peer, Our, 1, 1, [1, 2, 3]));
        _loop.RunOnce();
        ArpPacket request = ParseArp(_nic.TakeSent().Single(), out _);
        Assert.That(request.TargetProtocolAddress, Is.EqualTo(Peer));

        _nic.Inject(PeerFrames.Arp(ArpOperation.Reply, PeerMac, Peer, OurMac, Our, OurMac));
        _loop.RunOnce();
        byte[] reply = _nic.TakeSent().Single();
        Assert.That(EthernetFrame.TryParse(reply, out EthernetFrame ethernet, out _), Is.True);
        Assert.That(ethernet.Destination, Is.EqualTo(PeerMac));
        Assert.That(ethernet.EtherType, Is.EqualTo(EtherType.Ipv4));
    }

    [Test]
    public void UnansweredArp_IsRetriedEverySecond_ThenThePacketIsDropped()
    {
        _nic.TakeSent();
        _nic.Inject(PeerFrames.EchoRequest(PeerMac, OurMac, Peer, Our, 1, 1, [1]));
        _loop.RunOnce();
        Assert.That(_nic.TakeSent(), Has.Count.EqualTo(1));

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        _loop.RunOnce();
        Assert.That(_nic.TakeSent(), Is.Empty, "no retry before the request interval");
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        _loop.RunOnce();
        Assert.That(_nic.TakeSent(), Has.Count.EqualTo(1), "second request at 1 s");
        _clock.Advance(TimeSpan.FromSeconds(1));
        _loop.RunOnce();
        Assert.That(_nic.TakeSent(), Has.Count.EqualTo(1), "third request at 2 s");
        _clock.Advance(TimeSpan.FromSeconds(1));
        _loop.RunOnce();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_nic.TakeSent(), Is.Empty, "three attempts, then give up");
            Assert.That(_stack.Counters.ArpUnresolved, Is.EqualTo(1));
            Assert.That(_loop.NextDeadline, Is.Null, "no timer left running");
        }
    }

    [Test]
    public void UdpToClosedPort_GetsPortUnreachableQuotingTheDatagram_RateLimited()
    {
        LearnPeer();
        for (int i = 0; i < 15; i++)
            _nic.Inject(PeerFrames.Udp(PeerMac, OurMac, new Ipv4EndPoint(Peer, 5000), new Ipv4EndPoint(Our, 4444), [1, 2, 3, 4]));
        _loop.RunOnce();

        List<byte[]> sent = _nic.TakeSent();
        Assert.That(sent, Has.Count.EqualTo(10), "the burst of the ICMP error rate limit");
        Assert.That(EthernetFrame.TryParse(sent[0], out EthernetFrame ethernet, out _), Is.True);
        Assert.That(Ipv4Packet.TryParse(ethernet.Payload, out Ipv4Packet ip, out _), Is.True);
        Assert.That(IcmpMessage.TryParse(ip.Payload, out IcmpMessage icmp, out _), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(icmp.Type, Is.EqualTo(IcmpType.DestinationUnreachable));
            Assert.That(icmp.Code, Is.EqualTo((byte)IcmpUnreachableCode.PortUnreachable));
            Assert.That(icmp.Data.Length, Is.GreaterThanOrEqualTo(28), "invoking IP header + 8 octets");
            Assert.That(Ipv4Address.Read(icmp.Data[16..]), Is.EqualTo(Our));
            Assert.That(_stack.Counters.UdpNoPort, Is.EqualTo(15));
            Assert.That(_stack.Counters.IcmpErrorsRateLimited, Is.EqualTo(5));
        }
    }

    [Test]
    public void BroadcastUdpToClosedPort_GetsNoIcmpError()
    {
        LearnPeer();
        _nic.Inject(PeerFrames.Udp(PeerMac, MacAddress.Broadcast, new Ipv4EndPoint(Peer, 5000), new Ipv4EndPoint(Ipv4Address.Broadcast, 4444), [1]));
        _loop.RunOnce();
        Assert.That(_nic.Sent, Is.Empty);
        Assert.That(_stack.Counters.UdpNoPort, Is.EqualTo(1));
    }

    [Test]
    public void UdpDatagram_ReachesTheBoundSocket_WithItsSender()
    {
        LearnPeer();
        using var socket = new UdpSocket(_stack);
        socket.Bind(7000);
        _nic.Inject(PeerFrames.Udp(PeerMac, OurMac, new Ipv4EndPoint(Peer, 5000), new Ipv4EndPoint(Our, 7000), [9, 8, 7]));
        _loop.RunOnce();

        var buffer = new byte[100];
        Assert.That(socket.TryReceiveFrom(buffer, out UdpReceiveResult result), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ReceivedBytes, Is.EqualTo(3));
            Assert.That(buffer.Take(3), Is.EqualTo(new byte[] { 9, 8, 7 }));
            Assert.That(result.RemoteEndPoint, Is.EqualTo(new Ipv4EndPoint(Peer, 5000)));
            Assert.That(result.Truncated, Is.False);
        }
    }

    [Test]
    public void DirectedBroadcastDatagram_ReachesTheBoundSocket()
    {
        using var socket = new UdpSocket(_stack);
        socket.Bind(7000);
        _nic.Inject(PeerFrames.Udp(PeerMac, MacAddress.Broadcast, new Ipv4EndPoint(Peer, 5000), new Ipv4EndPoint(new Ipv4Address(10, 0, 0, 255), 7000), [1]));
        _loop.RunOnce();
        Assert.That(socket.TryReceiveFrom(new byte[10], out _), Is.True);
    }

    [Test]
    public void MulticastDatagram_IsAcceptedOnlyAfterJoiningTheGroup()
    {
        var group = new Ipv4Address(239, 1, 2, 3);
        var groupMac = MacAddress.Parse("01:00:5e:01:02:03");
        using var socket = new UdpSocket(_stack);
        socket.Bind(7000);
        byte[] frame = PeerFrames.Udp(PeerMac, groupMac, new Ipv4EndPoint(Peer, 5000), new Ipv4EndPoint(group, 7000), [1]);

        _nic.Inject(frame);
        _loop.RunOnce();
        Assert.That(socket.TryReceiveFrom(new byte[10], out _), Is.False, "not a member yet");

        Assert.That(_stack.JoinMulticastGroup(group), Is.True);
        _nic.Inject(frame);
        _loop.RunOnce();
        Assert.That(socket.TryReceiveFrom(new byte[10], out _), Is.True);
    }

    [Test]
    public void BroadcastSend_NeedsEnableBroadcast_AndGoesToTheBroadcastMac()
    {
        _nic.TakeSent();
        using var socket = new UdpSocket(_stack);
        SocketException? refused = null;
        _loop.Post(_ =>
        {
            try
            {
                socket.SendTo([1], new Ipv4EndPoint(Ipv4Address.Broadcast, 67));
            }
            catch (SocketException e)
            {
                refused = e;
            }
            socket.EnableBroadcast = true;
            socket.SendTo([2], new Ipv4EndPoint(Ipv4Address.Broadcast, 67));
        }, null);
        _loop.RunOnce();
        _loop.RunOnce();

        Assert.That(refused?.SocketErrorCode, Is.EqualTo(SocketError.AccessDenied));
        byte[] frame = _nic.TakeSent().Single();
        Assert.That(EthernetFrame.TryParse(frame, out EthernetFrame ethernet, out _), Is.True);
        Assert.That(ethernet.Destination, Is.EqualTo(MacAddress.Broadcast));
    }

    [Test]
    public void UnconfiguredStack_TakesUnicastUdpToAnyAddress_ButAnswersNothing()
    {
        _stack.Deconfigure();
        _nic.TakeSent();
        using var socket = new UdpSocket(_stack);
        socket.Bind(68);
        var offered = new Ipv4Address(10, 0, 0, 77);
        _nic.Inject(PeerFrames.Udp(PeerMac, OurMac, new Ipv4EndPoint(Peer, 67), new Ipv4EndPoint(offered, 68), [2]));
        _nic.Inject(PeerFrames.EchoRequest(PeerMac, OurMac, Peer, offered, 1, 1, [1]));
        _loop.RunOnce();
        Assert.That(socket.TryReceiveFrom(new byte[10], out _), Is.True, "RFC 2131 §4.1 unicast OFFER");
        Assert.That(_nic.Sent, Is.Empty, "no echo reply without an address");
    }

    /// <summary>
    /// A NIC that vouches for a frame's transport checksum (a TAP's segment from the host's own stack, whose checksum
    /// the kernel left undone: the field holds only the pseudo-header sum) has it taken unchecked, as Linux takes
    /// CHECKSUM_PARTIAL; the same frame from a NIC that does not is dropped and counted.
    /// </summary>
    [Test]
    public void TcpAndUdpChecksums_VouchedForByTheNic_AreNotChecked_OtherwiseTheSameFramesAreDropped()
    {
        LearnPeer();
        using var socket = new UdpSocket(_stack);
        socket.Bind(7000);
        byte[] udp = PeerFrames.Udp(PeerMac, OurMac, new Ipv4EndPoint(Peer, 5000), new Ipv4EndPoint(Our, 7000), [9, 8, 7]);
        udp[14 + 20 + 6] ^= 0xFF;
        byte[] syn = new byte[TcpSegment.MinHeaderLength];
        TcpSegment.WriteHeader(syn, 40000, 4444, 1000, 0, TcpFlags.Syn, 1024, 0);
        TcpSegment.WriteChecksum(syn, Peer, Our);
        syn[16] ^= 0xFF;
        byte[] synFrame = PeerFrames.Ipv4(PeerMac, OurMac, Peer, Our, IpProtocol.Tcp, syn);
        _nic.TakeSent();

        _nic.Inject(udp);
        _nic.Inject(synFrame);
        _loop.RunOnce();
        Assert.That(socket.TryReceiveFrom(new byte[10], out _), Is.False);
        Assert.That(_nic.TakeSent(), Is.Empty, "no reset for a SYN that fails its checksum");
        Assert.That((_stack.Counters.UdpChecksumErrors, _stack.Counters.TcpChecksumErrors), Is.EqualTo((1L, 1L)));

        _nic.InjectVouched(udp);
        _nic.InjectVouched(synFrame);
        _loop.RunOnce();
        Assert.That(socket.TryReceiveFrom(new byte[10], out _), Is.True);
        byte[] reset = _nic.TakeSent().Single();
        Assert.That(TcpSegment.TryParse(reset.AsSpan(34), out TcpSegment answer, out _), Is.True);
        Assert.That(answer.Flags, Is.EqualTo(TcpFlags.Rst | TcpFlags.Ack), "RFC 9293 §3.10.7.1: a SYN to a closed port is answered with a reset");
        Assert.That((_stack.Counters.UdpChecksumErrors, _stack.Counters.TcpChecksumErrors), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public void UdpWithBadChecksum_IsDroppedAndCounted()
    {
        LearnPeer();
        using var socket = new UdpSocket(_stack);
        socket.Bind(7000);
        byte[] frame = PeerFrames.Udp(PeerMac, OurMac, new Ipv4EndPoint(Peer, 5000), new Ipv4EndPoint(Our, 7000), [9, 8, 7]);
        frame[^1] ^= 0xFF;
        _nic.Inject(frame);
        _loop.RunOnce();
        Assert.That(socket.TryReceiveFrom(new byte[10], out _), Is.False);
        Assert.That(_stack.Counters.UdpChecksumErrors, Is.EqualTo(1));
    }

    [Test]
    public void FullSocketQueue_DropsAndCounts()
    {
        LearnPeer();
        using var socket = new UdpSocket(_stack);
        socket.Bind(7000);
        for (int i = 0; i < 10; i++)
            _nic.Inject(PeerFrames.Udp(PeerMac, OurMac, new Ipv4EndPoint(Peer, 5000), new Ipv4EndPoint(Our, 7000), [(byte)i]));
        _loop.RunOnce();
        Assert.That(socket.DroppedDatagrams, Is.EqualTo(2));
        Assert.That(_stack.Counters.UdpReceiveQueueFull, Is.EqualTo(2));
    }

    [Test]
    public void SendToOffLinkHost_GoesThroughTheGateway()
    {
        _nic.TakeSent();
        _nic.Inject(PeerFrames.Arp(ArpOperation.Request, GatewayMac, GatewayAddress, MacAddress.Zero, Our));
        _loop.RunOnce();
        _nic.TakeSent();

        using var socket = new UdpSocket(_stack);
        var remote = new Ipv4EndPoint(new Ipv4Address(192, 0, 2, 7), 53);
        _loop.Post(_ => socket.SendTo([1, 2, 3], remote), null);
        _loop.RunOnce();
        _loop.RunOnce();

        byte[] frame = _nic.TakeSent().Single();
        Assert.That(EthernetFrame.TryParse(frame, out EthernetFrame ethernet, out _), Is.True);
        Assert.That(Ipv4Packet.TryParse(ethernet.Payload, out Ipv4Packet ip, out _), Is.True);
        Assert.That(UdpDatagram.TryParse(ip.Payload, out UdpDatagram udp, out _), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ethernet.Destination, Is.EqualTo(GatewayMac));
            Assert.That(ip.DestinationAddress, Is.EqualTo(remote.Address));
            Assert.That(udp.DestinationPort, Is.EqualTo(53));
            Assert.That(udp.SourcePort, Is.InRange(49152, 65535), "RFC 6056 ephemeral range");
            Assert.That(udp.VerifyChecksum(ip.SourceAddress, ip.DestinationAddress), Is.True);
            Assert.That(udp.Checksum, Is.Not.Zero);
        }
    }

    [Test]
    public void SendWithoutRoute_ThrowsNetworkUnreachable()
    {
        _stack.Configure(new Ipv4Cidr(Our, 24));
        using var socket = new UdpSocket(_stack);
        SocketException? error = null;
        _loop.Post(_ =>
        {
            try
            {
                socket.SendTo([1], new Ipv4EndPoint(new Ipv4Address(192, 0, 2, 7), 53));
            }
            catch (SocketException e)
            {
                error = e;
            }
        }, null);
        _loop.RunOnce();
        _loop.RunOnce();
        Assert.That(error?.SocketErrorCode, Is.EqualTo(SocketError.NetworkUnreachable));
    }

    [Test]
    public void NicBackPressure_QueuesFramesAndSendsThemLater()
    {
        LearnPeer();
        _nic.AcceptsTransmit = false;
        _nic.Inject(PeerFrames.EchoRequest(PeerMac, OurMac, Peer, Our, 1, 1, [1]));
        _nic.Inject(PeerFrames.EchoRequest(PeerMac, OurMac, Peer, Our, 1, 2, [2]));
        _loop.RunOnce();
        Assert.That(_nic.Sent, Is.Empty);
        Assert.That(_stack.Counters.TransmitDeferred, Is.EqualTo(2));

        _nic.AcceptsTransmit = true;
        _loop.RunOnce();
        List<byte[]> sent = _nic.TakeSent();
        Assert.That(sent, Has.Count.EqualTo(2));
        Assert.That(EchoSequence(sent[0]), Is.EqualTo(1), "order kept");
        Assert.That(EchoSequence(sent[1]), Is.EqualTo(2));
    }

    [TestCase(10, TestName = "TruncatedEthernetHeader_IsDropped")]
    [TestCase(14 + 19, TestName = "TruncatedIpv4Header_IsDropped")]
    public void TruncatedFrame_IsDroppedAndCountedAsMalformed(int length)
    {
        LearnPeer();
        byte[] frame = PeerFrames.EchoRequest(PeerMac, OurMac, Peer, Our, 1, 1, [1, 2, 3]);
        _nic.Inject(frame[..length]);
        _loop.RunOnce();
        Assert.That(_stack.Counters.Malformed, Is.EqualTo(1));
        Assert.That(_nic.Sent, Is.Empty);
    }

    [Test]
    public void BadIpv4HeaderChecksum_IsDroppedAndCounted()
    {
        LearnPeer();
        byte[] frame = PeerFrames.EchoRequest(PeerMac, OurMac, Peer, Our, 1, 1, [1, 2, 3]);
        frame[14 + 10] ^= 0x55;
        _nic.Inject(frame);
        _loop.RunOnce();
        Assert.That(_stack.Counters.MalformedBy(WireRejection.BadChecksum), Is.EqualTo(1));
        Assert.That(_nic.Sent, Is.Empty);
    }

    [Test]
    public void Fragment_IsDroppedAndCounted()
    {
        LearnPeer();
        byte[] frame = PeerFrames.EchoRequest(PeerMac, OurMac, Peer, Our, 1, 1, [1, 2, 3]);
        frame[14 + 6] = 0x20; // MF
        WriteIpChecksum(frame);
        _nic.Inject(frame);
        _loop.RunOnce();
        Assert.That(_stack.Counters.Fragments, Is.EqualTo(1));
        Assert.That(_nic.Sent, Is.Empty);
    }

    [Test]
    public void VlanTaggedFrame_IsDroppedDeliberately()
    {
        LearnPeer();
        byte[] plain = PeerFrames.EchoRequest(PeerMac, OurMac, Peer, Our, 1, 1, [1]);
        byte[] tagged = [.. plain[..12], 0x81, 0x00, 0x00, 0x05, .. plain[12..]];
        _nic.Inject(tagged);
        _loop.RunOnce();
        Assert.That(_stack.Counters.VlanTagged, Is.EqualTo(1));
        Assert.That(_nic.Sent, Is.Empty);
    }

    [Test]
    public void FrameForAnotherMac_IsIgnored()
    {
        LearnPeer();
        _nic.Inject(PeerFrames.EchoRequest(PeerMac, MacAddress.Parse("02:99:99:99:99:99"), Peer, Our, 1, 1, [1]));
        _loop.RunOnce();
        Assert.That(_stack.Counters.NotForUs, Is.EqualTo(1));
        Assert.That(_nic.Sent, Is.Empty);
    }

    [Test]
    public void RandomGarbage_NeverEscapesTheLoop_AndPingStillWorks()
    {
        LearnPeer();
        var random = new Random(42);
        byte[] valid = PeerFrames.Udp(PeerMac, OurMac, new Ipv4EndPoint(Peer, 5000), new Ipv4EndPoint(Our, 9), [1, 2, 3, 4, 5, 6]);
        for (int i = 0; i < 5000; i++)
        {
            byte[] frame = random.Next(2) == 0 ? new byte[random.Next(0, 200)] : (byte[])valid.Clone();
            if (frame.Length == valid.Length)
            {
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                    frame[random.Next(frame.Length)] ^= (byte)(1 << random.Next(8));
            }
            else
            {
                random.NextBytes(frame);
            }
            _nic.Inject(frame);
            _loop.RunOnce();
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }
        _nic.TakeSent();
        Assert.That(_stack.Counters.InternalErrors, Is.Zero);
        Assert.That(_loop.UnhandledExceptionCount, Is.Zero);

        _nic.Inject(PeerFrames.EchoRequest(PeerMac, OurMac, Peer, Our, 1, 1, [1]));
        _loop.RunOnce();
        Assert.That(_nic.TakeSent().Any(f => EchoSequence(f) == 1), Is.True);
    }

    private void LearnPeer()
    {
        _nic.Inject(PeerFrames.Arp(ArpOperation.Request, PeerMac, Peer, MacAddress.Zero, Our));
        _loop.RunOnce();
        _nic.TakeSent();
    }

    private static ArpPacket ParseArp(byte[] frame, out EthernetFrame ethernet)
    {
        Assert.That(EthernetFrame.TryParse(frame, out ethernet, out _), Is.True);
        Assert.That(ethernet.EtherType, Is.EqualTo(EtherType.Arp));
        Assert.That(ArpPacket.TryParse(ethernet.Payload, out ArpPacket arp, out _), Is.True);
        return arp;
    }

    private static int EchoSequence(byte[] frame)
    {
        if (!EthernetFrame.TryParse(frame, out EthernetFrame ethernet, out _) || !Ipv4Packet.TryParse(ethernet.Payload, out Ipv4Packet ip, out _)
            || !IcmpMessage.TryParse(ip.Payload, out IcmpMessage icmp, out _))
            return -1;
        return icmp.SequenceNumber;
    }

    private static void WriteIpChecksum(byte[] frame)
    {
        frame[24] = 0;
        frame[25] = 0;
        ushort checksum = InternetChecksum.Compute(frame.AsSpan(14, 20));
        frame[24] = (byte)(checksum >> 8);
        frame[25] = (byte)checksum;
    }
}
