using System.Device.Spi;
using Microsoft.Extensions.Logging;
using Seqs.Device.Diagnostics;
using Seqs.Device.HostNics;
using Seqs.Device.Web;
using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Emulation;
using Seqs.Hal;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Device.Nics;

/// <summary>
/// <c>--nic enc28j60</c>: a Microchip ENC28J60 on SPI, wired as <see cref="Enc28j60NicOptions"/> say; or with
/// <c>--chip-emulator</c> the driver, INT and RESET wired, against an <see cref="Enc28j60Emulator"/> whose RJ45 side
/// is <c>--tap-name</c> or a port of the simulated LAN.
/// </summary>
internal sealed class Enc28j60NicKind : INicKind
{
    public string Name => "enc28j60";

    public IReadOnlyList<CommandLineSwitch> Switches => Enc28j60NicOptions.Switches;

    public bool HasChipEmulator => true;

    public IWiringDoctor Doctor { get; } = new Enc28j60WiringDoctor();

    public bool TryReadOptions(GivenSwitches given, out object? options, out string error)
    {
        bool read = Enc28j60NicOptions.TryRead(given, out Enc28j60NicOptions wiring, out error);
        options = wiring;
        return read;
    }

    public OpenedNic Open(DeviceOptions options, ILoggerFactory loggers)
    {
        if (!options.ChipEmulator)
        {
            Enc28j60NicOptions wiring = options.NicOptions<Enc28j60NicOptions>();
            Enc28j60 chip = OpenChip(wiring, options.MacAddress, loggers);
            return Opened(chip, $"ENC28J60 rev {chip.Revision:X2}h on SPI bus {wiring.Spi.Bus}, chip select {wiring.Spi.ChipSelect}");
        }
        // The emulated chip's wire is a cable, not a station: the MAC is the driver's.
        TapNic wire = TapNicKind.OpenTap(options.TapName!, macAddress: null);
        try
        {
            Enc28j60 driver = AttachEmulator(wire, options.MacAddress, EmulatorFault(options), TimeProvider.System, loggers, holdWhileFull: true);
            return Opened(driver, $"an emulated ENC28J60 wired to TAP {wire.Name}", wire);
        }
        catch
        {
            wire.Dispose();
            throw;
        }
    }

    public OpenedNic OpenOnSimulatedLan(VirtualNic cable, NetworkSimulation simulation, DeviceOptions options, ILoggerFactory loggers)
    {
        Enc28j60 driver = AttachEmulator(cable, cable.MacAddress, EmulatorFault(options), simulation.Clock, loggers, holdWhileFull: false);
        return Opened(driver, $"an emulated ENC28J60 rev {driver.Revision:X2}h");
    }

    private static OpenedNic Opened(Enc28j60 driver, string description, params IDisposable[] others) =>
        new(driver, description, status => ReadCounters(driver.Counters, status), [driver, .. others]);

    /// <summary>
    /// Creates the chip's emulator with its wire on <paramref name="wire"/> and the driver on the chip. Disposing the
    /// driver leaves <paramref name="wire"/> to its owner.
    /// </summary>
    /// <param name="time">The clock of the loop the stack runs on: the system's, or the simulation's.</param>
    /// <param name="holdWhileFull">For a wire faster than 10BASE-T (a TAP): see <see cref="Enc28j60Emulator.HoldFramesWhileFull"/>.</param>
    private static Enc28j60 AttachEmulator(IEthernetNic wire, MacAddress? macAddress, Enc28j60WiringFault? fault, TimeProvider time, ILoggerFactory loggers, bool holdWhileFull)
    {
        Enc28j60Emulator chip = CreateEmulator(fault);
        chip.HoldFramesWhileFull = holdWhileFull;
        chip.Attach(wire);
        return new Enc28j60(chip, chip.InterruptLine, chip.ResetLine, new Enc28j60Options
        {
            MacAddress = macAddress,
            TimeProvider = time,
            BusName = chip.ToString(),
        }, loggers.CreateLogger<Enc28j60>());
    }

    /// <summary>An emulated chip on a board with <paramref name="fault"/> (<c>--emulator-fault</c>), if any.</summary>
    internal static Enc28j60Emulator CreateEmulator(Enc28j60WiringFault? fault)
    {
        var chip = new Enc28j60Emulator();
        if (fault is Enc28j60WiringFault wiring)
            chip.Inject(wiring);
        return chip;
    }

    /// <summary>The fault of <c>--emulator-fault</c>; none for the default simulated device, which has no ENC28J60 switches.</summary>
    internal static Enc28j60WiringFault? EmulatorFault(DeviceOptions options) =>
        options.NicKind is Enc28j60NicKind ? options.NicOptions<Enc28j60NicOptions>().EmulatorFault : null;

    /// <summary>Opens <c>/dev/spidevB.C</c> and the pins through the driver's System.Device constructor, which checks the chip answers.</summary>
    private static Enc28j60 OpenChip(Enc28j60NicOptions wiring, MacAddress? macAddress, ILoggerFactory loggers)
    {
        string bus = $"SPI bus {wiring.Spi.Bus}, chip select {wiring.Spi.ChipSelect}";
        if (OperatingSystem.IsLinux() && !File.Exists(wiring.Spi.Path))
            throw new DeviceStartException($"No SPI device {wiring.Spi.Path} for the ENC28J60 on {bus}: enable SPI (dtparam=spi=on in /boot/firmware/config.txt, then reboot) or give the --spi-bus and --spi-cs of an existing /dev/spidevB.C.");
        SpiDevice spi;
        try
        {
            spi = SpiDevice.Create(new SpiConnectionSettings(wiring.Spi.Bus, wiring.Spi.ChipSelect)
            {
                ClockFrequency = wiring.Spi.ClockFrequency,
                Mode = Enc28j60.SpiMode,
            });
        }
        catch (Exception e) when (DeviceStartException.IsOpenFailure(e))
        {
            throw new DeviceStartException($"Cannot open the ENC28J60's {bus}: {DeviceStartException.OneLine(e.Message)}", e);
        }
        try
        {
            return new Enc28j60(spi, wiring.InterruptPin, wiring.ResetPin, gpioController: null, shouldDispose: true,
                new Enc28j60Options { MacAddress = macAddress, BusName = bus }, loggers.CreateLogger<Enc28j60>());
        }
        catch (ChipNotRespondingException e)
        {
            throw new DeviceStartException(e.Message, e);
        }
        catch (Exception e) when (DeviceStartException.IsOpenFailure(e))
        {
            throw new DeviceStartException($"Cannot start the ENC28J60 on {bus} (INT GPIO {wiring.InterruptPin}, RESET GPIO {wiring.ResetPin}): {DeviceStartException.OneLine(e.Message)}", e);
        }
    }

    private static void ReadCounters(Enc28j60Counters c, NicStatus status)
    {
        status.FramesReceived = c.FramesReceived;
        status.FramesTransmitted = c.FramesTransmitted;
        status.ReceiveErrors = c.ReceiveErrors + c.FramesTooLong + c.ReceiveOverflows;
        status.TransmitErrors = c.TransmitErrors + c.TransmitRejections + c.FramesDroppedLinkDown;
    }
}
