using System.Globalization;

namespace Seqs.Device;

public sealed partial class DeviceOptions
{
    private const string ChipEmulatorOption = "--chip-emulator", SpiBusOption = "--spi-bus", SpiChipSelectOption = "--spi-cs", SpiClockOption = "--spi-hz",
        InterruptPinOption = "--int-pin", ResetPinOption = "--reset-pin";

    private static readonly string[] HardwareOptions = [SpiBusOption, SpiChipSelectOption, SpiClockOption, InterruptPinOption, ResetPinOption];

    /// <summary>True with <c>--chip-emulator</c>: the ENC28J60 driver runs against the chip's emulator instead of SPI.</summary>
    public bool ChipEmulator { get; private set; }

    /// <summary>The SPI bus of the ENC28J60 or the CYW43439 (<c>/dev/spidevB.C</c>'s B), 0 by default.</summary>
    public int SpiBus { get; private set; }

    /// <summary>The chip select line (<c>/dev/spidevB.C</c>'s C), 0 by default.</summary>
    public int SpiChipSelect { get; private set; }

    /// <summary>
    /// The SPI clock in Hz; for the ENC28J60 the chip's maximum, 20 MHz, by default (DS39662E §4.1), for the CYW43439
    /// <see cref="Drivers.Cyw43.Cyw43439.SpiClockFrequency"/>.
    /// </summary>
    public int SpiClockFrequency { get; private set; } = Drivers.Enc28j60.Enc28j60.SpiClockFrequency;

    /// <summary>The GPIO wired to INT, or -1 to poll the chip.</summary>
    public int InterruptPin { get; private set; } = -1;

    /// <summary>The GPIO wired to RESET, or -1 to reset the chip over SPI only.</summary>
    public int ResetPin { get; private set; } = -1;

    private bool TryReadEnc28j60(Dictionary<string, string> values, out string error)
    {
        error = "";
        foreach (string option in HardwareOptions)
        {
            if (!values.ContainsKey(option))
                continue;
            bool spidev = option is SpiBusOption or SpiChipSelectOption or SpiClockOption;
            if (Nic == Cyw43NicName && spidev)
                continue;
            if (Nic != Enc28j60NicName)
                return Fail($"{option} applies only to --nic enc28j60{(spidev ? " and --nic cyw43" : "")}, not to --nic {Nic}.", out error);
            if (ChipEmulator)
                return Fail($"{option} wires a real ENC28J60; the --chip-emulator has no SPI bus or pins, so drop {option}.", out error);
        }
        if (Nic == Cyw43NicName && ChipEmulator)
        {
            string? spi = HardwareOptions.FirstOrDefault(values.ContainsKey);
            if (spi is not null)
                return Fail($"{spi} wires a real CYW43439; the --chip-emulator has no bus or pins, so drop {spi}.", out error);
        }
        if (!TryReadNumber(values, SpiBusOption, "an SPI bus number", 0, out int bus, out error)
            || !TryReadNumber(values, SpiChipSelectOption, "a chip select number", 0, out int chipSelect, out error)
            || !TryReadNumber(values, SpiClockOption, "an SPI clock in Hz", 1, out int clock, out error)
            || !TryReadNumber(values, InterruptPinOption, "a GPIO number", 0, out int interruptPin, out error)
            || !TryReadNumber(values, ResetPinOption, "a GPIO number", 0, out int resetPin, out error))
            return false;
        if (Nic == Cyw43NicName && !values.ContainsKey(SpiClockOption))
            clock = Drivers.Cyw43.Cyw43439.SpiClockFrequency;
        if (Nic == Enc28j60NicName && values.ContainsKey(SpiClockOption) && clock > Drivers.Enc28j60.Enc28j60.SpiClockFrequency)
            return Fail($"--spi-hz {clock} is above the ENC28J60's {Drivers.Enc28j60.Enc28j60.SpiClockFrequency} Hz (DS39662E §4.1); give at most {Drivers.Enc28j60.Enc28j60.SpiClockFrequency}.", out error);
        if (values.ContainsKey(InterruptPinOption) && values.ContainsKey(ResetPinOption) && interruptPin == resetPin)
            return Fail($"--int-pin and --reset-pin are both GPIO {interruptPin}; INT and RESET need a pin each.", out error);
        SpiBus = bus;
        SpiChipSelect = chipSelect;
        if (values.ContainsKey(SpiClockOption) || Nic == Cyw43NicName)
            SpiClockFrequency = clock;
        if (values.ContainsKey(InterruptPinOption))
            InterruptPin = interruptPin;
        if (values.ContainsKey(ResetPinOption))
            ResetPin = resetPin;
        return true;
    }

    private static bool TryReadNumber(Dictionary<string, string> values, string option, string what, int minimum, out int number, out string error)
    {
        error = "";
        number = 0;
        if (!values.TryGetValue(option, out string? text))
            return true;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < minimum)
            return Fail($"{option} '{text}' is not {what}; give a whole number of {minimum} or more, such as {CommandLineSwitch.Find(option, Switches)!.Example}.", out error);
        return true;
    }
}
