namespace Seqs.Hal;

/// <summary>
/// A SPI bus with its chip select bound to one device. Each <see cref="Exchange"/> is exactly one chip-select
/// frame: CS is asserted, the bytes are clocked, CS is released. This is what Linux spidev
/// (one <c>SPI_IOC_MESSAGE(1)</c>) and Meadow's <c>ISpiBus.Exchange</c> give (dotnet/iot <c>UnixSpiDevice</c>,
/// Meadow.Contracts <c>ISpiBus</c>; docs/reference/dotnet-iot.md#spidev-chip-select-framing).
/// </summary>
public interface ISpiBus : IDisposable
{
    /// <summary>The SPI clock in Hz the bus runs at; drivers check it against their chip's limit.</summary>
    int ClockFrequency { get; }

    /// <summary>
    /// Clocks <paramref name="transmit"/> out and, full duplex, the same number of bytes in. <paramref name="receive"/>
    /// is either empty (the received bytes are discarded) or exactly as long as <paramref name="transmit"/>.
    /// </summary>
    void Exchange(ReadOnlySpan<byte> transmit, Span<byte> receive);
}
