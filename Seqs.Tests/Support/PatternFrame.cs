using Seqs.Wire;

namespace Seqs.Tests.Support;

/// <summary>
/// Ethernet frames for driver and emulator tests: local experimental EtherType 88B5 (IEEE 802 local use), from
/// 02:00:00:00:00:77, with a payload whose octet at offset i is i + seed, so a test sees any octet out of place.
/// </summary>
internal static class PatternFrame
{
    private static readonly MacAddress Source = new(0x02_00_00_00_00_77);

    public static byte[] Create(int length, MacAddress destination, byte seed = 0)
    {
        var frame = new byte[length];
        destination.Write(frame);
        Source.Write(frame.AsSpan(6));
        frame[12] = 0x88;
        frame[13] = 0xB5;
        for (int i = 14; i < length; i++)
            frame[i] = (byte)(i + seed);
        return frame;
    }
}
