using System.Text;
using Seqs.Device.Diagnostics;
using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Drivers.Cyw43.Register.Iovar;
using Seqs.Wire;

namespace Seqs.Device.Nics;

/// <summary>
/// The CYW43439 of <c>--nic cyw43</c>: the network to join, and either the real chip's firmware files, gSPI transport
/// and pins, or the access points its <c>--chip-emulator</c> sees.
/// </summary>
internal sealed record Cyw43NicOptions
{
    /// <summary>The gSPI transports of <c>--wifi-transport</c>.</summary>
    public const string SpidevTransportName = "spidev", GpioTransportName = "gpio";

    private const int MaxSsidLength = BssInfo.MaxSsidLength;

    /// <summary>IEEE 802.11 Annex J.4: a WPA2 passphrase has 8 to 63 ASCII characters, each 32 to 126.</summary>
    private const int MinPassphraseLength = PassphraseInfo.MinPassphraseLength, MaxPassphraseLength = PassphraseInfo.MaxPassphraseLength;

    private const string WifiSsidOption = "--wifi-ssid", WifiPassOption = "--wifi-pass", FirmwareOption = "--firmware", NvramOption = "--nvram", ClmOption = "--clm",
        WifiTransportOption = "--wifi-transport", GspiClockPinOption = "--gspi-clk-pin", GspiDataPinOption = "--gspi-data-pin", GspiChipSelectPinOption = "--gspi-cs-pin",
        PowerPinOption = "--wl-on-pin", HostWakePinOption = "--host-wake-pin", EmulatorAccessPointOption = "--emulator-ap", EmulatorFaultOption = "--emulator-fault";

    private static readonly string[] GspiPinOptions = [GspiClockPinOption, GspiDataPinOption, GspiChipSelectPinOption];

    /// <summary>The switches besides spidev's that wire a real chip, which the emulator refuses.</summary>
    private static readonly string[] WiringOptions = [WifiTransportOption, .. GspiPinOptions, PowerPinOption, HostWakePinOption];

    public static IReadOnlyList<CommandLineSwitch> Switches { get; } =
    [
        .. SpidevOptions.Switches,
        new(WifiSsidOption, "WifiSsid", "--wifi-ssid seqs-sim"),
        new(WifiPassOption, "WifiPass", "--wifi-pass seqs-sim-pass"),
        new(FirmwareOption, "Firmware", "--firmware 43439A0.bin"),
        new(NvramOption, "Nvram", "--nvram nvram_rp2040.bin"),
        new(ClmOption, "Clm", "--clm 43439A0_clm.bin"),
        new(WifiTransportOption, "WifiTransport", "--wifi-transport spidev"),
        new(GspiClockPinOption, "GspiClockPin", "--gspi-clk-pin 11"),
        new(GspiDataPinOption, "GspiDataPin", "--gspi-data-pin 10"),
        new(GspiChipSelectPinOption, "GspiChipSelectPin", "--gspi-cs-pin 8"),
        new(PowerPinOption, "WlOnPin", "--wl-on-pin 23"),
        new(HostWakePinOption, "HostWakePin", "--host-wake-pin 24"),
        new(EmulatorAccessPointOption, "EmulatorAp", "--emulator-ap seqs-sim:seqs-sim-pass") { IsRepeatable = true },
        new(EmulatorFaultOption, "EmulatorFault", "--emulator-fault bit-shift"),
    ];

    /// <summary>What <c>--nic cyw43 --chip-emulator</c> sees when no <c>--emulator-ap</c> is given: a WPA2 network and an open one.</summary>
    private static IReadOnlyList<EmulatedAccessPoint> DefaultEmulatorAccessPoints { get; } = CreateEmulatorAccessPoints([("seqs-sim", "seqs-sim-pass"), ("seqs-sim-open", null)]);

    /// <summary>spidev's, with <see cref="Cyw43439.SpiClockFrequency"/> unless <c>--spi-hz</c> says otherwise; unused with the bit-banged gSPI.</summary>
    public SpidevOptions Spi { get; private init; } = new(0, 0, Cyw43439.SpiClockFrequency);

    /// <summary>The network to join (<c>--wifi-ssid</c>); with the chip emulator and none given, its first access point.</summary>
    public string? WifiSsid { get; private init; }

