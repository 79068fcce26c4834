namespace Seqs.Device.Nics;

/// <summary>
/// The Linux SPI device of a chip, <c>/dev/spidevB.C</c>, and its clock: <c>--spi-bus</c>, <c>--spi-cs</c> and
/// <c>--spi-hz</c>, which the ENC28J60 and the CYW43439 share.
/// </summary>
/// <param name="Bus">B, 0 by default.</param>
/// <param name="ChipSelect">C, 0 by default.</param>
/// <param name="ClockFrequency">The SPI clock in Hz; by default the chip's own.</param>
internal sealed record SpidevOptions(int Bus, int ChipSelect, int ClockFrequency)
{
    public const string BusOption = "--spi-bus", ChipSelectOption = "--spi-cs", ClockOption = "--spi-hz";

    public static IReadOnlyList<CommandLineSwitch> Switches { get; } =
    [
        new(BusOption, "SpiBus", "--spi-bus 0"),
        new(ChipSelectOption, "SpiChipSelect", "--spi-cs 0"),
        new(ClockOption, "SpiClockHz", "--spi-hz 20000000"),
    ];

    public static IEnumerable<string> Names => Switches.Select(s => s.Name);

    public string Path => $"/dev/spidev{Bus}.{ChipSelect}";

    public static bool TryRead(GivenSwitches given, int defaultClock, out SpidevOptions options, out string error)
    {
        options = new SpidevOptions(0, 0, defaultClock);
        if (!given.TryReadNumber(BusOption, "an SPI bus number", 0, 0, out int bus, out error)
            || !given.TryReadNumber(ChipSelectOption, "a chip select number", 0, 0, out int chipSelect, out error)
            || !given.TryReadNumber(ClockOption, "an SPI clock in Hz", 1, defaultClock, out int clock, out error))
            return false;
        options = new SpidevOptions(bus, chipSelect, clock);
        return true;
    }
}
