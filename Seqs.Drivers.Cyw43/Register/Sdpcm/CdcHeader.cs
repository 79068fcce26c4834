using System.Buffers.Binary;

namespace Seqs.Drivers.Cyw43.Register.Sdpcm;

/// <summary>
/// The 16-byte CDC (ioctl) header, little-endian (embassy structs.rs CdcHeader;
/// docs/reference/cyw43439.md#cdc-ioctl-header): command, length, flags (bit 1 SET, bits 15:12 interface, bits 31:16
/// request ID), status. The response echoes the ID; status 0 is success.
/// </summary>
public readonly ref struct CdcHeader
{
    public const int Length = 16;

    public const uint SetFlag = 0x2;

    private static class Field
    {
        public const int Command = 0;
        public const int PayloadLength = 4;
        public const int Flags = 8;
        public const int Status = 12;
    }

    private readonly ReadOnlySpan<byte> _bytes;

    private CdcHeader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public uint Command => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[Field.Command..]);

    public uint PayloadLength => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[Field.PayloadLength..]);

    public uint Flags => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[Field.Flags..]);

    public bool IsSet => (Flags & SetFlag) != 0;

    public int Interface => (int)(Flags >> 12 & 0xF);

    public ushort RequestId => (ushort)(Flags >> 16);

    /// <summary>0 is success; anything else is the firmware's error code (a negative BCME value).</summary>
    public int Status => BinaryPrimitives.ReadInt32LittleEndian(_bytes[Field.Status..]);

    /// <summary>What follows the header, up to the end of the frame's payload.</summary>
    public ReadOnlySpan<byte> Payload => _bytes[Length..];

    public static bool TryCreate(ReadOnlySpan<byte> bytes, out CdcHeader header)
    {
        header = new CdcHeader(bytes);
        return bytes.Length >= Length;
    }

    public static void Write(Span<byte> destination, uint command, int payloadLength, bool set, ushort requestId, int iface = 0, int status = 0)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination[Field.Command..], command);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[Field.PayloadLength..], (uint)payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[Field.Flags..], (uint)requestId << 16 | (uint)(iface & 0xF) << 12 | (set ? SetFlag : 0));
        BinaryPrimitives.WriteInt32LittleEndian(destination[Field.Status..], status);
    }

    public override string ToString() =>
        _bytes.Length < Length ? "CDC (truncated)" : $"CDC cmd {Command} {(IsSet ? "set" : "get")} len {PayloadLength} id {RequestId} status {Status}";
}
