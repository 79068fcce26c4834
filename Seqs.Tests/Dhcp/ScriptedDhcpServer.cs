using System.Buffers.Binary;
using Seqs.Dhcp;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Dhcp;

/// <summary>
/// A client stack with a <see cref="DhcpClient"/> cabled to a bare NIC that the test drives as the server: it reads
/// what the client sends and answers with frames built once, whose 'xid' it patches in place. Replies carry no UDP
/// checksum (0, RFC 768 "none computed"), so patching needs no recomputation and nothing allocates per exchange.
/// </summary>
internal sealed class ScriptedDhcpServer : IDisposable
{
    public static readonly Ipv4Address ServerAddress = new(192, 168, 9, 1);
    public static readonly Ipv4Address LeasedAddress = new(192, 168, 9, 50);
    public static readonly MacAddress ServerMac = new(0x02_00_00_00_09_01);
    public static readonly MacAddress ClientMac = new(0x02_00_00_00_09_02);

    /// <summary>Ethernet, IPv4 and UDP headers before the DHCP message.</summary>
    public const int DhcpOffset = EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + UdpDatagram.HeaderLength;
    private const int XidOffset = DhcpOffset + 4;

    private readonly byte[] _frame = new byte[1514];
    private readonly byte[] _arpReply;

    public ScriptedDhcpServer(Action<DhcpClientOptions>? configure = null)
    {
        Simulation = new NetworkSimulation();
        var clientNic = new VirtualNic(ClientMac);
        Peer = new VirtualNic(ServerMac);
        Simulation.Connect(clientNic, Peer);
        Stack = new NetStack(Simulation.CreateLoop(), clientNic, randomSeed: 3);
        var options = new DhcpClientOptions { RandomSeed = 4, MinStartDelay = TimeSpan.Zero, MaxStartDelay = TimeSpan.Zero, ProbeCount = 0 };
        configure?.Invoke(options);
        Client = new DhcpClient(Stack, options);
        _arpReply = PeerFrames.Arp(ArpOperation.Reply, ServerMac, ServerAddress, ClientMac, LeasedAddress, ClientMac);
        Offer = Reply(DhcpMessageType.Offer);
        Ack = Reply(DhcpMessageType.Ack);
        Nak = Reply(DhcpMessageType.Nak);
    }

    public NetworkSimulation Simulation { get; }

    public VirtualNic Peer { get; }

    public NetStack Stack { get; }

    public DhcpClient Client { get; }

    public byte[] Offer { get; }

    public byte[] Ack { get; }

    public byte[] Nak { get; }

    /// <summary>The 'xid' of the last DHCP message the client sent.</summary>
    public uint LastTransactionId { get; private set; }

    public DhcpMessageType LastMessageType { get; private set; }

    public int MessagesFromClient { get; private set; }

    /// <summary>A reply frame from this server: 'yiaddr' the leased address, a one-hour lease, unicast to the client.</summary>
    public static byte[] Reply(DhcpMessageType type, DhcpOptionsWriter? extra = null, uint leaseSeconds = 3600)
    {
        var message = new byte[576];
        var writer = new DhcpMessageWriter(message, DhcpOperation.BootReply, type, 0, ClientMac);
        writer.WriteAddress(DhcpOptionCode.ServerIdentifier, ServerAddress);
        if (type != DhcpMessageType.Nak)
        {
            writer.SetYourAddress(LeasedAddress);
            writer.WriteUInt32(DhcpOptionCode.IpAddressLeaseTime, leaseSeconds);
            writer.WriteAddress(DhcpOptionCode.SubnetMask, new Ipv4Address(255, 255, 255, 0));
            writer.WriteAddress(DhcpOptionCode.Router, ServerAddress);
            writer.WriteAddresses(DhcpOptionCode.DomainNameServer, [ServerAddress]);
        }
        extra?.Invoke(ref writer);
        int length = writer.Finish();
        return Frame(message.AsSpan(0, length));
    }

    /// <summary>Wraps a DHCP message in UDP 67 → 68, IPv4 and Ethernet to the client, with no UDP checksum.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> dhcp)
    {
        byte[] frame = PeerFrames.Udp(ServerMac, ClientMac, new Ipv4EndPoint(ServerAddress, DhcpMessage.ServerPort), new Ipv4EndPoint(LeasedAddress, DhcpMessage.ClientPort), dhcp);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(DhcpOffset - 2), 0);
        return frame;
    }

    /// <summary>Sends <paramref name="frame"/> with the 'xid' of the client's last message and lets the network settle.</summary>
    public void Answer(byte[] frame)
    {
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(XidOffset), LastTransactionId);
        Send(frame);
    }

    public void Send(byte[] frame)
    {
        Peer.TryTransmit(frame);
        Simulation.RunFor(TimeSpan.Zero);
    }

    /// <summary>Reads what the client sent: answers ARP requests for the server, remembers the last DHCP message.</summary>
    public void Drain()
    {
        bool answeredArp = false;
        while (Peer.TryReceive(_frame, out int length))
        {
            if (length >= EthernetFrame.HeaderLength + ArpPacket.Length && _frame[12] == 0x08 && _frame[13] == 0x06)
            {
                Peer.TryTransmit(_arpReply);
                answeredArp = true;
                continue;
            }
            if (length < DhcpOffset + DhcpMessage.MinLength || !DhcpMessage.TryParse(_frame.AsSpan(DhcpOffset, length - DhcpOffset), out DhcpMessage message, out _))
                continue;
            LastTransactionId = message.TransactionId;
            LastMessageType = message.MessageType;
            MessagesFromClient++;
        }
        if (answeredArp)
        {
            // A message held for ARP goes out once the reply is in.
            Simulation.RunFor(TimeSpan.Zero);
            Drain();
        }
    }

    /// <summary>Starts the client and reads its DISCOVER: the client is SELECTING.</summary>
    public void StartSelecting()
    {
        Client.Start();
        Simulation.RunFor(TimeSpan.Zero);
        Drain();
    }

    /// <summary>Answers the DISCOVER with an offer and reads the REQUEST: the client is REQUESTING.</summary>
    public void StartRequesting()
    {
        StartSelecting();
        Answer(Offer);
        Drain();
    }

    /// <summary>Starts the client and answers DISCOVER and REQUEST until it is bound.</summary>
    public void Bind()
    {
        StartRequesting();
        Answer(Ack);
        Simulation.RunFor(TimeSpan.Zero);
    }

    public void Dispose() => Simulation.Dispose();
}
