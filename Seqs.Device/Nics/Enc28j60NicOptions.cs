using Seqs.Drivers.Enc28j60;

namespace Seqs.Device.Nics;

/// <summary>
/// How the ENC28J60 of <c>--nic enc28j60</c> is wired: its SPI device and the GPIOs of INT and RESET. The
/// <c>--chip-emulator</c> has none, and keeps the defaults.
/// </summary>
/// <param name="Spi">The chip's maximum, 20 MHz, is the default clock (DS39662E §4.1).</param>
/// <param name="InterruptPin">The GPIO wired to INT, or -1 to poll the chip.</param>
/// <param name="ResetPin">The GPIO wired to RESET, or -1 to reset the chip over SPI only.</param>
internal sealed record Enc28j60NicOptions(SpidevOptions Spi, int InterruptPin, int ResetPin)
{
    private const string InterruptPinOption = "--int-pin", ResetPinOption = "--reset-pin";

    public static IReadOnlyList<CommandLineSwitch> Switches { get; } =
    [
        .. SpidevOptions.Switches,
        new(InterruptPinOption, "InterruptPin", "--int-pin 25"),
        new(ResetPinOption, "ResetPin", "--reset-pin 24"),
    ];

    public static bool TryRead(GivenSwitches given, out Enc28j60NicOptions options, out string error)
    {
        options = new Enc28j60NicOptions(new SpidevOptions(0, 0, Enc28j60.SpiClockFrequency), -1, -1);
        if (given.ChipEmulator && given.FirstGiven(Switches.Select(s => s.Name)) is string wiring)
            return DeviceOptions.Fail($"{wiring} wires a real ENC28J60; the --chip-emulator has no SPI bus or pins, so drop {wiring}.", out error);
        if (!SpidevOptions.TryRead(given, Enc28j60.SpiClockFrequency, out SpidevOptions spi, out error)
            || !given.TryReadNumber(InterruptPinOption, "a GPIO number", 0, -1, out int interruptPin, out error)
            || !given.TryReadNumber(ResetPinOption, "a GPIO number", 0, -1, out int resetPin, out error))
            return false;
        if (spi.ClockFrequency > Enc28j60.SpiClockFrequency)
            return DeviceOptions.Fail($"--spi-hz {spi.ClockFrequency} is above the ENC28J60's {Enc28j60.SpiClockFrequency} Hz (DS39662E §4.1); give at most {Enc28j60.SpiClockFrequency}.", out error);
        if (interruptPin >= 0 && interruptPin == resetPin)
            return DeviceOptions.Fail($"--int-pin and --reset-pin are both GPIO {interruptPin}; INT and RESET need a pin each.", out error);
        options = new Enc28j60NicOptions(spi, interruptPin, resetPin);
        return true;
    }
}
