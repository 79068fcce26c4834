using System.Buffers.Binary;

namespace Seqs.Drivers.Enc28j60.Register.Packets;

/// <summary>
/// The seven bytes the MAC writes after ETXND when a transmission ends (DS39662E §7.1, Table 7-1), little-endian.
/// </summary>
internal readonly struct TransmitStatusVector
{
    public const int Length = 7;

    private const int DoneBit = 23;
    private const int MulticastBit = 24;
    private const int BroadcastBit = 25;
    private const int LateCollisionBit = 29;

    private readonly ulong _bits;

    public TransmitStatusVector(ulong bits) => _bits = bits & 0x00FF_FFFF_FFFF_FFFF;

    /// <summary>Bits 0-15: bytes in the frame, padding and CRC included.</summary>
    public ushort ByteCount => (ushort)_bits;

    /// <summary>Bits 16-19: collisions seen while sending.</summary>
    public int CollisionCount => (int)(_bits >> 16) & 0x0F;

    /// <summary>Bit 23: transmission done.</summary>
    public bool Done => Bit(DoneBit);

    public bool Multicast => Bit(MulticastBit);

    public bool Broadcast => Bit(BroadcastBit);

    /// <summary>Bit 29: late collision; trusted over ESTAT.LATECOL (errata DS80349C #15).</summary>
    public bool LateCollision => Bit(LateCollisionBit);

    /// <summary>Bits 32-47: bytes on the wire, collided attempts included.</summary>
    public ushort TotalBytesOnWire => (ushort)(_bits >> 32);

    public static TransmitStatusVector Read(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt32LittleEndian(bytes) | (ulong)BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]) << 32 | (ulong)bytes[6] << 48);

    public static TransmitStatusVector Create(int byteCount, int totalBytesOnWire, bool multicast, bool broadcast, bool lateCollision) => new(
        (ulong)(ushort)byteCount | 1UL << DoneBit | (multicast ? 1UL << MulticastBit : 0) | (broadcast ? 1UL << BroadcastBit : 0) |
        (lateCollision ? 1UL << LateCollisionBit : 0) | (ulong)(ushort)totalBytesOnWire << 32);

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)_bits);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], (ushort)(_bits >> 32));
        destination[6] = (byte)(_bits >> 48);
    }

    public override string ToString() => $"TSV count={ByteCount} collisions={CollisionCount}{(Done ? " done" : "")}{(LateCollision ? " late-collision" : "")}";

    private bool Bit(int bit) => (_bits & 1UL << bit) != 0;
}
