using System.Buffers.Binary;

namespace Seqs.Drivers.Enc28j60.Register.Packets;

/// <summary>
/// The six bytes in front of each received packet (DS39662E §7.2.2, Figure 7-3 and Table 7-3), little-endian:
/// the next packet pointer, the received byte count (CRC included), then status bits 16-31.
/// </summary>
internal readonly struct ReceiveStatusVector
{
    public const int Length = 6;

    private const int CrcErrorBit = 20 - 16;
    private const int LengthCheckErrorBit = 21 - 16;
    private const int LengthOutOfRangeBit = 22 - 16;
    private const int ReceivedOkBit = 23 - 16;
    private const int MulticastBit = 24 - 16;
    private const int BroadcastBit = 25 - 16;

    public ReceiveStatusVector(ushort nextPacketPointer, ushort byteCount, ushort status)
    {
        NextPacketPointer = nextPacketPointer;
        ByteCount = byteCount;
        Status = status;
    }

    public ushort NextPacketPointer { get; }

    /// <summary>Bytes received, from the destination address through the CRC.</summary>
    public ushort ByteCount { get; }

    /// <summary>Bits 31-16 of the vector, shifted down by 16.</summary>
    public ushort Status { get; }

    public bool CrcError => Bit(CrcErrorBit);

    public bool LengthCheckError => Bit(LengthCheckErrorBit);

    public bool LengthOutOfRange => Bit(LengthOutOfRangeBit);

    /// <summary>Bit 23, Received OK: a valid frame with a good CRC.</summary>
    public bool ReceivedOk => Bit(ReceivedOkBit);

    public bool Multicast => Bit(MulticastBit);

    public bool Broadcast => Bit(BroadcastBit);

    public static ReceiveStatusVector Read(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt16LittleEndian(bytes),
        BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]),
        BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, NextPacketPointer);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], ByteCount);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], Status);
    }

    public static ushort StatusBits(bool receivedOk, bool crcError, bool multicast, bool broadcast) => (ushort)(
        (receivedOk ? 1 << ReceivedOkBit : 0) | (crcError ? 1 << CrcErrorBit : 0) |
        (multicast ? 1 << MulticastBit : 0) | (broadcast ? 1 << BroadcastBit : 0));

    public override string ToString() =>
        $"RSV next={NextPacketPointer:X4} count={ByteCount} status={Status:X4}{(ReceivedOk ? " OK" : "")}";

    private bool Bit(int bit) => (Status & (1 << bit)) != 0;
}
