using Seqs.Mdns;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Fuzz;

/// <summary>
/// A whole <see cref="FuzzLan"/> device fed a script of frames and clock jumps. Each step is chosen by one byte:
/// a raw frame, a TCP segment into the established connection (sequence and acknowledgment numbers relative to the
/// device's, so they land in or near its windows), a segment to a listening port, a UDP datagram to the DHCP client,
/// mDNS or another port, an ICMP message (errors may quote the connection's own header), an ARP packet, a jump of
/// virtual time, or the applications reading and closing. After every step the invariants are checked.
/// </summary>
public sealed class StackTarget : IFuzzTarget
{
    private const int Steps = 8;

    public string Name => "stack";

    public void Run(ReadOnlySpan<byte> input)
    {
        using var lan = new FuzzLan();
        var invariants = new StackInvariants(lan);
        var script = new FuzzInput(input);
        while (!script.IsEmpty)
        {
            Step(lan, ref script);
            invariants.Check();
        }
        // Let whatever the steps started (retransmissions, lease timers, lingering closes) run its course, with
        // nothing new coming in: timers and backed-off retransmissions send a few frames a minute, an ACK loop between
        // the two ends (found once: each answered the other's invalid segments) hundreds of thousands.
        long before = FramesOnTheLink(lan);
        lan.Simulation.RunFor(TimeSpan.FromMinutes(3));
        long frames = FramesOnTheLink(lan) - before;
        InvariantViolation.Check(frames <= QuietFrames, $"{frames} frames in the 3 minutes after the script (at most {QuietFrames})");
        invariants.Check();
    }

    /// <summary>The frames the two ends may send between them in the 3 minutes after the script: ten a second.</summary>
    private const int QuietFrames = 1800;

    private static long FramesOnTheLink(FuzzLan lan) => lan.Device.Counters.FramesTransmitted + lan.Neighbour.Counters.FramesTransmitted;

    private static void Step(FuzzLan lan, ref FuzzInput script)
    {
        switch (script.TakeByte() % Steps)
        {
            case 0:
                lan.Inject(script.TakeRun());
                break;
            case 1:
                ConnectionSegment(lan, ref script);
                break;
            case 2:
                ListenerSegment(lan, ref script);
                break;
            case 3:
                Datagram(lan, ref script);
                break;
            case 4:
                Icmp(lan, ref script);
                break;
            case 5:
                Arp(lan, ref script);
                break;
            case 6:
                lan.Jump(ref script);
                break;
            default:
                Application(lan, script.TakeByte());
                break;
        }
    }

    private static void ConnectionSegment(FuzzLan lan, ref FuzzInput script)
    {
        var flags = (TcpFlags)script.TakeByte();
        short seqDelta = (short)script.TakeUInt16();
        short ackDelta = (short)script.TakeUInt16();
        ushort window = script.TakeUInt16();
        ReadOnlySpan<byte> options = script.Take(script.TakeByte() % (TcpOptions.MaxLength + 1));
        ReadOnlySpan<byte> payload = script.TakeRun();
        if (lan.DeviceEnd?.Tcb is not { } tcb || lan.NeighbourEnd is not { } neighbour)
            return;
        uint seq = (tcb.RcvNxt + seqDelta).Value;
        uint ack = (tcb.SndUna + ackDelta).Value;
        var remote = (System.Net.IPEndPoint)neighbour.LocalEndPoint;
        lan.Inject(NeighbourFrames.Tcp(lan.DeviceAddress, (ushort)remote.Port, FuzzLan.DataPort, seq, ack, flags, window, options, payload));
    }

    private static void ListenerSegment(FuzzLan lan, ref FuzzInput script)
    {
        byte choice = script.TakeByte();
        ushort port = (choice % 4) switch { 0 => FuzzLan.HttpPort, 1 => FuzzLan.DataPort, 2 => script.TakeUInt16(), _ => 7 };
        ushort sourcePort = (ushort)(40000 + (choice >> 2));
        var flags = (TcpFlags)script.TakeByte();
        uint seq = (uint)((script.TakeUInt16() << 16) | script.TakeUInt16());
        uint ack = (uint)((script.TakeUInt16() << 16) | script.TakeUInt16());
        ushort window = script.TakeUInt16();
        ReadOnlySpan<byte> options = script.Take(script.TakeByte() % (TcpOptions.MaxLength + 1));
        ReadOnlySpan<byte> payload = script.TakeRun();
        lan.Inject(NeighbourFrames.Tcp(lan.DeviceAddress, sourcePort, port, seq, ack, flags, window, options, payload));
    }

