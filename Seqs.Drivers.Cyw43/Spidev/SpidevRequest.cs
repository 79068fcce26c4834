#if NET8_0_OR_GREATER
namespace Seqs.Drivers.Cyw43.Spidev;

/// <summary>
/// The spidev ioctl request numbers (include/uapi/linux/spi/spidev.h), encoded as include/uapi/asm-generic/ioctl.h
/// does for ARM, ARM64 and x86: direction in bits 31:30 (write 1), argument size in bits 29:16, type 'k'
/// in bits 15:8, number in bits 7:0. SPI_IOC_MESSAGE(1) is 0x40206B00 and (2) 0x40406B00.
/// </summary>
internal static class SpidevRequest
{
    private const uint Write = 1;
    private const uint Magic = 'k';

    /// <summary>SPI_IOC_MESSAGE(<paramref name="transfers"/>): _IOW('k', 0, char[N * sizeof(spi_ioc_transfer)]).</summary>
    public static nuint Message(int transfers) => Encode(Write, 0, (uint)(transfers * SpiIocTransfer.Size));

    /// <summary>SPI_IOC_WR_BITS_PER_WORD: _IOW('k', 3, __u8).</summary>
    public static nuint WriteBitsPerWord => Encode(Write, 3, 1);

    /// <summary>SPI_IOC_WR_MAX_SPEED_HZ: _IOW('k', 4, __u32).</summary>
    public static nuint WriteMaxSpeedHz => Encode(Write, 4, 4);

    /// <summary>SPI_IOC_WR_MODE32: _IOW('k', 5, __u32).</summary>
    public static nuint WriteMode32 => Encode(Write, 5, 4);

    /// <summary>SPI_3WIRE in the mode (include/uapi/linux/spi/spi.h): SI and SO share one line.</summary>
    public const uint ThreeWireMode = 0x10;

    private static nuint Encode(uint direction, uint number, uint size) => direction << 30 | size << 16 | Magic << 8 | number;
}
#endif