    /// <summary>The WPA2-PSK passphrase (<c>--wifi-pass</c>), or null for an open network.</summary>
    public string? WifiPassphrase { get; private init; }

    /// <summary>The CYW43439 WLAN firmware file (<c>--firmware</c>); null with the chip emulator, which takes any image.</summary>
    public string? FirmwarePath { get; private init; }

    /// <summary>The CYW43439 NVRAM file (<c>--nvram</c>).</summary>
    public string? NvramPath { get; private init; }

    /// <summary>The CLM blob (<c>--clm</c>); the chip does not start without it (<see cref="Cyw43NicKind.LoadFirmware"/>), but <c>doctor</c> reports it missing.</summary>
    public string? ClmPath { get; private init; }

    /// <summary><see cref="SpidevTransportName"/> (SPI 3-wire, the default) or <see cref="GpioTransportName"/> (bit-banged).</summary>
    public string WifiTransport { get; private init; } = SpidevTransportName;

    /// <summary>The bit-banged gSPI's clock, data and chip select GPIOs; -1 with spidev.</summary>
    public int GspiClockPin { get; private init; } = -1;

    public int GspiDataPin { get; private init; } = -1;

    public int GspiChipSelectPin { get; private init; } = -1;

    /// <summary>The GPIO of WL_REG_ON, which the driver power-cycles to boot the chip.</summary>
    public int PowerPin { get; private init; } = -1;

    /// <summary>The GPIO of the chip's host-wake interrupt, or -1 to poll.</summary>
    public int HostWakePin { get; private init; } = -1;

    /// <summary>The fault the emulated CYW43439 shows (<c>--emulator-fault NAME</c>); none by default.</summary>
    public Cyw43EmulatorFault EmulatorFault { get; private init; }

    /// <summary>The access points the emulated CYW43439 sees (<c>--emulator-ap SSID[:PASSPHRASE]</c>, repeatable).</summary>
    public IReadOnlyList<EmulatedAccessPoint> EmulatorAccessPoints { get; private init; } = DefaultEmulatorAccessPoints;

    public static bool TryRead(GivenSwitches given, out Cyw43NicOptions options, out string error)
    {
        options = new Cyw43NicOptions();
        if (given.ChipEmulator && given.FirstGiven(SpidevOptions.Names) is string spi)
            return RefuseOnEmulator(spi, out error);
        if (!SpidevOptions.TryRead(given, Cyw43439.SpiClockFrequency, out SpidevOptions spidev, out error))
            return false;
        if (spidev.ClockFrequency > Cyw43439.MaxRisingEdgeClockFrequency)
            return DeviceOptions.Fail($"--spi-hz {spidev.ClockFrequency} is too fast for spidev to read the CYW43439: SPI mode 0 samples on the rising edge, reliable only up to {Cyw43439.MaxRisingEdgeClockFrequency} Hz (embassy cyw43-pio changes edge above 37.5 MHz, spidev cannot); give {Cyw43439.MaxRisingEdgeClockFrequency} or less, or leave --spi-hz out for {Cyw43439.SpiClockFrequency}.", out error);
        if (given.ContainsKey(EmulatorFaultOption) && !given.ChipEmulator)
            return DeviceOptions.Fail("--emulator-fault makes the --chip-emulator show a fault; a real chip has its own, so add --chip-emulator or drop --emulator-fault.", out error);
        if (given.ContainsKey(DeviceOptions.MacOption) && !given.ChipEmulator)
            return DeviceOptions.Fail("--mac applies to the emulated CYW43439 only; a real chip uses the MAC address in its OTP, so drop --mac.", out error);
        if (given.TryGetValue(WifiSsidOption, out string? ssid) && !IsSsid(ssid))
            return DeviceOptions.Fail($"--wifi-ssid '{ssid}' is not an SSID; give 1 to {MaxSsidLength} bytes of UTF-8 without control characters.", out error);
        if (given.TryGetValue(WifiPassOption, out string? passphrase))
        {
            if (ssid is null)
                return DeviceOptions.Fail("--wifi-pass needs --wifi-ssid, the network it is the passphrase of.", out error);
            if (!IsPassphrase(passphrase))
                return DeviceOptions.Fail($"--wifi-pass for '{ssid}' is not a WPA2 passphrase; give {MinPassphraseLength} to {MaxPassphraseLength} printable ASCII characters, or leave it out for an open network.", out error);
        }
        options = new Cyw43NicOptions { Spi = spidev, WifiSsid = ssid, WifiPassphrase = passphrase };
        return given.ChipEmulator ? options.TryReadEmulator(given, out options, out error) : options.TryReadHardware(given, out options, out error);
    }

