using Seqs.Drivers.Cyw43;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// Stand-ins for the Infineon blobs, which Seqs may not redistribute: seeded random bytes of the real sizes
/// (docs/reference/cyw43439.md#firmware-blobs-and-licences: firmware 231,077 bytes, NVRAM 742) that the emulator
/// accepts as firmware.
/// </summary>
internal static class SyntheticFirmware
{
    public const int RealFirmwareLength = 231_077;
    public const int RealNvramLength = 742;

    /// <summary>
    /// The Pico W CLM, 43439_raspberrypi_picow_v5_220624 (embassy cyw43-firmware/;
    /// docs/reference/cyw43439.md#firmware-blobs-and-licences).
    /// </summary>
    public const int RealClmLength = 984;

    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        bytes[0] |= 1; // a firmware image starts with its (non-zero) reset vector
        return bytes;
    }

    /// <summary>NUL-separated key=value lines, as a board NVRAM file is.</summary>
    public static byte[] Nvram(int length)
    {
        var bytes = new byte[length];
        byte[] line = "boardtype=0x0887\0"u8.ToArray();
        for (int i = 0; i < length - 1; i++)
            bytes[i] = line[i % line.Length];
        return bytes;
    }

    public static Cyw43Firmware Small() => new(Bytes(4093, seed: 1), Nvram(RealNvramLength), Bytes(RealClmLength, seed: 3));

    public static Cyw43Firmware RealSize() => new(Bytes(RealFirmwareLength, seed: 2), Nvram(RealNvramLength), Bytes(RealClmLength, seed: 3));
}
