using System.Diagnostics.CodeAnalysis;

namespace Seqs.Device.HostNics;

/// <summary>The length check of a host NIC's transmit: a frame without its FCS, from its 14-byte header to a 1500-byte payload.</summary>
internal static class EthernetFrameLength
{
    public const int HeaderLength = 14;

    /// <summary>Bytes from the destination MAC through a 1500-byte payload (1500 MTU + 14-byte header).</summary>
    public const int StandardMaximum = 1514;

    /// <exception cref="ArgumentOutOfRangeException">Shorter than a header or longer than <see cref="StandardMaximum"/>: the caller's bug.</exception>
    public static void ThrowIfOutOfRange(int length)
    {
        if ((uint)(length - HeaderLength) > StandardMaximum - HeaderLength)
            ThrowOutOfRange(length);
    }

    [DoesNotReturn]
    private static void ThrowOutOfRange(int length) =>
        throw new ArgumentOutOfRangeException("frame", length, $"An Ethernet frame is {HeaderLength} to {StandardMaximum} bytes without its FCS.");
}
