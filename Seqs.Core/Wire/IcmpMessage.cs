using System.Buffers.Binary;

namespace Seqs.Wire;

/// <summary>An ICMPv4 message (RFC 792): type, code, checksum, four octets of rest-of-header, then data.</summary>
public readonly ref struct IcmpMessage
{
    /// <summary>Type, code, checksum and the 4-octet rest of header.</summary>
    public const int HeaderLength = 8;

    /// <summary>
    /// RFC 1812 §4.3.2.3: an ICMP error "SHOULD contain as much of the original datagram as possible without the
    /// length of the ICMP datagram exceeding 576 bytes"; 576 is the datagram size every host accepts (RFC 791 §3.1).
    /// </summary>
    public const int MaxErrorDatagramLength = 576;

    /// <summary>RFC 792: an error quotes "the internet header plus the first 64 bits of the original datagram's data".</summary>
    public const int MinQuotedPayloadLength = 8;

    /// <summary>The most of the invoking datagram an error written here quotes: 576 less the IPv4 and ICMP headers.</summary>
    public const int MaxQuotedLength = MaxErrorDatagramLength - Ipv4Packet.MinHeaderLength - HeaderLength;

    private static class Field
    {
        public const int Type = 0;
        public const int Code = 1;
        public const int Checksum = 2;
        public const int RestOfHeader = 4;
        public const int Identifier = 4;
        public const int SequenceNumber = 6;
        public const int Pointer = 4;
        public const int NextHopMtu = 6;
        public const int Data = 8;
    }

    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>Unchecked view, for messages Seqs has just written.</summary>
    internal IcmpMessage(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public IcmpType Type => (IcmpType)_bytes[Field.Type];

    public byte Code => _bytes[Field.Code];

    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Checksum..]);

    /// <summary>Octets 4 to 7, whose meaning depends on <see cref="Type"/> (unused, zero, in most errors).</summary>
    public uint RestOfHeader => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.RestOfHeader..]);

    /// <summary>Echo and echo reply: the identifier that matches replies to requests.</summary>
    public ushort Identifier => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Identifier..]);

    /// <summary>Echo and echo reply: the sequence number.</summary>
    public ushort SequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.SequenceNumber..]);

    /// <summary>Parameter problem: the octet of the invoking header where the error was found (RFC 792).</summary>
    public byte Pointer => _bytes[Field.Pointer];

    /// <summary>Destination unreachable, code 4: the MTU of the next-hop network (RFC 1191 §4); 0 from old routers.</summary>
    public ushort NextHopMtu => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.NextHopMtu..]);

    /// <summary>
    /// The octets after the 8-octet header: the echoed data, or for errors the invoking IP header and at least its
    /// first 8 payload octets (RFC 792).
    /// </summary>
    public ReadOnlySpan<byte> Data => _bytes[Field.Data..];

    /// <summary>True for the types whose data quotes an invoking datagram.</summary>
    public bool IsError => Type is IcmpType.DestinationUnreachable or IcmpType.SourceQuench or IcmpType.Redirect
        or IcmpType.TimeExceeded or IcmpType.ParameterProblem;

    /// <summary>
    /// Accepts a message of at least 8 octets whose checksum over the whole message verifies (RFC 792; RFC 1122
    /// §3.2.2: silently discard a message with a bad checksum). Every type is accepted; the stack picks.
    /// <paramref name="bytes"/> must be exactly the IPv4 payload.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out IcmpMessage message, out WireRejection rejection)
    {
        rejection = bytes.Length < HeaderLength ? WireRejection.Truncated
            : InternetChecksum.Compute(bytes) != 0 ? WireRejection.BadChecksum
            : WireRejection.None;
        message = rejection == WireRejection.None ? new IcmpMessage(bytes) : default;
        return rejection == WireRejection.None;
    }

    /// <summary>
    /// Writes an echo or echo reply and returns 8 + <paramref name="data"/>.Length. <paramref name="data"/> may
    /// overlap <paramref name="destination"/> (an echo request turned into its reply in place: RFC 792, "the data
    /// received in the echo message must be returned in the echo reply message").
    /// </summary>
    public static int WriteEcho(Span<byte> destination, IcmpType type, ushort identifier, ushort sequenceNumber, ReadOnlySpan<byte> data)
    {
        int length = HeaderLength + data.Length;
        if (destination.Length < length)
            WireThrow.DestinationTooShort(nameof(destination), length, destination.Length);
        // Span.CopyTo has memmove semantics, so data already at destination[8..] (or overlapping it) survives.
        data.CopyTo(destination[Field.Data..]);
        destination[Field.Type] = (byte)type;
        destination[Field.Code] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[Field.Identifier..], identifier);
        BinaryPrimitives.WriteUInt16BigEndian(destination[Field.SequenceNumber..], sequenceNumber);
        WriteChecksum(destination[..length]);
        return length;
    }

    /// <summary>
    /// Writes a destination unreachable error quoting <paramref name="invokingPacket"/> (see
    /// <see cref="QuotedLength"/>) and returns its length. <paramref name="code"/> is an <see cref="IcmpUnreachableCode"/>.
    /// </summary>
    public static int WriteDestinationUnreachable(Span<byte> destination, byte code, ReadOnlySpan<byte> invokingPacket) =>
        WriteError(destination, IcmpType.DestinationUnreachable, code, restOfHeader: 0, invokingPacket);

    /// <summary>Writes a destination unreachable, code 4 (fragmentation needed and DF set) with the next-hop MTU (RFC 1191 §4).</summary>
    public static int WriteFragmentationNeeded(Span<byte> destination, ushort nextHopMtu, ReadOnlySpan<byte> invokingPacket) =>
        WriteError(destination, IcmpType.DestinationUnreachable, (byte)IcmpUnreachableCode.FragmentationNeeded, nextHopMtu, invokingPacket);

    /// <summary>
    /// Writes a time exceeded error quoting <paramref name="invokingPacket"/> (see <see cref="QuotedLength"/>) and
    /// returns its length. <paramref name="code"/> is an <see cref="IcmpTimeExceededCode"/>.
    /// </summary>
    public static int WriteTimeExceeded(Span<byte> destination, byte code, ReadOnlySpan<byte> invokingPacket) =>
        WriteError(destination, IcmpType.TimeExceeded, code, restOfHeader: 0, invokingPacket);

    /// <summary>
    /// How many octets of <paramref name="invokingPacket"/> an error quotes: the whole datagram up to its Total
    /// Length (link padding is not quoted), but no more than <see cref="MaxQuotedLength"/> so that the error fits in
    /// 576 octets (RFC 1812 §4.3.2.3). That is always at least the IP header plus 8 octets that RFC 792 requires.
    /// </summary>
    public static int QuotedLength(ReadOnlySpan<byte> invokingPacket)
    {
        int length = invokingPacket.Length;
        if (Ipv4Packet.TryParse(invokingPacket, out Ipv4Packet packet, out _))
            length = packet.TotalLength;
        return Math.Min(length, MaxQuotedLength);
    }

    public override string ToString()
    {
        if (_bytes.Length < HeaderLength)
            return WireText.Malformed("ICMP", WireRejection.Truncated, _bytes.Length);
        string checksum = InternetChecksum.Compute(_bytes) == 0 ? "" : " bad-checksum";
        string name = Type is IcmpType.EchoReply or IcmpType.DestinationUnreachable or IcmpType.SourceQuench
            or IcmpType.Redirect or IcmpType.EchoRequest or IcmpType.TimeExceeded or IcmpType.ParameterProblem
            or IcmpType.Timestamp or IcmpType.TimestampReply
            ? Type.ToString()
            : WireText.Invariant($"type {(byte)Type}");
        return Type is IcmpType.EchoRequest or IcmpType.EchoReply
            ? WireText.Invariant($"ICMP {name} id {Identifier} seq {SequenceNumber} data {Data.Length}{checksum}")
            : WireText.Invariant($"ICMP {name} code {Code} data {Data.Length}{checksum}");
    }

    private static int WriteError(Span<byte> destination, IcmpType type, byte code, uint restOfHeader, ReadOnlySpan<byte> invokingPacket)
    {
        int quoted = QuotedLength(invokingPacket);
        int length = HeaderLength + quoted;
        if (destination.Length < length)
            WireThrow.DestinationTooShort(nameof(destination), length, destination.Length);
        invokingPacket[..quoted].CopyTo(destination[Field.Data..]);
        destination[Field.Type] = (byte)type;
        destination[Field.Code] = code;
        BinaryPrimitives.WriteUInt32BigEndian(destination[Field.RestOfHeader..], restOfHeader);
        WriteChecksum(destination[..length]);
        return length;
    }

    private static void WriteChecksum(Span<byte> message)
    {
        BinaryPrimitives.WriteUInt16BigEndian(message[Field.Checksum..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(message[Field.Checksum..], InternetChecksum.Compute(message));
    }
}