    private bool TryReadEmulator(GivenSwitches given, out Cyw43NicOptions options, out string error)
    {
        options = this;
        if (given.FirstGiven(WiringOptions) is string wiring)
            return RefuseOnEmulator(wiring, out error);
        if (!TryReadFirmwarePaths(given, required: false, out Cyw43NicOptions withFirmware, out error))
            return false;
        IReadOnlyList<EmulatedAccessPoint> accessPoints = EmulatorAccessPoints;
        if (given.TryGetValue(EmulatorAccessPointOption, out string? list))
        {
            var networks = new List<(string Ssid, string? Passphrase)>();
            foreach (string spec in list.Split('\n'))
            {
                int colon = spec.IndexOf(':', StringComparison.Ordinal);
                string apSsid = colon < 0 ? spec : spec[..colon];
                string? apPassphrase = colon < 0 ? null : spec[(colon + 1)..];
                if (!IsSsid(apSsid) || (apPassphrase is not null && !IsPassphrase(apPassphrase)))
                    return DeviceOptions.Fail($"--emulator-ap '{spec}' is not SSID[:PASSPHRASE]; give an SSID of 1 to {MaxSsidLength} bytes and, for WPA2, a passphrase of {MinPassphraseLength} to {MaxPassphraseLength} printable ASCII characters, such as --emulator-ap seqs-sim:seqs-sim-pass.", out error);
                if (networks.Any(ap => ap.Ssid == apSsid))
                    return DeviceOptions.Fail($"--emulator-ap '{apSsid}' is given twice; each emulated network needs its own SSID.", out error);
                networks.Add((apSsid, apPassphrase));
            }
            accessPoints = CreateEmulatorAccessPoints(networks);
        }
        Cyw43EmulatorFault fault = Cyw43EmulatorFault.None;
        if (given.TryGetValue(EmulatorFaultOption, out string? faultName) && !Cyw43EmulatorFaults.TryParse(faultName, out fault))
            return DeviceOptions.Fail($"--emulator-fault '{faultName}' is not a fault of the emulated CYW43439; give one of {Cyw43EmulatorFaults.List}.", out error);
        options = withFirmware with
        {
            EmulatorFault = fault,
            EmulatorAccessPoints = accessPoints,
            WifiSsid = WifiSsid ?? accessPoints[0].Ssid,
            WifiPassphrase = WifiSsid is null ? accessPoints[0].Passphrase : WifiPassphrase,
        };
        return true;
    }

