using System.Buffers.Binary;
using System.IO.Hashing;

namespace Seqs.Device.HostNics;

/// <summary>
/// Writes an Ethernet frame for a serial line: the frame, then its CRC-32, SLIP-escaped between two END bytes.
/// SLIP is RFC 1055; the CRC is the IEEE 802.3 CRC-32 (the Ethernet FCS polynomial 0x04C11DB7, reflected, initial
/// value and final XOR 0xFFFFFFFF; check value 0xCBF43926 for "123456789"), sent least significant byte first as
/// the Ethernet FCS is.
/// </summary>
public static class SlipFrameEncoder
{
    // RFC 1055, "PROTOCOL": END is octal 300, ESC octal 333, and inside a packet END is sent as ESC ESC_END
    // (octal 334) and ESC as ESC ESC_ESC (octal 335).
    public const byte End = 0xC0;
    public const byte Escape = 0xDB;
    public const byte EscapedEnd = 0xDC;
    public const byte EscapedEscape = 0xDD;

    /// <summary>Bytes of the CRC-32 after the frame.</summary>
    public const int CrcLength = 4;

    /// <summary>The most bytes <see cref="Encode"/> writes for a frame of <paramref name="frameLength"/> bytes: every byte escaped, plus both ENDs.</summary>
    public static int MaxEncodedLength(int frameLength) => 2 * (frameLength + CrcLength) + 2;

    /// <summary>
    /// Encodes <paramref name="frame"/> into <paramref name="destination"/>, which holds at least
    /// <see cref="MaxEncodedLength"/> bytes, and returns the length written. The leading END, which RFC 1055
    /// suggests, ends any line noise the receiver collected so that it is dropped as one bad frame.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> frame, Span<byte> destination)
    {
        if (destination.Length < MaxEncodedLength(frame.Length))
            throw new ArgumentException($"The destination holds {destination.Length} bytes; a {frame.Length}-byte frame needs {MaxEncodedLength(frame.Length)}.", nameof(destination));
        Span<byte> crc = stackalloc byte[CrcLength];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32.HashToUInt32(frame));
        int length = 0;
        destination[length++] = End;
        length += EscapeInto(frame, destination[length..]);
        length += EscapeInto(crc, destination[length..]);
        destination[length++] = End;
        return length;
    }

    private static int EscapeInto(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        int length = 0;
        foreach (byte b in bytes)
        {
            switch (b)
            {
                case End:
                    destination[length++] = Escape;
                    destination[length++] = EscapedEnd;
                    break;
                case Escape:
                    destination[length++] = Escape;
                    destination[length++] = EscapedEscape;
                    break;
                default:
                    destination[length++] = b;
                    break;
            }
        }
        return length;
    }
}
