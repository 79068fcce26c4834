using System.Buffers.Binary;

namespace Seqs.Wire;

/// <summary>
/// Appends TCP options (RFC 9293 §3.2, RFC 7323, RFC 2018) to a segment's option area, at most 40 octets.
/// Options go in the order written; call <see cref="WriteNop"/> where alignment matters, then <see cref="Finish"/>.
/// </summary>
public ref struct TcpOptionWriter
{
    private readonly Span<byte> _options;
    private int _length;

    /// <summary>Writes into <paramref name="options"/>, usually segment[20..]; only its first 40 octets are used.</summary>
    public TcpOptionWriter(Span<byte> options)
    {
        _options = options.Length > TcpOptions.MaxLength ? options[..TcpOptions.MaxLength] : options;
        _length = 0;
    }

    /// <summary>Octets written so far.</summary>
    public readonly int Length => _length;

    /// <summary>Octets still free, out of 40 (or the buffer, if smaller).</summary>
    public readonly int Remaining => _options.Length - _length;

    /// <summary>The most SACK blocks that still fit: a SACK option is 2 + 8n octets (RFC 2018 §3).</summary>
    public readonly int SackBlocksThatFit => Math.Min(TcpOptions.MaxSackBlocks, Math.Max(0, (Remaining - TcpOptions.KindAndLength) / TcpOptions.SackBlockLength));

    public void WriteNop() => Reserve(TcpOptionKind.NoOperation, 1);

    /// <summary>MSS in octets (RFC 9293 §3.7.1); RFC 9293 §3.2: sent only in segments with SYN set.</summary>
    public void WriteMaximumSegmentSize(ushort maximumSegmentSize) =>
        BinaryPrimitives.WriteUInt16BigEndian(Reserve(TcpOptionKind.MaximumSegmentSize, TcpOptions.MaximumSegmentSizeLength), maximumSegmentSize);

    /// <summary>Shift count 0 to 14 (RFC 7323 §2.3); sent on SYN segments only.</summary>
    public void WriteWindowScale(byte shiftCount) => Reserve(TcpOptionKind.WindowScale, TcpOptions.WindowScaleLength)[0] = shiftCount;

    /// <summary>SACK-permitted (RFC 2018 §2), on SYN segments only.</summary>
    public void WriteSackPermitted() => Reserve(TcpOptionKind.SackPermitted, TcpOptions.SackPermittedLength);

    /// <summary>TSval and TSecr (RFC 7323 §3.2).</summary>
    public void WriteTimestamps(uint timestampValue, uint timestampEchoReply)
    {
        Span<byte> value = Reserve(TcpOptionKind.Timestamps, TcpOptions.TimestampsLength);
        BinaryPrimitives.WriteUInt32BigEndian(value, timestampValue);
        BinaryPrimitives.WriteUInt32BigEndian(value[TcpOptions.TimestampEchoReplyOffset..], timestampEchoReply);
    }

    /// <summary>One SACK option with 1 to 4 blocks (RFC 2018 §3); see <see cref="SackBlocksThatFit"/>.</summary>
    public void WriteSackBlocks(scoped ReadOnlySpan<(uint Left, uint Right)> blocks)
    {
        if (blocks.Length is 0 or > TcpOptions.MaxSackBlocks)
            WireThrow.OutOfRange(nameof(blocks), blocks.Length, "A SACK option carries 1 to 4 blocks.");
        Span<byte> value = Reserve(TcpOptionKind.Sack, TcpOptions.KindAndLength + TcpOptions.SackBlockLength * blocks.Length);
        for (int i = 0; i < blocks.Length; i++)
        {
            Span<byte> block = value[(TcpOptions.SackBlockLength * i)..];
            BinaryPrimitives.WriteUInt32BigEndian(block, blocks[i].Left);
            BinaryPrimitives.WriteUInt32BigEndian(block[4..], blocks[i].Right);
        }
    }

    /// <summary>
    /// Pads with End of Option List octets (zeros, RFC 9293 §3.1: "the header padding is composed of zeros") to a
    /// multiple of 4 and returns the option length, which goes to <see cref="TcpSegment.WriteHeader"/>.
    /// </summary>
    public int Finish()
    {
        int padded = (_length + 3) & ~3;
        if (padded > _options.Length)
            WireThrow.DestinationTooShort("options", padded, _options.Length);
        _options[_length..padded].Clear();
        _length = padded;
        return _length;
    }

    // Writes kind and (for length > 1) the length octet, and returns the value octets for the caller to fill.
    private Span<byte> Reserve(TcpOptionKind kind, int length)
    {
        if (length > Remaining)
            WireThrow.DestinationTooShort("options", _length + length, _options.Length);
        Span<byte> option = _options.Slice(_length, length);
        option[0] = (byte)kind;
        if (length > 1)
            option[1] = (byte)length;
        _length += length;
        return option[Math.Min(length, TcpOptions.KindAndLength)..];
    }
}