    private static void Datagram(FuzzLan lan, ref FuzzInput script)
    {
        byte choice = script.TakeByte();
        Ipv4Address destination = lan.DeviceAddress;
        ushort sourcePort = DhcpMessage.ServerPort;
        ushort port = DhcpMessage.ClientPort;
        switch (choice % 4)
        {
            case 1:
                destination = Ipv4Address.Broadcast;
                break;
            case 2:
                destination = MdnsResponder.MulticastGroup;
                sourcePort = port = MdnsResponder.MdnsPort;
                break;
            case 3:
                sourcePort = script.TakeUInt16();
                port = script.TakeUInt16();
                break;
        }
        lan.Inject(NeighbourFrames.Udp(destination, sourcePort, port, script.TakeRun()));
    }

    private static void Icmp(FuzzLan lan, ref FuzzInput script)
    {
        byte type = script.TakeByte();
        byte code = script.TakeByte();
        ReadOnlySpan<byte> rest = script.Take(4);
        ReadOnlySpan<byte> body = script.TakeRun();
        Span<byte> message = stackalloc byte[4 + IcmpMessage.MaxQuotedLength];
        rest.CopyTo(message);
        int length = 4;
        // Half the time the error quotes a segment of the data connection, as a router on the path would.
        if ((code & 0x80) != 0 && lan.DeviceEnd?.Tcb is { } tcb && lan.NeighbourEnd is { } neighbour)
        {
            var remote = (System.Net.IPEndPoint)neighbour.LocalEndPoint;
            byte[] quoted = Quote(lan.DeviceAddress, FuzzLan.DataPort, (ushort)remote.Port, tcb.SndUna.Value);
            quoted.CopyTo(message[length..]);
            length += quoted.Length;
        }
        int n = Math.Min(body.Length, message.Length - length);
        body[..n].CopyTo(message[length..]);
        length += n;
        lan.Inject(NeighbourFrames.Icmp(lan.DeviceAddress, type, (byte)(code & 0x7F), message[..length]));
    }

    /// <summary>The IPv4 header and first 8 octets of a segment the device sent (RFC 792: what an ICMP error quotes).</summary>
    private static byte[] Quote(Ipv4Address device, ushort sourcePort, ushort destinationPort, uint seq)
    {
        var quote = new byte[Ipv4Packet.MinHeaderLength + TcpSegment.MinHeaderLength];
        Ipv4Packet.WriteHeader(quote, device, FuzzLan.NeighbourAddress, IpProtocol.Tcp, TcpSegment.MinHeaderLength, 1, 64, dontFragment: true);
        TcpSegment.WriteHeader(quote.AsSpan(Ipv4Packet.MinHeaderLength), sourcePort, destinationPort, seq, 0, TcpFlags.Ack, 0, 0);
        return quote[..(Ipv4Packet.MinHeaderLength + 8)];
    }

    private static void Arp(FuzzLan lan, ref FuzzInput script)
    {
        byte choice = script.TakeByte();
        var operation = (choice & 1) == 0 ? ArpOperation.Request : ArpOperation.Reply;
        Ipv4Address sender = ((choice >> 1) % 4) switch
        {
            0 => FuzzLan.NeighbourAddress,
            1 => lan.DeviceAddress,
            2 => new Ipv4Address(10, 0, 0, (byte)(choice >> 3)),
            _ => new Ipv4Address(script.TakeUInt16() | ((uint)script.TakeUInt16() << 16)),
        };
        var senderMac = new MacAddress(0x02_00_00_00_00_00UL | script.TakeUInt16());
        Ipv4Address target = (choice & 0x80) != 0 ? lan.DeviceAddress : FuzzLan.NeighbourAddress;
        lan.Inject(Simulation.PeerFrames.Arp(operation, senderMac, sender, FuzzLan.DeviceMac, target,
            (choice & 0x40) != 0 ? FuzzLan.DeviceMac : MacAddress.Broadcast));
    }

    private static void Application(FuzzLan lan, byte choice)
    {
        switch (choice % 4)
        {
            case 0:
                lan.DeviceReads();
                break;
            case 1:
                lan.NeighbourReads();
                break;
            case 2:
                lan.DeviceCloses();
                break;
            default:
                lan.DeviceAborts();
                break;
        }
    }
}