    private bool TryReadHardware(GivenSwitches given, out Cyw43NicOptions options, out string error)
    {
        if (!TryReadFirmwarePaths(given, required: true, out options, out error))
            return false;
        string transport = given.GetValueOrDefault(WifiTransportOption, SpidevTransportName);
        if (transport is not (SpidevTransportName or GpioTransportName))
            return DeviceOptions.Fail($"--wifi-transport '{transport}' is not a gSPI transport; give {SpidevTransportName} (SPI in 3-wire mode) or {GpioTransportName} (bit-banged GPIO).", out error);
        if (transport == SpidevTransportName)
        {
            if (given.FirstGiven(GspiPinOptions) is string pin)
                return DeviceOptions.Fail($"{pin} is a pin of the bit-banged gSPI; with --wifi-transport {SpidevTransportName} give --spi-bus and --spi-cs instead, or add --wifi-transport {GpioTransportName}.", out error);
        }
        else
        {
            if (given.FirstGiven(SpidevOptions.Names) is string spi)
                return DeviceOptions.Fail($"{spi} sets up spidev; --wifi-transport {GpioTransportName} bit-bangs the bus on --gspi-clk-pin, --gspi-data-pin and --gspi-cs-pin instead.", out error);
            string? missing = GspiPinOptions.FirstOrDefault(option => !given.ContainsKey(option));
            if (missing is not null)
                return DeviceOptions.Fail($"--wifi-transport {GpioTransportName} needs {missing}, such as {CommandLineSwitch.Find(missing, Switches)!.Example}.", out error);
        }
        if (!given.ContainsKey(PowerPinOption))
            return DeviceOptions.Fail($"--nic cyw43 needs --wl-on-pin, the GPIO of WL_REG_ON (the driver power-cycles the chip to boot it), such as {CommandLineSwitch.Find(PowerPinOption, Switches)!.Example}.", out error);
        var pins = new Dictionary<string, int>();
        foreach (string option in (string[])[.. GspiPinOptions, PowerPinOption, HostWakePinOption])
        {
            if (!given.ContainsKey(option))
                continue;
            if (!given.TryReadNumber(option, "a GPIO number", 0, -1, out int pin, out error))
                return false;
            if (pins.FirstOrDefault(p => p.Value == pin).Key is string taken)
                return DeviceOptions.Fail($"{taken} and {option} are both GPIO {pin}; each CYW43439 line needs a pin of its own.", out error);
            pins[option] = pin;
        }
        options = options with
        {
            WifiTransport = transport,
            GspiClockPin = pins.GetValueOrDefault(GspiClockPinOption, -1),
            GspiDataPin = pins.GetValueOrDefault(GspiDataPinOption, -1),
            GspiChipSelectPin = pins.GetValueOrDefault(GspiChipSelectPinOption, -1),
            PowerPin = pins[PowerPinOption],
            HostWakePin = pins.GetValueOrDefault(HostWakePinOption, -1),
        };
        return true;
    }

    private bool TryReadFirmwarePaths(GivenSwitches given, bool required, out Cyw43NicOptions options, out string error)
    {
        options = this;
        error = "";
        string? firmware = given.GetValueOrDefault(FirmwareOption);
        string? nvram = given.GetValueOrDefault(NvramOption);
        if (required && firmware is null)
            return DeviceOptions.Fail("--nic cyw43 needs --firmware PATH, the CYW43439 WLAN firmware (43439A0.bin); Seqs does not ship it: see Seqs.Drivers.Cyw43/README.md, \"Firmware\".", out error);
        if ((required || firmware is not null) && nvram is null)
            return DeviceOptions.Fail("--nic cyw43 needs --nvram PATH with --firmware, the board's NVRAM (nvram_rp2040.bin for a Pico W module): see Seqs.Drivers.Cyw43/README.md, \"Firmware\".", out error);
        if (firmware is null && nvram is not null)
            return DeviceOptions.Fail("--nvram needs --firmware, the image it goes with.", out error);
        if (firmware is null && given.ContainsKey(ClmOption))
            return DeviceOptions.Fail("--clm needs --firmware, the image it goes with.", out error);
        options = this with { FirmwarePath = firmware, NvramPath = nvram, ClmPath = given.GetValueOrDefault(ClmOption) };
        return true;
    }

    private static bool RefuseOnEmulator(string wiring, out string error) =>
        DeviceOptions.Fail($"{wiring} wires a real CYW43439; the --chip-emulator has no bus or pins, so drop {wiring}.", out error);

    /// <summary>The emulated access points, each with a BSSID of its own, on channels 6, 1 and 11 in turn.</summary>
    private static EmulatedAccessPoint[] CreateEmulatorAccessPoints(IReadOnlyList<(string Ssid, string? Passphrase)> networks)
    {
        int[] channels = [6, 1, 11];
        var accessPoints = new EmulatedAccessPoint[networks.Count];
        for (int i = 0; i < networks.Count; i++)
        {
            accessPoints[i] = new EmulatedAccessPoint(networks[i].Ssid, networks[i].Passphrase)
            {
                Bssid = new MacAddress(0x02_AA_00_00_00_01UL + (ulong)i),
                Channel = channels[i % channels.Length],
                Rssi = (short)(-40 - 5 * i),
            };
        }
        return accessPoints;
    }

    private static bool IsSsid(string ssid) =>
        Encoding.UTF8.GetByteCount(ssid) is > 0 and <= MaxSsidLength && !ssid.Any(char.IsControl);

    private static bool IsPassphrase(string passphrase) =>
        passphrase.Length is >= MinPassphraseLength and <= MaxPassphraseLength && passphrase.All(c => c is >= ' ' and <= '~');
}
