using System.Buffers.Binary;

namespace Seqs.Wire;

/// <summary>A UDP datagram (RFC 768): four 16-bit header fields, then data.</summary>
public readonly ref struct UdpDatagram
{
    /// <summary>Source port, destination port, length and checksum: 8 octets.</summary>
    public const int HeaderLength = 8;

    private static class Field
    {
        public const int SourcePort = 0;
        public const int DestinationPort = 2;
        public const int Length = 4;
        public const int Checksum = 6;
        public const int Payload = 8;
    }

    /// <summary>RFC 768: "An all zero transmitted checksum value means that the transmitter generated no checksum".</summary>
    private const ushort NoChecksum = 0;

    /// <summary>RFC 768: "If the computed checksum is zero, it is transmitted as all ones".</summary>
    private const ushort ZeroChecksumAsSent = 0xFFFF;

    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>Unchecked view, for datagrams Seqs has just written.</summary>
    internal UdpDatagram(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.SourcePort..]);

    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.DestinationPort..]);

    /// <summary>Header plus data, in octets.</summary>
    public ushort Length => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Length..]);

    /// <summary>The transmitted checksum; 0 means none was computed.</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Checksum..]);

    /// <summary>The octets from the header to <see cref="Length"/>; octets past it are ignored.</summary>
    public ReadOnlySpan<byte> Payload => _bytes[Field.Payload..Length];

    /// <summary>RFC 768: 8 ≤ Length ≤ octets received. Octets past Length are ignored. The checksum is checked separately.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out UdpDatagram datagram, out WireRejection rejection)
    {
        rejection = Check(bytes);
        datagram = rejection == WireRejection.None ? new UdpDatagram(bytes) : default;
        return rejection == WireRejection.None;
    }

    /// <summary>
    /// Verifies the checksum over the pseudo-header, header and data (RFC 768). A zero checksum means the sender
    /// computed none and verifies (RFC 1122 §4.1.3.4 leaves accepting those to the receiver; Seqs accepts them).
    /// </summary>
    public bool VerifyChecksum(Ipv4Address source, Ipv4Address destination)
    {
        if (Checksum == NoChecksum)
            return true;
        ReadOnlySpan<byte> datagram = _bytes[..Length];
        uint sum = InternetChecksum.AccumulatePseudoHeader(source, destination, (byte)IpProtocol.Udp, datagram.Length);
        return InternetChecksum.Finish(InternetChecksum.Accumulate(datagram, sum)) == 0;
    }

    /// <summary>
    /// Writes the header in front of the <paramref name="payloadLength"/> octets already at datagram[8..], with the
    /// checksum over the pseudo-header, and returns 8 + <paramref name="payloadLength"/>.
    /// </summary>
    public static int WriteHeader(Span<byte> datagram, ushort sourcePort, ushort destinationPort, int payloadLength,
        Ipv4Address source, Ipv4Address destination)
    {
        if (payloadLength < 0 || payloadLength > ushort.MaxValue - HeaderLength)
            WireThrow.OutOfRange(nameof(payloadLength), payloadLength, "A UDP datagram is at most 65535 octets.");
        int length = HeaderLength + payloadLength;
        if (datagram.Length < length)
            WireThrow.DestinationTooShort(nameof(datagram), length, datagram.Length);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[Field.SourcePort..], sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[Field.DestinationPort..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[Field.Length..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[Field.Checksum..], 0);
        uint sum = InternetChecksum.AccumulatePseudoHeader(source, destination, (byte)IpProtocol.Udp, length);
        ushort checksum = InternetChecksum.Finish(InternetChecksum.Accumulate(datagram[..length], sum));
        BinaryPrimitives.WriteUInt16BigEndian(datagram[Field.Checksum..], checksum == NoChecksum ? ZeroChecksumAsSent : checksum);
        return length;
    }

    public override string ToString()
    {
        WireRejection rejection = Check(_bytes);
        if (rejection != WireRejection.None)
            return WireText.Malformed("UDP", rejection, _bytes.Length);
        return WireText.Invariant($"UDP {SourcePort} > {DestinationPort} len {Length}");
    }

    private static WireRejection Check(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength)
            return WireRejection.Truncated;
        ushort length = new UdpDatagram(bytes).Length;
        if (length < HeaderLength || length > bytes.Length)
            return WireRejection.BadLength;
        return WireRejection.None;
    }
}
