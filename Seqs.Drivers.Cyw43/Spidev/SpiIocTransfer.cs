#if NET8_0_OR_GREATER
using System.Runtime.InteropServices;

namespace Seqs.Drivers.Cyw43.Spidev;

/// <summary>
/// <c>struct spi_ioc_transfer</c> of Linux's include/uapi/linux/spi/spidev.h: one segment of a
/// <c>SPI_IOC_MESSAGE</c>. 32 bytes, "the same in 64bit and 32bit userspace" (the header's words), since the buffer
/// addresses are always 64-bit. A segment with only a receive buffer clocks the line in; only a transmit buffer,
/// out; in SPI_3WIRE mode a segment may not have both.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SpiIocTransfer
{
    public const int Size = 32;

    public ulong TransmitBuffer;
    public ulong ReceiveBuffer;
    public uint Length;
    public uint SpeedHz;
    public ushort DelayMicroseconds;
    public byte BitsPerWord;
    public byte ChipSelectChange;
    public byte TransmitLines;
    public byte ReceiveLines;
    public byte WordDelayMicroseconds;
    public byte Pad;
}
#endif
