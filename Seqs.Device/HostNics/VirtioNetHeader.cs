using System.Buffers.Binary;
using Seqs.Wire;

namespace Seqs.Device.HostNics;

/// <summary>
/// <c>struct virtio_net_hdr</c> (linux/virtio_net.h), which leads every read and write of a TAP opened with
/// IFF_VNET_HDR: how the frame's transport checksum is left (<see cref="NeedsChecksum"/> with
/// <see cref="ChecksumStart"/> and <see cref="ChecksumOffset"/>) and whether it is a large segment for the other end
/// to cut (<see cref="GsoType"/>, <see cref="HeaderLength"/>, <see cref="GsoSize"/>). The 16-bit fields are in the
/// byte order of a little-endian host, which is what the tun driver uses there unless TUNSETVNETBE says otherwise.
/// </summary>
/// <param name="Flags"><see cref="NeedsChecksum"/>, <see cref="DataValid"/> or 0.</param>
/// <param name="GsoType"><see cref="GsoNone"/>, or <see cref="GsoTcpV4"/> (with <see cref="GsoEcn"/> when the segment has CWR set).</param>
/// <param name="HeaderLength">hdr_len: the Ethernet, IP and TCP headers, which every cut segment repeats.</param>
/// <param name="GsoSize">gso_size: the payload octets of each cut segment but the last (the MSS less the options).</param>
/// <param name="ChecksumStart">csum_start: where checksumming starts, the transport header's offset in the frame.</param>
/// <param name="ChecksumOffset">csum_offset: where the checksum field lies after <paramref name="ChecksumStart"/> (16 for TCP).</param>
internal readonly record struct VirtioNetHeader(byte Flags, byte GsoType, ushort HeaderLength, ushort GsoSize, ushort ChecksumStart, ushort ChecksumOffset)
{
    /// <summary>sizeof(struct virtio_net_hdr), the TAP's header unless TUNSETVNETHDRSZ changes it.</summary>
    public const int Length = 10;

    /// <summary>VIRTIO_NET_HDR_F_NEEDS_CSUM: the checksum is still to be computed from csum_start, the pseudo-header sum already in its field.</summary>
    public const byte NeedsChecksum = 1;

    /// <summary>VIRTIO_NET_HDR_F_DATA_VALID: the kernel checked the transport checksum (its CHECKSUM_UNNECESSARY).</summary>
    public const byte DataValid = 2;

    /// <summary>The UDP checksum's offset in the UDP header (RFC 768).</summary>
    public const ushort UdpChecksumOffset = 6;

    /// <summary>VIRTIO_NET_HDR_GSO_NONE: not a large segment.</summary>
    public const byte GsoNone = 0;

    /// <summary>VIRTIO_NET_HDR_GSO_TCPV4: a TCP/IPv4 segment to cut into segments of gso_size payload octets (TSO).</summary>
    public const byte GsoTcpV4 = 1;

    /// <summary>VIRTIO_NET_HDR_GSO_ECN: the large segment has CWR set (RFC 3168), which only its first cut segment may carry.</summary>
    public const byte GsoEcn = 0x80;

    /// <summary>The TCP checksum's offset in the TCP header (RFC 9293 §3.1).</summary>
    public const ushort TcpChecksumOffset = 16;

    private static class Field
    {
        public const int Flags = 0, GsoType = 1, HeaderLength = 2, GsoSize = 4, ChecksumStart = 6, ChecksumOffset = 8;
    }

    /// <summary>All zeros: a whole frame with its checksums done.</summary>
    public static VirtioNetHeader Plain => default;

    public bool IsChecksumNeeded => (Flags & NeedsChecksum) != 0;

    /// <summary>Reads the header from the first <see cref="Length"/> octets of <paramref name="bytes"/>.</summary>
    public static VirtioNetHeader Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Length)
            WireThrow.DestinationTooShort(nameof(bytes), Length, bytes.Length);
        return new VirtioNetHeader(bytes[Field.Flags], bytes[Field.GsoType],
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[Field.HeaderLength..]),
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[Field.GsoSize..]),
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[Field.ChecksumStart..]),
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[Field.ChecksumOffset..]));
    }

    /// <summary>Writes the header into the first <see cref="Length"/> octets of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Length)
            WireThrow.DestinationTooShort(nameof(destination), Length, destination.Length);
        destination[Field.Flags] = Flags;
        destination[Field.GsoType] = GsoType;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[Field.HeaderLength..], HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[Field.GsoSize..], GsoSize);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[Field.ChecksumStart..], ChecksumStart);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[Field.ChecksumOffset..], ChecksumOffset);
    }

    /// <summary>
    /// The header of a TCP segment whose headers end at <paramref name="headerLength"/> and whose TCP header starts
    /// at <paramref name="tcpStart"/>: the checksum left to the other end, and with <paramref name="segmentSize"/>
    /// below the payload's length, a large segment to cut into segments of that many payload octets.
    /// </summary>
    public static VirtioNetHeader ForTcpSegment(int tcpStart, int headerLength, int payloadLength, int segmentSize, bool congestionWindowReduced) =>
        payloadLength > segmentSize
            ? new VirtioNetHeader(NeedsChecksum, (byte)(GsoTcpV4 | (congestionWindowReduced ? GsoEcn : 0)), (ushort)headerLength, (ushort)segmentSize, (ushort)tcpStart, TcpChecksumOffset)
            : new VirtioNetHeader(NeedsChecksum, GsoNone, 0, 0, (ushort)tcpStart, TcpChecksumOffset);

    /// <summary>
    /// True when the reader of <paramref name="frame"/> need not check its TCP or UDP checksum (virtio 1.1 §5.1.6.4;
    /// the kernel's virtio_net_hdr_from_skb): the kernel checked it (<see cref="DataValid"/>), or the frame comes from
    /// a stack on the host that left the checksum to the device (<see cref="NeedsChecksum"/>: it crossed no wire, and
    /// its field holds only the pseudo-header sum). The latter only where csum_start and csum_offset are the checksum
    /// field of the frame's own TCP or UDP header in an untagged IPv4 frame, the checksum the stack would check.
    /// </summary>
    public bool VouchesForTransportChecksum(ReadOnlySpan<byte> frame)
    {
        if ((Flags & DataValid) != 0)
            return true;
        const int IpStart = EthernetFrame.HeaderLength, ProtocolOffset = 9;
        if (!IsChecksumNeeded || frame.Length < IpStart + Ipv4Packet.MinHeaderLength || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != (ushort)EtherType.Ipv4)
            return false;
        int transportStart = IpStart + (frame[IpStart] & 0x0F) * 4;
        ushort fieldOffset = (IpProtocol)frame[IpStart + ProtocolOffset] switch
        {
            IpProtocol.Tcp => TcpChecksumOffset,
            IpProtocol.Udp => UdpChecksumOffset,
            _ => 0,
        };
        return fieldOffset != 0 && ChecksumStart == transportStart && ChecksumOffset == fieldOffset && transportStart + fieldOffset + 2 <= frame.Length;
    }

    /// <summary>
    /// Completes the checksum this header left to the reader of <paramref name="frame"/>, as the kernel's
    /// skb_checksum_help does: the field holds the pseudo-header sum, so summing from csum_start to the end, the field
    /// included, and storing the complement at csum_start + csum_offset gives the checksum. False for a header that
    /// points outside the frame; true, with nothing done, for a frame whose checksums are done.
    /// </summary>
    public bool TryCompleteChecksum(Span<byte> frame)
    {
        if (!IsChecksumNeeded)
            return true;
        int field = ChecksumStart + ChecksumOffset;
        if (field + 2 > frame.Length)
            return false;
        BinaryPrimitives.WriteUInt16BigEndian(frame[field..], InternetChecksum.Compute(frame[ChecksumStart..]));
        return true;
    }
}
