using System.Device.Spi;
using Seqs.Drivers.Enc28j60.Emulation;

namespace Seqs.Tests.Enc28j60;

/// <summary>A System.Device.Spi device whose chip select frames go to the emulated chip, as spidev's would.</summary>
internal sealed class EmulatorSpiDevice(Enc28j60Emulator chip, SpiConnectionSettings settings) : SpiDevice
{
    public bool IsDisposed { get; private set; }

    public override SpiConnectionSettings ConnectionSettings => settings;

    public override void Read(Span<byte> buffer) => chip.Exchange(new byte[buffer.Length], buffer);

    public override void Write(ReadOnlySpan<byte> buffer) => chip.Exchange(buffer, default);

    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => chip.Exchange(writeBuffer, readBuffer);

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
