using System.Buffers.Binary;

namespace Seqs.Wire;

/// <summary>A TCP segment (RFC 9293 §3.1): the header, its options and the data, as carried in one IPv4 datagram.</summary>
public readonly ref struct TcpSegment
{
    /// <summary>A header without options: Data Offset 5, 20 octets.</summary>
    public const int MinHeaderLength = 20;

    /// <summary>Data Offset 15: 60 octets, 40 of them options.</summary>
    public const int MaxHeaderLength = 60;

    private static class Field
    {
        public const int SourcePort = 0;
        public const int DestinationPort = 2;
        public const int SequenceNumber = 4;
        public const int AcknowledgmentNumber = 8;
        public const int DataOffset = 12;
        public const int Flags = 13;
        public const int WindowSize = 14;
        public const int Checksum = 16;
        public const int UrgentPointer = 18;
        public const int Options = 20;
    }

    private readonly ReadOnlySpan<byte> _bytes;
    private readonly TcpOptions _options;

    /// <summary>Unchecked view, for segments Seqs has just written; <see cref="ParsedOptions"/> is empty.</summary>
    internal TcpSegment(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    private TcpSegment(ReadOnlySpan<byte> bytes, TcpOptions options)
    {
        _bytes = bytes;
        _options = options;
    }

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.SourcePort..]);

    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.DestinationPort..]);

    /// <summary>SEG.SEQ, a point in modular sequence space.</summary>
    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.SequenceNumber..]);

    /// <summary>SEG.ACK, meaningful only when <see cref="TcpFlags.Ack"/> is set.</summary>
    public uint AcknowledgmentNumber => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.AcknowledgmentNumber..]);

    /// <summary>The header length in 32-bit words, 5 to 15.</summary>
    public int DataOffset => _bytes[Field.DataOffset] >> 4;

    /// <summary>The header length in octets: <see cref="DataOffset"/> × 4.</summary>
    public int HeaderLength => DataOffset * 4;

    /// <summary>The four bits after Data Offset (RFC 9293 "Rsrvd"; RFC 9768 assigns the lowest to AccECN's AE).</summary>
    public byte Reserved => (byte)(_bytes[Field.DataOffset] & 0x0F);

    public TcpFlags Flags => (TcpFlags)_bytes[Field.Flags];

    /// <summary>SEG.WND as sent, before any window scaling (RFC 7323 §2.3).</summary>
    public ushort WindowSize => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.WindowSize..]);

    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Checksum..]);

    public ushort UrgentPointer => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.UrgentPointer..]);

    /// <summary>The raw option list, HeaderLength − 20 octets.</summary>
    public ReadOnlySpan<byte> Options => _bytes[Field.Options..HeaderLength];

    /// <summary>The options as read by <see cref="TryParse"/> (which rejects malformed lists).</summary>
    public TcpOptions ParsedOptions => _options;

    /// <summary><see cref="ParsedOptions"/> without the copy.</summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    internal ref readonly TcpOptions ParsedOptionsRef => ref _options;

    /// <summary>The data after the header: SEG.LEN excluding SYN and FIN.</summary>
    public ReadOnlySpan<byte> Payload => _bytes[HeaderLength..];

    /// <summary>
    /// RFC 9293 §3.1: at least 20 octets, 5 ≤ Data Offset, Data Offset × 4 ≤ octets received, and a well-formed option
    /// list (<see cref="TcpOptions.TryParse"/>). <paramref name="bytes"/> must be exactly the IPv4 payload, since the
    /// data runs to its end. The checksum is checked by <see cref="VerifyChecksum"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out TcpSegment segment, out WireRejection rejection)
    {
        segment = default;
        rejection = CheckLengths(bytes);
        if (rejection != WireRejection.None)
            return false;
        if (!TcpOptions.TryParse(new TcpSegment(bytes).Options, out TcpOptions options, out rejection))
            return false;
        segment = new TcpSegment(bytes, options);
        return true;
    }

    /// <summary>RFC 9293 §3.1: the checksum over the pseudo-header, header and data verifies (a receiver MUST check it, MUST-3).</summary>
    public bool VerifyChecksum(Ipv4Address source, Ipv4Address destination)
    {
        uint sum = InternetChecksum.AccumulatePseudoHeader(source, destination, (byte)IpProtocol.Tcp, _bytes.Length);
        return InternetChecksum.Finish(InternetChecksum.Accumulate(_bytes, sum)) == 0;
    }

    /// <summary>
    /// Writes the 20-octet fixed header in front of the <paramref name="optionsLength"/> option octets already at
    /// segment[20..] (see <see cref="TcpOptionWriter"/>), with urgent pointer and checksum 0, and returns the header
    /// length. Call <see cref="WriteChecksum"/> once the data is in place.
    /// </summary>
    public static int WriteHeader(Span<byte> segment, ushort sourcePort, ushort destinationPort, uint sequenceNumber,
        uint acknowledgmentNumber, TcpFlags flags, ushort windowSize, int optionsLength)
    {
        if (optionsLength < 0 || optionsLength > TcpOptions.MaxLength || optionsLength % 4 != 0)
            WireThrow.OutOfRange(nameof(optionsLength), optionsLength, "TCP options are 0 to 40 octets in 32-bit words.");
        int headerLength = MinHeaderLength + optionsLength;
        if (segment.Length < headerLength)
            WireThrow.DestinationTooShort(nameof(segment), headerLength, segment.Length);
        BinaryPrimitives.WriteUInt16BigEndian(segment[Field.SourcePort..], sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(segment[Field.DestinationPort..], destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(segment[Field.SequenceNumber..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(segment[Field.AcknowledgmentNumber..], acknowledgmentNumber);
        segment[Field.DataOffset] = (byte)(headerLength / 4 << 4);
        segment[Field.Flags] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(segment[Field.WindowSize..], windowSize);
        BinaryPrimitives.WriteUInt16BigEndian(segment[Field.Checksum..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(segment[Field.UrgentPointer..], 0);
        return headerLength;
    }

    /// <summary>
    /// Fills the checksum over the pseudo-header, header and data. <paramref name="segment"/> must be exactly the
    /// segment (header plus data), as the pseudo-header's TCP length is its length.
    /// </summary>
    public static void WriteChecksum(Span<byte> segment, Ipv4Address source, Ipv4Address destination)
    {
        if (segment.Length < MinHeaderLength)
            WireThrow.DestinationTooShort(nameof(segment), MinHeaderLength, segment.Length);
        BinaryPrimitives.WriteUInt16BigEndian(segment[Field.Checksum..], 0);
        uint sum = InternetChecksum.AccumulatePseudoHeader(source, destination, (byte)IpProtocol.Tcp, segment.Length);
        BinaryPrimitives.WriteUInt16BigEndian(segment[Field.Checksum..], InternetChecksum.Finish(InternetChecksum.Accumulate(segment, sum)));
    }

    public override string ToString()
    {
        WireRejection rejection = CheckLengths(_bytes);
        TcpOptions options = default;
        if (rejection == WireRejection.None)
            TcpOptions.TryParse(Options, out options, out rejection);
        if (rejection != WireRejection.None)
            return WireText.Malformed("TCP", rejection, _bytes.Length);
        return WireText.Invariant(
            $"TCP {SourcePort} > {DestinationPort} [{FlagText(Flags)}] seq {SequenceNumber} ack {AcknowledgmentNumber} win {WindowSize} len {Payload.Length} {options}");
    }

    /// <summary>Flags as tcpdump prints them: S, F, R, P, . (ACK), U, E, W.</summary>
    private static string FlagText(TcpFlags flags)
    {
        Span<char> text = stackalloc char[8];
        int n = 0;
        if ((flags & TcpFlags.Syn) != 0) text[n++] = 'S';
        if ((flags & TcpFlags.Fin) != 0) text[n++] = 'F';
        if ((flags & TcpFlags.Rst) != 0) text[n++] = 'R';
        if ((flags & TcpFlags.Psh) != 0) text[n++] = 'P';
        if ((flags & TcpFlags.Urg) != 0) text[n++] = 'U';
        if ((flags & TcpFlags.Ece) != 0) text[n++] = 'E';
        if ((flags & TcpFlags.Cwr) != 0) text[n++] = 'W';
        if ((flags & TcpFlags.Ack) != 0) text[n++] = '.';
        return n == 0 ? "none" : text[..n].ToString();
    }

    private static WireRejection CheckLengths(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < MinHeaderLength)
            return WireRejection.Truncated;
        int headerLength = new TcpSegment(bytes).HeaderLength;
        if (headerLength < MinHeaderLength || headerLength > bytes.Length)
            return WireRejection.BadDataOffset;
        return WireRejection.None;
    }
}
