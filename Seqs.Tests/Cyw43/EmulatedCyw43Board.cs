using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Simulation;

namespace Seqs.Tests.Cyw43;

/// <summary>The driver on an emulated chip in virtual time, with the SPI frames recorded.</summary>
internal sealed class EmulatedCyw43Board : IDisposable
{
    /// <param name="transport">The gSPI transport over the chip; full duplex over the recording bus when null.</param>
    public EmulatedCyw43Board(Action<Cyw43Emulator>? configure = null, Func<Cyw43Emulator, Cyw43Bus>? transport = null)
    {
        Chip = new Cyw43Emulator(Clock);
        configure?.Invoke(Chip);
        Spi = new RecordingSpiBus(Chip);
        Cyw43Bus bus = transport?.Invoke(Chip) ?? new FullDuplexCyw43Bus(Spi);
        Driver = new Cyw43439(bus, Chip.PowerLine, Chip.HostWakeLine, new Cyw43Options { TimeProvider = Clock });
    }

    public VirtualClock Clock { get; } = new();

    public Cyw43Emulator Chip { get; }

    public RecordingSpiBus Spi { get; }

    public Cyw43439 Driver { get; }

    public void Boot(Cyw43Firmware? firmware = null) => VirtualTime.Run(Clock, Driver.InitializeAsync(firmware ?? SyntheticFirmware.Small()));

    public void Dispose() => Driver.Dispose();
}
