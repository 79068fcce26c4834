using Seqs.Wire;

namespace Seqs.Simulation;

/// <summary>
/// Whole frames as another station would send them, built through the wire writers: for tests, benchmarks and
/// simulated peers. Each call allocates its frame; build them once, outside measured loops.
/// </summary>
public static class PeerFrames
{
    public static byte[] Arp(ArpOperation operation, MacAddress senderMac, Ipv4Address sender, MacAddress targetMac, Ipv4Address target, MacAddress? destination = null)
    {
        var frame = new byte[EthernetFrame.HeaderLength + ArpPacket.Length];
        int n = EthernetFrame.WriteHeader(frame, destination ?? MacAddress.Broadcast, senderMac, EtherType.Arp);
        ArpPacket.Write(frame.AsSpan(n), operation, senderMac, sender, targetMac, target);
        return frame;
    }

    public static byte[] Ipv4(MacAddress sourceMac, MacAddress destinationMac, Ipv4Address source, Ipv4Address destination, IpProtocol protocol, ReadOnlySpan<byte> payload, ushort identification = 1)
    {
        var frame = new byte[EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + payload.Length];
        int n = EthernetFrame.WriteHeader(frame, destinationMac, sourceMac, EtherType.Ipv4);
        n += Ipv4Packet.WriteHeader(frame.AsSpan(n), source, destination, protocol, payload.Length, identification, 64, dontFragment: false);
        payload.CopyTo(frame.AsSpan(n));
        return frame;
    }

    public static byte[] EchoRequest(MacAddress sourceMac, MacAddress destinationMac, Ipv4Address source, Ipv4Address destination, ushort identifier, ushort sequence, ReadOnlySpan<byte> data)
    {
        var icmp = new byte[IcmpMessage.HeaderLength + data.Length];
        IcmpMessage.WriteEcho(icmp, IcmpType.EchoRequest, identifier, sequence, data);
        return Ipv4(sourceMac, destinationMac, source, destination, IpProtocol.Icmp, icmp);
    }

    public static byte[] Udp(MacAddress sourceMac, MacAddress destinationMac, Ipv4EndPoint from, Ipv4EndPoint to, ReadOnlySpan<byte> data)
    {
        var udp = new byte[UdpDatagram.HeaderLength + data.Length];
        data.CopyTo(udp.AsSpan(UdpDatagram.HeaderLength));
        UdpDatagram.WriteHeader(udp, from.Port, to.Port, data.Length, from.Address, to.Address);
        return Ipv4(sourceMac, destinationMac, from.Address, to.Address, IpProtocol.Udp, udp);
    }
}
