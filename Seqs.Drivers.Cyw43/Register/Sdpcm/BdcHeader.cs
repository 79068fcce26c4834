namespace Seqs.Drivers.Cyw43.Register.Sdpcm;

/// <summary>
/// The 4-byte BDC header in front of every Ethernet frame and event on the SDPCM data and event channels (embassy
/// structs.rs <c>BdcHeader</c>; docs/reference/cyw43439.md#bdc-header): flags (0x20, BDC version 2, on frames the host
/// sends), priority, flags2 (the interface) and data offset, the number of 4-byte words between the header and the
/// frame.
/// </summary>
public readonly ref struct BdcHeader
{
    public const int Length = 4;

    /// <summary>BDC version 2 in the flags' high nibble: what the host puts in every frame it sends.</summary>
    public const byte VersionFlags = 0x20;

    private static class Field
    {
        public const int Flags = 0;
        public const int Priority = 1;
        public const int Flags2 = 2;
        public const int DataOffset = 3;
    }

    private readonly ReadOnlySpan<byte> _bytes;

    private BdcHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public byte Flags => _bytes[Field.Flags];

    /// <summary>802.1D priority, low 3 bits.</summary>
    public int Priority => _bytes[Field.Priority] & 0x7;

    public int Interface => _bytes[Field.Flags2];

    /// <summary>Words (4 bytes each) of optional headers between the BDC header and the frame.</summary>
    public int DataOffsetWords => _bytes[Field.DataOffset];

    /// <summary>The frame after the header and its data offset.</summary>
    public ReadOnlySpan<byte> Payload => _bytes[(Length + DataOffsetWords * 4)..];

    /// <summary>The header fits and the data offset stays within <paramref name="bytes"/>. After true, no accessor throws.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> bytes, out BdcHeader header)
    {
        header = new BdcHeader(bytes);
        return bytes.Length >= Length && Length + header.DataOffsetWords * 4 <= bytes.Length;
    }

    public static void Write(Span<byte> destination, byte flags = VersionFlags, int priority = 0, int iface = 0, int dataOffsetWords = 0)
    {
        destination[Field.Flags] = flags;
        destination[Field.Priority] = (byte)(priority & 0x7);
        destination[Field.Flags2] = (byte)iface;
        destination[Field.DataOffset] = (byte)dataOffsetWords;
    }

    public override string ToString() =>
        _bytes.Length < Length ? "BDC (truncated)" : $"BDC flags {Flags:X2}h prio {Priority} if {Interface} offset {DataOffsetWords * 4} B";
}
