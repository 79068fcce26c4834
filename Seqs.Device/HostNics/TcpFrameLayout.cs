using System.Buffers.Binary;
using Seqs.Wire;

namespace Seqs.Device.HostNics;

/// <summary>
/// Where the headers of a TCP/IPv4 Ethernet frame lie, which a large segment handed to the TAP's segmentation
/// offload describes in its <see cref="VirtioNetHeader"/>, and the addresses and length its pseudo-header sums.
/// </summary>
/// <param name="TcpStart">The TCP header's offset in the frame: the Ethernet header and the IPv4 header with its options.</param>
/// <param name="HeadersLength">The Ethernet, IPv4 and TCP headers with their options: where the payload starts.</param>
/// <param name="Source">The IPv4 source address.</param>
/// <param name="Destination">The IPv4 destination address.</param>
/// <param name="TcpLength">The TCP header and payload, as the IPv4 total length says.</param>
/// <param name="CongestionWindowReduced">CWR is set (RFC 3168 §6.1.2), which the kernel must keep on the first cut segment only.</param>
internal readonly record struct TcpFrameLayout(int TcpStart, int HeadersLength, Ipv4Address Source, Ipv4Address Destination, int TcpLength, bool CongestionWindowReduced)
{
    /// <summary>
    /// Reads the layout of <paramref name="frame"/>: false unless it is an untagged IPv4 frame with a valid header
    /// carrying TCP, whose total length reaches exactly to the frame's end and whose TCP header fits inside it.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, out TcpFrameLayout layout)
    {
        layout = default;
        if (frame.Length < EthernetFrame.HeaderLength || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != (ushort)EtherType.Ipv4)
            return false;
        ReadOnlySpan<byte> ip = frame[EthernetFrame.HeaderLength..];
        if (!Ipv4Packet.TryParse(ip, out Ipv4Packet packet, out _) || packet.Protocol != IpProtocol.Tcp || packet.TotalLength != ip.Length)
            return false;
        ReadOnlySpan<byte> tcp = packet.Payload;
        if (tcp.Length < TcpSegment.MinHeaderLength)
            return false;
        int tcpHeaderLength = (tcp[12] >> 4) * 4;
        if (tcpHeaderLength < TcpSegment.MinHeaderLength || tcpHeaderLength > tcp.Length)
            return false;
        int tcpStart = EthernetFrame.HeaderLength + packet.HeaderLength;
        layout = new TcpFrameLayout(tcpStart, tcpStart + tcpHeaderLength, packet.SourceAddress, packet.DestinationAddress, tcp.Length,
            ((TcpFlags)tcp[13] & TcpFlags.Cwr) != 0);
        return true;
    }

    /// <summary>
    /// Puts the pseudo-header sum (RFC 9293 §3.1: addresses, protocol and TCP length, folded but not complemented)
    /// in the TCP checksum field of <paramref name="headers"/>, a copy of the frame's headers: what the field holds
    /// while the checksum is left to the other end (VIRTIO_NET_HDR_F_NEEDS_CSUM).
    /// </summary>
    public void WritePseudoHeaderSum(Span<byte> headers)
    {
        uint sum = InternetChecksum.AccumulatePseudoHeader(Source, Destination, (byte)IpProtocol.Tcp, TcpLength);
        BinaryPrimitives.WriteUInt16BigEndian(headers[(TcpStart + VirtioNetHeader.TcpChecksumOffset)..], (ushort)~InternetChecksum.Finish(sum));
    }
}
