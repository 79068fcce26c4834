using System.Buffers.Binary;
using Seqs.Wire;

namespace Seqs.Tests.Simulation;

/// <summary>
/// Test frames: an Ethernet header with EtherType 0x88B5 (IEEE 802 local experimental), a 32-bit big-endian
/// frame number, then a payload whose bytes derive from the number, so that corruption is detectable.
/// </summary>
internal static class NumberedFrame
{
    public const ushort EtherType = 0x88B5;
    public const int HeaderLength = 18;

    public static byte[] Create(MacAddress destination, MacAddress source, int number, int size)
    {
        byte[] frame = new byte[size];
        Write(frame, destination, source, number);
        return frame;
    }

    public static void Write(Span<byte> frame, MacAddress destination, MacAddress source, int number)
    {
        destination.Write(frame);
        source.Write(frame[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], EtherType);
        BinaryPrimitives.WriteInt32BigEndian(frame[14..], number);
        for (int i = HeaderLength; i < frame.Length; i++)
            frame[i] = (byte)(number + i);
    }

    public static int ReadNumber(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt32BigEndian(frame[14..]);

    public static MacAddress ReadSource(ReadOnlySpan<byte> frame) => MacAddress.Read(frame[6..]);

    /// <summary>Whether the frame is exactly what <see cref="Write"/> produces for its addresses and number.</summary>
    public static bool IsIntact(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < HeaderLength || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != EtherType)
            return false;
        int number = ReadNumber(frame);
        for (int i = HeaderLength; i < frame.Length; i++)
        {
            if (frame[i] != (byte)(number + i))
                return false;
        }
        return true;
    }
}
