using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Emulation;

namespace Seqs.Device.Nics;

/// <summary>
/// How the ENC28J60 of <c>--nic enc28j60</c> is wired: its SPI device and the GPIOs of INT and RESET. The
/// <c>--chip-emulator</c> has none, and keeps the defaults.
/// </summary>
/// <param name="Spi">
/// 12 MHz is the default clock, what the Raspberry Pi's enc28j60 overlay uses; the chip's maximum is 20 MHz (DS39662E §4.1).
/// </param>
/// <param name="InterruptPin">The GPIO wired to INT, or -1 to poll the chip.</param>
/// <param name="ResetPin">The GPIO wired to RESET, or -1 to reset the chip over SPI only.</param>
/// <param name="EmulatorFault">With <c>--chip-emulator</c>, the wiring fault <c>--emulator-fault</c> gives the emulated board.</param>
internal sealed record Enc28j60NicOptions(SpidevOptions Spi, int InterruptPin, int ResetPin, Enc28j60WiringFault? EmulatorFault = null)
{
    public const string EmulatorFaultOption = "--emulator-fault";

    private const string InterruptPinOption = "--int-pin", ResetPinOption = "--reset-pin";

    /// <summary>The names <c>--emulator-fault</c> takes.</summary>
    private static readonly Dictionary<string, Enc28j60WiringFault> FaultNames = new(StringComparer.Ordinal)
    {
        ["miso-stuck-high"] = Enc28j60WiringFault.MisoStuckHigh,
        ["miso-stuck-low"] = Enc28j60WiringFault.MisoStuckLow,
        ["no-chip"] = Enc28j60WiringFault.NoChip,
        ["no-int"] = Enc28j60WiringFault.NoInterrupt,
        ["no-reset"] = Enc28j60WiringFault.NoReset,
        ["no-clock"] = Enc28j60WiringFault.NoClock,
        ["no-link"] = Enc28j60WiringFault.NoLink,
    };

    /// <summary>The switches that wire a real chip, which the emulator has no use for.</summary>
    private static readonly IReadOnlyList<CommandLineSwitch> WiringSwitches =
    [
        .. SpidevOptions.Switches,
        new(InterruptPinOption, "InterruptPin", "--int-pin 25"),
        new(ResetPinOption, "ResetPin", "--reset-pin 24"),
    ];

    public static IReadOnlyList<CommandLineSwitch> Switches { get; } =
    [
        .. WiringSwitches,
        new(EmulatorFaultOption, "EmulatorFault", "--emulator-fault miso-stuck-high"),
    ];

    public static bool TryRead(GivenSwitches given, out Enc28j60NicOptions options, out string error)
    {
        options = new Enc28j60NicOptions(new SpidevOptions(0, 0, Enc28j60.SpiClockFrequency), -1, -1);
        if (given.ChipEmulator && given.FirstGiven(WiringSwitches.Select(s => s.Name)) is string wiring)
            return DeviceOptions.Fail($"{wiring} wires a real ENC28J60; the --chip-emulator has no SPI bus or pins, so drop {wiring}.", out error);
        if (!TryReadFault(given, out Enc28j60WiringFault? fault, out error)
            || !SpidevOptions.TryRead(given, Enc28j60.SpiClockFrequency, out SpidevOptions spi, out error)
            || !given.TryReadNumber(InterruptPinOption, "a GPIO number", 0, -1, out int interruptPin, out error)
            || !given.TryReadNumber(ResetPinOption, "a GPIO number", 0, -1, out int resetPin, out error))
            return false;
        if (spi.ClockFrequency > Enc28j60.MaxSpiClockFrequency)
            return DeviceOptions.Fail($"--spi-hz {spi.ClockFrequency} is above the ENC28J60's {Enc28j60.MaxSpiClockFrequency} Hz (DS39662E §4.1); give at most {Enc28j60.MaxSpiClockFrequency}.", out error);
        if (interruptPin >= 0 && interruptPin == resetPin)
            return DeviceOptions.Fail($"--int-pin and --reset-pin are both GPIO {interruptPin}; INT and RESET need a pin each.", out error);
        options = new Enc28j60NicOptions(spi, interruptPin, resetPin, fault);
        return true;
    }

    private static bool TryReadFault(GivenSwitches given, out Enc28j60WiringFault? fault, out string error)
    {
        fault = null;
        error = "";
        if (given.GetValueOrDefault(EmulatorFaultOption) is not string name)
            return true;
        if (!given.ChipEmulator)
            return DeviceOptions.Fail($"{EmulatorFaultOption} wires a fault into the emulated board; it needs --chip-emulator.", out error);
        if (!FaultNames.TryGetValue(name, out Enc28j60WiringFault known))
            return DeviceOptions.Fail($"{EmulatorFaultOption} '{name}' is not a fault the ENC28J60 emulator has; give one of {string.Join(", ", FaultNames.Keys)}.", out error);
        fault = known;
        return true;
    }
}
