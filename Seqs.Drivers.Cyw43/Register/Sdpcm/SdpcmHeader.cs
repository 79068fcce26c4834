using System.Buffers.Binary;

namespace Seqs.Drivers.Cyw43.Register.Sdpcm;

/// <summary>
/// The 12-byte SDPCM header, little-endian (embassy structs.rs SdpcmHeader; docs/reference/cyw43439.md#sdpcm-header):
/// size, its complement, sequence number, channel and flags, next length, header length, flow control, credit, two
/// reserved bytes. Control frames use a header length of 12; data frames 14, with two pad bytes before the BDC header.
/// </summary>
public readonly ref struct SdpcmHeader
{
    public const int Length = 12;

    /// <summary>
    /// Data frames: 12 bytes of header and 2 mandatory pad bytes (embassy structs.rs SdpcmHeader;
    /// docs/reference/cyw43439.md#sdpcm-header).
    /// </summary>
    public const int DataHeaderLength = 14;

    private static class Field
    {
        public const int Size = 0;
        public const int SizeComplement = 2;
        public const int Sequence = 4;
        public const int ChannelAndFlags = 5;
        public const int NextLength = 6;
        public const int HeaderLength = 7;
        public const int FlowControl = 8;
        public const int Credit = 9;
    }

    private readonly ReadOnlySpan<byte> _bytes;

    private SdpcmHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>The frame's length in bytes, this header included.</summary>
    public ushort Size => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Field.Size..]);

    public ushort SizeComplement => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Field.SizeComplement..]);

    public byte Sequence => _bytes[Field.Sequence];

    public SdpcmChannel Channel => (SdpcmChannel)(_bytes[Field.ChannelAndFlags] & 0x0F);

    public byte NextLength => _bytes[Field.NextLength];

    /// <summary>
    /// Where the payload starts; not always 12 (embassy runner.rs rx; docs/reference/cyw43439.md#sdpcm-receive-checks).
    /// </summary>
    public byte HeaderLength => _bytes[Field.HeaderLength];

    public byte FlowControl => _bytes[Field.FlowControl];

    /// <summary>The highest sequence number the chip accepts now.</summary>
    public byte Credit => _bytes[Field.Credit];

    /// <summary>The bytes after <see cref="HeaderLength"/>, up to <see cref="Size"/>.</summary>
    public ReadOnlySpan<byte> Payload => _bytes[HeaderLength..Size];

    /// <summary>
    /// embassy runner.rs rx; docs/reference/cyw43439.md#sdpcm-receive-checks: size and its complement agree, the header
    /// fits, the header length is at least 12 and the frame is no longer than <paramref name="bytes"/>. After true, no
    /// accessor throws.
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<byte> bytes, out SdpcmHeader header)
    {
        header = new SdpcmHeader(bytes);
        if (bytes.Length < Length)
            return false;
        int size = header.Size;
        return (ushort)~header.SizeComplement == size && size >= Length && size <= bytes.Length
            && header.HeaderLength >= Length && header.HeaderLength <= size;
    }

    /// <summary>Writes a header for a frame of <paramref name="size"/> bytes into <paramref name="destination"/>.</summary>
    public static void Write(Span<byte> destination, int size, byte sequence, SdpcmChannel channel, int headerLength, byte credit = 0, byte flowControl = 0)
    {
        destination[..Length].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(destination[Field.Size..], (ushort)size);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[Field.SizeComplement..], (ushort)~size);
        destination[Field.Sequence] = sequence;
        destination[Field.ChannelAndFlags] = (byte)channel;
        destination[Field.HeaderLength] = (byte)headerLength;
        destination[Field.FlowControl] = flowControl;
        destination[Field.Credit] = credit;
    }

    public override string ToString() =>
        _bytes.Length < Length ? "SDPCM (truncated)" : $"SDPCM size {Size} seq {Sequence} {Channel} hdr {HeaderLength} credit {Credit} fc {FlowControl}";
}
