using Seqs.Wire;

namespace Seqs.Fuzz;

/// <summary>Reads what the device sent as a simulation tap sees it, for targets that answer it.</summary>
internal static class WireCapture
{
    /// <summary>The UDP datagram in an Ethernet frame carrying IPv4; false for any other frame.</summary>
    public static bool TryReadUdp(ReadOnlySpan<byte> frame, out UdpDatagram datagram)
    {
        datagram = default;
        return EthernetFrame.TryParse(frame, out EthernetFrame ethernet, out _) && ethernet.EtherType == EtherType.Ipv4
            && Ipv4Packet.TryParse(ethernet.Payload, out Ipv4Packet ip, out _) && ip.Protocol == IpProtocol.Udp
            && UdpDatagram.TryParse(ip.Payload, out datagram, out _);
    }
}
