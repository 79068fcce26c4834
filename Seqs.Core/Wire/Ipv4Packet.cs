using System.Buffers.Binary;

namespace Seqs.Wire;

/// <summary>An IPv4 datagram (RFC 791 §3.1): header, options and payload, without any link padding.</summary>
public readonly ref struct Ipv4Packet
{
    /// <summary>A header without options: IHL 5, 20 octets.</summary>
    public const int MinHeaderLength = 20;

    /// <summary>IHL is four bits of 32-bit words: at most 60 octets.</summary>
    public const int MaxHeaderLength = 60;

    /// <summary>The Version field value this view accepts.</summary>
    public const int Ipv4Version = 4;

    private static class Field
    {
        public const int VersionIhl = 0;
        public const int DifferentiatedServices = 1;
        public const int TotalLength = 2;
        public const int Identification = 4;
        public const int FlagsFragmentOffset = 6;
        public const int TimeToLive = 8;
        public const int Protocol = 9;
        public const int HeaderChecksum = 10;
        public const int SourceAddress = 12;
        public const int DestinationAddress = 16;
        public const int Options = 20;
    }

    // RFC 791 §3.1: bit 0 reserved, bit 1 DF, bit 2 MF, then 13 bits of Fragment Offset in 8-octet units.
    private const ushort DontFragmentBit = 0x4000;
    private const ushort MoreFragmentsBit = 0x2000;
    private const ushort FragmentOffsetMask = 0x1FFF;
    private const int FragmentOffsetUnit = 8;

    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>Unchecked view, for packets Seqs has just written.</summary>
    internal Ipv4Packet(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public int Version => _bytes[Field.VersionIhl] >> 4;

    /// <summary>The header length in octets: IHL × 4.</summary>
    public int HeaderLength => (_bytes[Field.VersionIhl] & 0x0F) * 4;

    /// <summary>The former Type of Service octet: DSCP in the high six bits, ECN in the low two (RFC 2474, RFC 3168).</summary>
    public byte DifferentiatedServices => _bytes[Field.DifferentiatedServices];

    /// <summary>Header plus payload, in octets.</summary>
    public ushort TotalLength => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.TotalLength..]);

    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Identification..]);

    public bool DontFragment => (FlagsFragmentOffset & DontFragmentBit) != 0;

    public bool MoreFragments => (FlagsFragmentOffset & MoreFragmentsBit) != 0;

    /// <summary>The fragment's position in the original payload, in octets (the field counts 8-octet units).</summary>
    public int FragmentOffset => (FlagsFragmentOffset & FragmentOffsetMask) * FragmentOffsetUnit;

    /// <summary>True for any fragment: MF set or a non-zero offset. Seqs does not reassemble.</summary>
    public bool IsFragment => (FlagsFragmentOffset & (MoreFragmentsBit | FragmentOffsetMask)) != 0;

    public byte TimeToLive => _bytes[Field.TimeToLive];

    public IpProtocol Protocol => (IpProtocol)_bytes[Field.Protocol];

    public ushort HeaderChecksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.HeaderChecksum..]);

    public Ipv4Address SourceAddress => Ipv4Address.Read(_bytes[Field.SourceAddress..]);

    public Ipv4Address DestinationAddress => Ipv4Address.Read(_bytes[Field.DestinationAddress..]);

    /// <summary>The option octets between the fixed header and <see cref="HeaderLength"/>; empty for IHL 5.</summary>
    public ReadOnlySpan<byte> Options => _bytes[Field.Options..HeaderLength];

    /// <summary>The octets from <see cref="HeaderLength"/> to <see cref="TotalLength"/>; link padding is excluded.</summary>
    public ReadOnlySpan<byte> Payload => _bytes[HeaderLength..TotalLength];

    /// <summary>The header and payload, <see cref="TotalLength"/> octets.</summary>
    public ReadOnlySpan<byte> Datagram => _bytes[..TotalLength];

    private ushort FlagsFragmentOffset => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.FlagsFragmentOffset..]);

    /// <summary>
    /// RFC 791 §3.1: Version 4, 20 ≤ IHL×4 ≤ Total Length ≤ octets received, and a header checksum that verifies
    /// (RFC 1122 §3.2.1.2: a host MUST verify it and silently discard a datagram that fails).
    /// Octets past Total Length are link padding and are not part of <see cref="Payload"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out Ipv4Packet packet, out WireRejection rejection)
    {
        rejection = CheckLengths(bytes);
        if (rejection == WireRejection.None && !ChecksumVerifies(bytes))
            rejection = WireRejection.BadChecksum;
        packet = rejection == WireRejection.None ? new Ipv4Packet(bytes) : default;
        return rejection == WireRejection.None;
    }

    /// <summary>
    /// Writes a 20-octet header without options, fragment offset 0, MF clear and DSCP/ECN 0, computes its checksum,
    /// and returns <see cref="MinHeaderLength"/>. The payload goes at packet[20..].
    /// </summary>
    public static int WriteHeader(Span<byte> packet, Ipv4Address source, Ipv4Address destination, IpProtocol protocol,
        int payloadLength, ushort identification, byte timeToLive, bool dontFragment) =>
        WriteHeader(packet, source, destination, protocol, payloadLength, identification, timeToLive, dontFragment, differentiatedServices: 0);

    /// <summary>As the overload without <paramref name="differentiatedServices"/>, with that octet set (DSCP and ECN).</summary>
    public static int WriteHeader(Span<byte> packet, Ipv4Address source, Ipv4Address destination, IpProtocol protocol,
        int payloadLength, ushort identification, byte timeToLive, bool dontFragment, byte differentiatedServices)
    {
        if (packet.Length < MinHeaderLength)
            WireThrow.DestinationTooShort(nameof(packet), MinHeaderLength, packet.Length);
        if (payloadLength < 0 || payloadLength > ushort.MaxValue - MinHeaderLength)
            WireThrow.OutOfRange(nameof(payloadLength), payloadLength, "An IPv4 datagram is at most 65535 octets.");
        packet[Field.VersionIhl] = (byte)(Ipv4Version << 4 | MinHeaderLength / 4);
        packet[Field.DifferentiatedServices] = differentiatedServices;
        BinaryPrimitives.WriteUInt16BigEndian(packet[Field.TotalLength..], (ushort)(MinHeaderLength + payloadLength));
        BinaryPrimitives.WriteUInt16BigEndian(packet[Field.Identification..], identification);
        BinaryPrimitives.WriteUInt16BigEndian(packet[Field.FlagsFragmentOffset..], dontFragment ? DontFragmentBit : (ushort)0);
        packet[Field.TimeToLive] = timeToLive;
        packet[Field.Protocol] = (byte)protocol;
        BinaryPrimitives.WriteUInt16BigEndian(packet[Field.HeaderChecksum..], 0);
        source.Write(packet[Field.SourceAddress..]);
        destination.Write(packet[Field.DestinationAddress..]);
        BinaryPrimitives.WriteUInt16BigEndian(packet[Field.HeaderChecksum..], InternetChecksum.Compute(packet[..MinHeaderLength]));
        return MinHeaderLength;
    }

    public override string ToString()
    {
        WireRejection rejection = CheckLengths(_bytes);
        if (rejection != WireRejection.None)
            return WireText.Malformed("IPv4", rejection, _bytes.Length);
        string checksum = ChecksumVerifies(_bytes) ? "" : " bad-checksum";
        string fragment = IsFragment
            ? WireText.Invariant($" frag {FragmentOffset}{(MoreFragments ? "+" : "")}")
            : "";
        return WireText.Invariant(
            $"IPv4 {SourceAddress} > {DestinationAddress} {WireText.Name(Protocol)} ttl {TimeToLive} id {Identification}{(DontFragment ? " DF" : "")}{fragment} len {TotalLength}{checksum}");
    }

    private static WireRejection CheckLengths(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < MinHeaderLength)
            return WireRejection.Truncated;
        var packet = new Ipv4Packet(bytes);
        if (packet.Version != Ipv4Version)
            return WireRejection.BadVersion;
        if (packet.HeaderLength < MinHeaderLength)
            return WireRejection.BadHeaderLength;
        if (packet.HeaderLength > bytes.Length)
            return WireRejection.Truncated;
        if (packet.TotalLength < packet.HeaderLength || packet.TotalLength > bytes.Length)
            return WireRejection.BadTotalLength;
        return WireRejection.None;
    }

    // RFC 1071: the sum over the header, checksum included, finishes to zero when intact.
    private static bool ChecksumVerifies(ReadOnlySpan<byte> bytes) =>
        InternetChecksum.Compute(bytes[..new Ipv4Packet(bytes).HeaderLength]) == 0;
}
