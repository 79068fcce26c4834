using System.Buffers.Binary;
using System.Text;

namespace Seqs.Wire;

/// <summary>
/// The TCP options Seqs understands, read from a segment's option list (RFC 9293 §3.2, RFC 7323, RFC 2018).
/// A plain value: it holds up to four SACK blocks inline and refers to no buffer.
/// </summary>
public readonly struct TcpOptions
{
    /// <summary>RFC 9293 §3.1: Data Offset is at most 15 words, leaving 40 octets of options.</summary>
    public const int MaxLength = 40;

    /// <summary>RFC 2018 §3: a SACK option carries at most 4 blocks (a 34-octet option).</summary>
    public const int MaxSackBlocks = 4;

    // Option lengths, kind and length octets included.
    internal const int MaximumSegmentSizeLength = 4;
    internal const int WindowScaleLength = 3;
    internal const int SackPermittedLength = 2;
    internal const int TimestampsLength = 10;
    internal const int SackBlockLength = 8;
    internal const int KindAndLength = 2;
    internal const int TimestampEchoReplyOffset = 4;

    private readonly ushort _maximumSegmentSize;
    private readonly byte _windowScale;
    private readonly Present _present;
    private readonly uint _left0, _right0, _left1, _right1, _left2, _right2, _left3, _right3;

    [Flags]
    private enum Present : byte
    {
        None = 0,
        MaximumSegmentSize = 1,
        WindowScale = 2,
        SackPermitted = 4,
        Timestamps = 8,
    }

    private TcpOptions(ushort maximumSegmentSize, byte windowScale, Present present, uint timestampValue,
        uint timestampEchoReply, int sackBlockCount, ReadOnlySpan<byte> sackBlocks)
    {
        _maximumSegmentSize = maximumSegmentSize;
        _windowScale = windowScale;
        _present = present;
        TimestampValue = timestampValue;
        TimestampEchoReply = timestampEchoReply;
        SackBlockCount = sackBlockCount;
        _left0 = _right0 = _left1 = _right1 = _left2 = _right2 = _left3 = _right3 = 0;
        if (sackBlockCount > 0)
            (_left0, _right0) = ReadBlock(sackBlocks, 0);
        if (sackBlockCount > 1)
            (_left1, _right1) = ReadBlock(sackBlocks, 1);
        if (sackBlockCount > 2)
            (_left2, _right2) = ReadBlock(sackBlocks, 2);
        if (sackBlockCount > 3)
            (_left3, _right3) = ReadBlock(sackBlocks, 3);
    }

    /// <summary>The MSS option (RFC 9293 §3.7.1), in octets; null when absent (the sender then means 536, RFC 9293 MUST-15).</summary>
    public ushort? MaximumSegmentSize => (_present & Present.MaximumSegmentSize) != 0 ? _maximumSegmentSize : null;

    /// <summary>
    /// The window scale shift count as received (RFC 7323 §2.2); null when absent. Values above 14 are returned as
    /// sent; RFC 7323 §2.3 has the receiver log them and use 14, which is the stack's business.
    /// </summary>
    public byte? WindowScale => (_present & Present.WindowScale) != 0 ? _windowScale : null;

    /// <summary>The SACK-permitted option (RFC 2018 §2) was present.</summary>
    public bool SackPermitted => (_present & Present.SackPermitted) != 0;

    /// <summary>The timestamps option (RFC 7323 §3.2) was present; <see cref="TimestampValue"/> and <see cref="TimestampEchoReply"/> are 0 otherwise.</summary>
    public bool HasTimestamps => (_present & Present.Timestamps) != 0;

    /// <summary>TSval (RFC 7323 §3.2).</summary>
    public uint TimestampValue { get; }

    /// <summary>TSecr (RFC 7323 §3.2).</summary>
    public uint TimestampEchoReply { get; }

    /// <summary>The number of SACK blocks (RFC 2018 §3), 0 to 4.</summary>
    public int SackBlockCount { get; }

    /// <summary>The <paramref name="index"/>th SACK block: left edge and right edge (one past the last octet), in order received.</summary>
    public (uint Left, uint Right) GetSackBlock(int index)
    {
        if ((uint)index >= (uint)SackBlockCount)
            WireThrow.OutOfRange(nameof(index), index, "There is no SACK block at that index.");
        return index switch
        {
            0 => (_left0, _right0),
            1 => (_left1, _right1),
            2 => (_left2, _right2),
            _ => (_left3, _right3),
        };
    }

    /// <summary>
    /// Reads an option list (RFC 9293 §3.2): End of Option List stops the scan, No-Operation is skipped, the known
    /// kinds must have their exact lengths, and unknown kinds are skipped by their length octet (RFC 9293 MUST-6).
    /// Illegal lengths are reported rather than followed (MUST-7: "be prepared to handle an illegal option length"). A list is rejected with
    /// <see cref="WireRejection.BadOptionLength"/> when a length octet is missing, below 2, runs past the end, or is
    /// wrong for its kind. A repeated option replaces the earlier one.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> options, out TcpOptions parsed, out WireRejection rejection)
    {
        rejection = WireRejection.None;
        if (options.IsEmpty)
        {
            parsed = default;
            return true;
        }
        // The list nearly every segment of a timestamped connection carries, NOP, NOP, TSopt (RFC 7323 Appendix A),
        // read without the scan.
        if (options.Length == 12 && BinaryPrimitives.ReadUInt32BigEndian(options) == 0x0101_080A)
        {
            parsed = new TcpOptions(0, 0, Present.Timestamps, BinaryPrimitives.ReadUInt32BigEndian(options[4..]),
                BinaryPrimitives.ReadUInt32BigEndian(options[8..]), 0, default);
            return true;
        }
        parsed = default;
        ushort maximumSegmentSize = 0;
        byte windowScale = 0;
        Present present = Present.None;
        uint timestampValue = 0, timestampEchoReply = 0;
        int sackBlockCount = 0;
        ReadOnlySpan<byte> sackBlocks = default;

        int i = 0;
        while (i < options.Length)
        {
            var kind = (TcpOptionKind)options[i];
            if (kind == TcpOptionKind.EndOfOptionList)
                break;
            if (kind == TcpOptionKind.NoOperation)
            {
                i++;
                continue;
            }
            // i + 1 < options.Length: every other kind has a length octet, and it must fit what remains.
            if (i + 1 >= options.Length)
                return Reject(out rejection);
            int length = options[i + 1];
            if (length < KindAndLength || length > options.Length - i)
                return Reject(out rejection);
            ReadOnlySpan<byte> value = options.Slice(i + KindAndLength, length - KindAndLength);
            switch (kind)
            {
                case TcpOptionKind.MaximumSegmentSize:
                    if (length != MaximumSegmentSizeLength)
                        return Reject(out rejection);
                    maximumSegmentSize = BinaryPrimitives.ReadUInt16BigEndian(value);
                    present |= Present.MaximumSegmentSize;
                    break;
                case TcpOptionKind.WindowScale:
                    if (length != WindowScaleLength)
                        return Reject(out rejection);
                    windowScale = value[0];
                    present |= Present.WindowScale;
                    break;
                case TcpOptionKind.SackPermitted:
                    if (length != SackPermittedLength)
                        return Reject(out rejection);
                    present |= Present.SackPermitted;
                    break;
                case TcpOptionKind.Sack:
                    int blocks = value.Length / SackBlockLength;
                    if (value.Length % SackBlockLength != 0 || blocks is 0 or > MaxSackBlocks)
                        return Reject(out rejection);
                    sackBlockCount = blocks;
                    sackBlocks = value;
                    break;
                case TcpOptionKind.Timestamps:
                    if (length != TimestampsLength)
                        return Reject(out rejection);
                    timestampValue = BinaryPrimitives.ReadUInt32BigEndian(value);
                    timestampEchoReply = BinaryPrimitives.ReadUInt32BigEndian(value[TimestampEchoReplyOffset..]);
                    present |= Present.Timestamps;
                    break;
            }
            i += length;
        }

        parsed = new TcpOptions(maximumSegmentSize, windowScale, present, timestampValue, timestampEchoReply, sackBlockCount, sackBlocks);
        rejection = WireRejection.None;
        return true;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        if (MaximumSegmentSize is ushort mss)
            text.Append(WireText.Invariant($"mss {mss},"));
        if (WindowScale is byte shift)
            text.Append(WireText.Invariant($"wscale {shift},"));
        if (SackPermitted)
            text.Append("sackOK,");
        if (HasTimestamps)
            text.Append(WireText.Invariant($"TS val {TimestampValue} ecr {TimestampEchoReply},"));
        if (SackBlockCount > 0)
        {
            text.Append("sack");
            for (int i = 0; i < SackBlockCount; i++)
            {
                (uint left, uint right) = GetSackBlock(i);
                text.Append(WireText.Invariant($" {{{left}:{right}}}"));
            }
            text.Append(',');
        }
        if (text.Length > 0)
            text.Length--;
        return text.Insert(0, '[').Append(']').ToString();
    }

    private static bool Reject(out WireRejection rejection)
    {
        rejection = WireRejection.BadOptionLength;
        return false;
    }

    private static (uint Left, uint Right) ReadBlock(ReadOnlySpan<byte> blocks, int index) =>
        (BinaryPrimitives.ReadUInt32BigEndian(blocks[(index * SackBlockLength)..]),
         BinaryPrimitives.ReadUInt32BigEndian(blocks[(index * SackBlockLength + 4)..])); // left edge, then right edge
}
