using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Tests.Stack;
using Seqs.Wire;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Tcp;

/// <summary>
/// Segments from a crafted peer (10.0.0.1) to a stack under test (10.0.0.2, port 80) as Ethernet frames, and the
/// fields of what the stack sends back: for tests that need exact sequence numbers, ports and options.
/// </summary>
internal static class PeerSegments
{
    public static readonly MacAddress OurMac = new(0x02_00_00_00_00_02);
    public static readonly MacAddress PeerMac = new(0x02_00_00_00_00_01);
    public static readonly Ipv4Address Our = new(10, 0, 0, 2);
    public static readonly Ipv4Address Peer = new(10, 0, 0, 1);

    /// <summary>A stack on a recording NIC with a listener on port 80, the peer's MAC already learnt.</summary>
    public sealed class ListeningStack : IDisposable
    {
        public ListeningStack(int backlog, NetStackOptions? options = null)
        {
            Loop = new NetLoop(Clock);
            Nic = new RecordingNic(OurMac);
            Stack = new NetStack(Loop, Nic, options, randomSeed: 3);
            Stack.Configure(new Ipv4Cidr(Our, 24));
            Nic.Inject(PeerFrames.Arp(ArpOperation.Request, PeerMac, Peer, MacAddress.Zero, Our));
            Listener = new TcpListener(Stack.Tcp, 80, backlog: backlog);
            Listener.Start();
            Loop.RunOnce();
            Nic.TakeSent();
        }

        public VirtualClock Clock { get; } = new();

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

    public static byte[] Syn(ushort sourcePort, uint seq, ushort destinationPort = 80) => Segment(sourcePort, seq, 0, TcpFlags.Syn, [], destinationPort);

    public static byte[] Segment(ushort sourcePort, uint seq, uint ack, TcpFlags flags, byte[] data, ushort destinationPort = 80)
    {
        var tcp = new byte[TcpSegment.MinHeaderLength + data.Length];
        data.CopyTo(tcp.AsSpan(TcpSegment.MinHeaderLength));
        TcpSegment.WriteHeader(tcp, sourcePort, destinationPort, seq, ack, flags, 64240, 0);
        TcpSegment.WriteChecksum(tcp, Peer, Our);
        return PeerFrames.Ipv4(PeerMac, OurMac, Peer, Our, IpProtocol.Tcp, tcp);
    }

    /// <summary>A segment with options as Linux lays them out: on a SYN, MSS, SACK-permitted, timestamps and window scale; else timestamps.</summary>
    public static byte[] SegmentWithOptions(ushort sourcePort, uint seq, uint ack, TcpFlags flags, uint tsval, uint tsecr, byte windowShift = 0, byte[]? data = null)
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

    public static TcpOptions Options(byte[] frame)
    {
        Assert.That(EthernetFrame.TryParse(frame, out EthernetFrame ethernet, out _), Is.True);
        Assert.That(Ipv4Packet.TryParse(ethernet.Payload, out Ipv4Packet ip, out _), Is.True);
        Assert.That(TcpSegment.TryParse(ip.Payload, out TcpSegment tcp, out _), Is.True);
        return tcp.ParsedOptions;
    }

    public static TcpFlags Flags(byte[] frame) => Parse(frame).Flags;

    public static uint Field(byte[] frame, bool seq) => seq ? Parse(frame).SequenceNumber : Parse(frame).AcknowledgmentNumber;

    public static (TcpFlags Flags, uint SequenceNumber, uint AcknowledgmentNumber) Parse(byte[] frame)
    {
        Assert.That(EthernetFrame.TryParse(frame, out EthernetFrame ethernet, out _), Is.True);
        Assert.That(Ipv4Packet.TryParse(ethernet.Payload, out Ipv4Packet ip, out _), Is.True);
        Assert.That(TcpSegment.TryParse(ip.Payload, out TcpSegment tcp, out _), Is.True);
        return (tcp.Flags, tcp.SequenceNumber, tcp.AcknowledgmentNumber);
    }
}
