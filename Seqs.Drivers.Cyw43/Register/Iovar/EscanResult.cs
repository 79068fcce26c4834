using System.Buffers.Binary;

namespace Seqs.Drivers.Cyw43.Register.Iovar;

/// <summary>
/// The data of an ESCAN_RESULT event (embassy structs.rs <c>ScanResults</c>; docs/reference/cyw43439.md#scan): buflen
/// u32, version u32, sync_id u16, bss_count u16, then <see cref="BssCount"/> wl_bss_info records.
/// </summary>
public readonly ref struct EscanResult
{
    public const int HeaderLength = 12;

    private readonly ReadOnlySpan<byte> _bytes;

    private EscanResult(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ushort SyncId => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[8..]);

    public int BssCount => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[10..]);

    /// <summary>The first record, when <see cref="BssCount"/> is not 0 and it parses.</summary>
    public bool TryGetFirst(out BssInfo info)
    {
        info = default;
        return BssCount > 0 && BssInfo.TryCreate(_bytes[HeaderLength..], out info);
    }

    public static bool TryCreate(ReadOnlySpan<byte> bytes, out EscanResult result)
    {
        result = new EscanResult(bytes);
        return bytes.Length >= HeaderLength;
    }

    /// <summary>Writes the header for <paramref name="recordsLength"/> bytes of records.</summary>
    public static void WriteHeader(Span<byte> destination, ushort syncId, int bssCount, int recordsLength)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)(HeaderLength + recordsLength));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], 1); // the escan version the host asked with; not checked
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], syncId);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], (ushort)bssCount);
    }
}
