using System.Buffers.Binary;

namespace Seqs.Drivers.Cyw43.Register.Iovar;

/// <summary>
/// The 12-byte header in front of each chunk of the "clmload" iovar, little-endian (embassy structs.rs
/// <c>DownloadHeader</c>, control.rs load_clm; docs/reference/cyw43439.md#initialisation step 1): flag u16, type u16
/// (2 = CLM), chunk length u32, CRC u32 (0).
/// </summary>
public readonly ref struct ClmDownloadHeader
{
    public const int Length = 12;

    /// <summary>
    /// Bytes of CLM per chunk: at most 1024 (embassy control.rs load_clm; docs/reference/cyw43439.md#initialisation).
    /// </summary>
    public const int MaxChunk = 1024;

    /// <summary>DOWNLOAD_FLAG_HANDLER_VER, set on every chunk.</summary>
    public const ushort HandlerVersion = 0x1000;

    /// <summary>DOWNLOAD_FLAG_BEGIN: the first chunk.</summary>
    public const ushort Begin = 0x0002;

    /// <summary>DOWNLOAD_FLAG_END: the last chunk.</summary>
    public const ushort End = 0x0004;

    /// <summary>DOWNLOAD_TYPE_CLM.</summary>
    public const ushort ClmType = 2;

    private static class Field
    {
        public const int Flag = 0;
        public const int Type = 2;
        public const int ChunkLength = 4;
        public const int Crc = 8;
    }

    private readonly ReadOnlySpan<byte> _bytes;

    private ClmDownloadHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ushort Flag => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Field.Flag..]);

    public ushort Type => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Field.Type..]);

    public int ChunkLength => (int)BinaryPrimitives.ReadUInt32LittleEndian(_bytes[Field.ChunkLength..]);

    public bool IsFirst => (Flag & Begin) != 0;

    public bool IsLast => (Flag & End) != 0;

    /// <summary>The chunk after the header, <see cref="ChunkLength"/> bytes.</summary>
    public ReadOnlySpan<byte> Chunk => _bytes.Slice(Length, ChunkLength);

    /// <summary>The header fits and its chunk length stays within <paramref name="bytes"/>.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> bytes, out ClmDownloadHeader header)
    {
        header = new ClmDownloadHeader(bytes);
        return bytes.Length >= Length && (uint)header.ChunkLength <= (uint)(bytes.Length - Length);
    }

    public static void Write(Span<byte> destination, bool first, bool last, int chunkLength)
    {
        ushort flag = (ushort)(HandlerVersion | (first ? Begin : 0) | (last ? End : 0));
        BinaryPrimitives.WriteUInt16LittleEndian(destination[Field.Flag..], flag);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[Field.Type..], ClmType);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[Field.ChunkLength..], (uint)chunkLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[Field.Crc..], 0);
    }
}
