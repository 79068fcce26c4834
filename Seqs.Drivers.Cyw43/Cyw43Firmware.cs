using Seqs.Drivers.Cyw43.Register.Backplane;

namespace Seqs.Drivers.Cyw43;

/// <summary>
/// The images the CYW43439 needs to boot: the WLAN firmware (loaded at RAM address 0), the NVRAM (board
/// configuration, at the top of RAM) and the CLM (regulatory data, loaded later through ioctls). None ships with
/// Seqs, because the blobs are not redistributable under its licence: see the driver README for where to get them.
/// </summary>
public sealed class Cyw43Firmware
{
    /// <summary>Room kept at the top of RAM for the NVRAM and its footer.</summary>
    private const int MaxNvramLength = 16 * 1024;

    public Cyw43Firmware(ReadOnlyMemory<byte> firmware, ReadOnlyMemory<byte> nvram, ReadOnlyMemory<byte> clm = default)
    {
        if (firmware.IsEmpty)
            throw new ArgumentException("The WLAN firmware image is empty.", nameof(firmware));
        if (nvram.IsEmpty)
            throw new ArgumentException("The NVRAM image is empty.", nameof(nvram));
        if (nvram.Length > MaxNvramLength)
            throw new ArgumentException($"The NVRAM image has {nvram.Length} bytes; a CYW43439 board file has about 750 (at most {MaxNvramLength} here).", nameof(nvram));
        if (PaddedLength(firmware.Length) > NvramAddress(nvram.Length))
            throw new ArgumentException($"The firmware image ({firmware.Length} bytes) and the NVRAM ({nvram.Length} bytes) do not fit in the chip's {Cyw43439Map.RamSize / 1024} KB of RAM.", nameof(firmware));
        Firmware = firmware;
        Nvram = nvram;
        Clm = clm;
    }

    /// <summary>The WLAN firmware, such as Infineon's 43439A0.bin (about 225-231 KB).</summary>
    public ReadOnlyMemory<byte> Firmware { get; }

    /// <summary>The NVRAM: NUL-separated <c>key=value</c> lines, such as the Pico W's nvram_rp2040.bin (742 bytes).</summary>
    public ReadOnlyMemory<byte> Nvram { get; }

    /// <summary>The CLM blob, such as 43439A0_clm.bin; empty when not given.</summary>
    public ReadOnlyMemory<byte> Clm { get; }

    /// <summary>Reads the images from files the user supplies.</summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message says where the blobs come from.</exception>
    public static Cyw43Firmware FromFiles(string firmwarePath, string nvramPath, string? clmPath = null) =>
        new(ReadFile(firmwarePath, "WLAN firmware"), ReadFile(nvramPath, "NVRAM"), clmPath is null ? default : ReadFile(clmPath, "CLM"));

    /// <summary>
    /// Where the NVRAM of <paramref name="length"/> bytes goes: below the footer, 4-byte aligned (embassy runner.rs
    /// Runner::init; docs/reference/cyw43439.md#boot-sequence step 6).
    /// </summary>
    internal static uint NvramAddress(int length) => (uint)(Cyw43439Map.NvramFooter - PaddedLength(length));

    /// <summary>
    /// The footer: <c>(~(len/4) &lt;&lt; 16) | (len/4)</c> of the padded NVRAM length (embassy runner.rs Runner::init;
    /// docs/reference/cyw43439.md#boot-sequence step 6).
    /// </summary>
    internal static uint NvramFooter(int length)
    {
        uint words = (uint)(PaddedLength(length) / 4);
        return (~words & 0xFFFF) << 16 | words;
    }

    internal static int PaddedLength(int length) => (length + 3) & ~3;

    private static byte[] ReadFile(string path, string what)
    {
        if (path is null)
            throw new ArgumentNullException(nameof(path));
        if (!File.Exists(path))
            throw new FileNotFoundException($"The CYW43439 {what} file '{path}' does not exist. Seqs does not ship the Infineon blobs; see Seqs.Drivers.Cyw43/README.md, \"Firmware\", for where to get them.", path);
        return File.ReadAllBytes(path);
    }
}
