#if NET8_0_OR_GREATER
using System.Device.Spi;
using System.Diagnostics.CodeAnalysis;

namespace Seqs.Hal;

/// <summary>
/// <see cref="ISpiBus"/> over a System.Device.Gpio <see cref="SpiDevice"/>, such as Linux spidev. Each
/// <see cref="Exchange"/> is a single <see cref="SpiDevice.TransferFullDuplex"/> (or <see cref="SpiDevice.Write"/>
/// when the received bytes are not wanted): on spidev, one <c>SPI_IOC_MESSAGE(1)</c>, so one chip-select frame
/// (dotnet/iot <c>UnixSpiDevice.Transfer</c>; docs/reference/dotnet-iot.md#spidev-chip-select-framing).
/// The bus owns the device and disposes it.
/// </summary>
public sealed class SpiDeviceBus : ISpiBus
{
    private readonly SpiDevice _device;
    private bool _disposed;

    public SpiDeviceBus(SpiDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
    }

    /// <summary>The SPI clock in Hz from the device's <see cref="SpiConnectionSettings.ClockFrequency"/>.</summary>
    public int ClockFrequency => _device.ConnectionSettings.ClockFrequency;

    public void Exchange(ReadOnlySpan<byte> transmit, Span<byte> receive)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (receive.IsEmpty)
        {
            // spidev's write is the same single message with no rx buffer: still one chip-select frame, and
            // nothing to copy the discarded bytes into.
            _device.Write(transmit);
            return;
        }
        if (receive.Length != transmit.Length)
            ThrowLengthMismatch(transmit.Length, receive.Length);
        _device.TransferFullDuplex(transmit, receive);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _device.Dispose();
    }

    [DoesNotReturn]
    private static void ThrowLengthMismatch(int transmitLength, int receiveLength) =>
        throw new ArgumentException(
            $"The receive buffer must be empty or as long as the transmit buffer ({transmitLength} bytes), not {receiveLength} bytes.",
            "receive");
}
#endif
