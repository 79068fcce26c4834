using System.Text;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Drivers.Cyw43.Register.Iovar;
using Seqs.Wire;

namespace Seqs.Device;

public sealed partial class DeviceOptions
{
    public const string Cyw43NicName = "cyw43";

    /// <summary>The gSPI transports of <c>--wifi-transport</c>.</summary>
    public const string SpidevTransportName = "spidev", GpioTransportName = "gpio";

    private const int MaxSsidLength = BssInfo.MaxSsidLength;

    /// <summary>IEEE 802.11 Annex J.4: a WPA2 passphrase has 8 to 63 ASCII characters, each 32 to 126.</summary>
    private const int MinPassphraseLength = PassphraseInfo.MinPassphraseLength, MaxPassphraseLength = PassphraseInfo.MaxPassphraseLength;

    private const string WifiSsidOption = "--wifi-ssid", WifiPassOption = "--wifi-pass", FirmwareOption = "--firmware", NvramOption = "--nvram", ClmOption = "--clm",
        WifiTransportOption = "--wifi-transport", GspiClockPinOption = "--gspi-clk-pin", GspiDataPinOption = "--gspi-data-pin", GspiChipSelectPinOption = "--gspi-cs-pin",
        PowerPinOption = "--wl-on-pin", HostWakePinOption = "--host-wake-pin", EmulatorAccessPointOption = "--emulator-ap";

    /// <summary>What <c>--nic cyw43 --chip-emulator</c> sees when no <c>--emulator-ap</c> is given: a WPA2 network and an open one.</summary>
    public static IReadOnlyList<EmulatedAccessPoint> DefaultEmulatorAccessPoints { get; } = CreateEmulatorAccessPoints([("seqs-sim", "seqs-sim-pass"), ("seqs-sim-open", null)]);

    private static readonly string[] Cyw43HardwareOptions = [FirmwareOption, NvramOption, ClmOption, WifiTransportOption, GspiClockPinOption, GspiDataPinOption, GspiChipSelectPinOption, PowerPinOption, HostWakePinOption];
    private static readonly string[] GspiPinOptions = [GspiClockPinOption, GspiDataPinOption, GspiChipSelectPinOption];

    /// <summary>The network to join (<c>--wifi-ssid</c>); with the chip emulator and none given, its first access point.</summary>
    public string? WifiSsid { get; private set; }

    /// <summary>The WPA2-PSK passphrase (<c>--wifi-pass</c>), or null for an open network.</summary>
    public string? WifiPassphrase { get; private set; }

    /// <summary>The CYW43439 WLAN firmware file (<c>--firmware</c>); null with the chip emulator, which takes any image.</summary>
    public string? FirmwarePath { get; private set; }

    /// <summary>The CYW43439 NVRAM file (<c>--nvram</c>).</summary>
    public string? NvramPath { get; private set; }

    /// <summary>The CLM blob (<c>--clm</c>), or null to boot without one.</summary>
    public string? ClmPath { get; private set; }

    /// <summary><see cref="SpidevTransportName"/> (SPI 3-wire, the default) or <see cref="GpioTransportName"/> (bit-banged).</summary>
    public string WifiTransport { get; private set; } = SpidevTransportName;

    /// <summary>The bit-banged gSPI's clock, data and chip select GPIOs; -1 with spidev.</summary>
    public int GspiClockPin { get; private set; } = -1;

    public int GspiDataPin { get; private set; } = -1;

    public int GspiChipSelectPin { get; private set; } = -1;

    /// <summary>The GPIO of WL_REG_ON, which the driver power-cycles to boot the chip.</summary>
    public int PowerPin { get; private set; } = -1;

    /// <summary>The GPIO of the chip's host-wake interrupt, or -1 to poll.</summary>
    public int HostWakePin { get; private set; } = -1;

    /// <summary>The access points the emulated CYW43439 sees (<c>--emulator-ap SSID[:PASSPHRASE]</c>, repeatable).</summary>
    public IReadOnlyList<EmulatedAccessPoint> EmulatorAccessPoints { get; private set; } = DefaultEmulatorAccessPoints;

    private bool TryReadCyw43(Dictionary<string, string> values, out string error)
    {
        error = "";
        string[] wifiOptions = [WifiSsidOption, WifiPassOption, EmulatorAccessPointOption, .. Cyw43HardwareOptions];
        if (Nic != Cyw43NicName)
        {
            string? given = wifiOptions.FirstOrDefault(values.ContainsKey);
            return given is null || Fail($"{given} applies only to --nic cyw43, not to --nic {Nic}.", out error);
        }
        if (values.ContainsKey(MacOption) && !ChipEmulator)
            return Fail("--mac applies to the emulated CYW43439 only; a real chip uses the MAC address in its OTP, so drop --mac.", out error);
        if (values.TryGetValue(WifiSsidOption, out string? ssid) && !IsSsid(ssid))
            return Fail($"--wifi-ssid '{ssid}' is not an SSID; give 1 to {MaxSsidLength} bytes of UTF-8 without control characters.", out error);
        if (values.TryGetValue(WifiPassOption, out string? passphrase))
        {
            if (ssid is null)
                return Fail("--wifi-pass needs --wifi-ssid, the network it is the passphrase of.", out error);
            if (!IsPassphrase(passphrase))
                return Fail($"--wifi-pass for '{ssid}' is not a WPA2 passphrase; give {MinPassphraseLength} to {MaxPassphraseLength} printable ASCII characters, or leave it out for an open network.", out error);
        }
        return ChipEmulator ? TryReadEmulatedCyw43(values, ssid, passphrase, out error) : TryReadCyw43Hardware(values, ssid, passphrase, out error);
    }

    private bool TryReadEmulatedCyw43(Dictionary<string, string> values, string? ssid, string? passphrase, out string error)
    {
        error = "";
        foreach (string option in Cyw43HardwareOptions.Except([FirmwareOption, NvramOption, ClmOption]))
        {
            if (values.ContainsKey(option))
                return Fail($"{option} wires a real CYW43439; the --chip-emulator has no bus or pins, so drop {option}.", out error);
        }
        if (!TryReadFirmwarePaths(values, required: false, out error))
            return false;
        if (values.TryGetValue(EmulatorAccessPointOption, out string? list))
        {
            var accessPoints = new List<(string Ssid, string? Passphrase)>();
            foreach (string spec in list.Split('\n'))
            {
                int colon = spec.IndexOf(':', StringComparison.Ordinal);
                string apSsid = colon < 0 ? spec : spec[..colon];
                string? apPassphrase = colon < 0 ? null : spec[(colon + 1)..];
                if (!IsSsid(apSsid) || (apPassphrase is not null && !IsPassphrase(apPassphrase)))
                    return Fail($"--emulator-ap '{spec}' is not SSID[:PASSPHRASE]; give an SSID of 1 to {MaxSsidLength} bytes and, for WPA2, a passphrase of {MinPassphraseLength} to {MaxPassphraseLength} printable ASCII characters, such as --emulator-ap seqs-sim:seqs-sim-pass.", out error);
                if (accessPoints.Any(ap => ap.Ssid == apSsid))
                    return Fail($"--emulator-ap '{apSsid}' is given twice; each emulated network needs its own SSID.", out error);
                accessPoints.Add((apSsid, apPassphrase));
            }
            EmulatorAccessPoints = CreateEmulatorAccessPoints(accessPoints);
        }
        if (ssid is null)
        {
            WifiSsid = EmulatorAccessPoints[0].Ssid;
            WifiPassphrase = EmulatorAccessPoints[0].Passphrase;
            return true;
        }
        WifiSsid = ssid;
        WifiPassphrase = passphrase;
        return true;
    }

    private bool TryReadCyw43Hardware(Dictionary<string, string> values, string? ssid, string? passphrase, out string error)
    {
        if (!TryReadFirmwarePaths(values, required: true, out error))
            return false;
        string transport = values.GetValueOrDefault(WifiTransportOption, SpidevTransportName);
        if (transport is not (SpidevTransportName or GpioTransportName))
            return Fail($"--wifi-transport '{transport}' is not a gSPI transport; give {SpidevTransportName} (SPI in 3-wire mode) or {GpioTransportName} (bit-banged GPIO).", out error);
        if (transport == SpidevTransportName)
        {
            string? pin = GspiPinOptions.FirstOrDefault(values.ContainsKey);
            if (pin is not null)
                return Fail($"{pin} is a pin of the bit-banged gSPI; with --wifi-transport {SpidevTransportName} give --spi-bus and --spi-cs instead, or add --wifi-transport {GpioTransportName}.", out error);
        }
        else
        {
            string? spi = new[] { SpiBusOption, SpiChipSelectOption, SpiClockOption }.FirstOrDefault(values.ContainsKey);
            if (spi is not null)
                return Fail($"{spi} sets up spidev; --wifi-transport {GpioTransportName} bit-bangs the bus on --gspi-clk-pin, --gspi-data-pin and --gspi-cs-pin instead.", out error);
            string? missing = GspiPinOptions.FirstOrDefault(option => !values.ContainsKey(option));
            if (missing is not null)
                return Fail($"--wifi-transport {GpioTransportName} needs {missing}, such as {CommandLineSwitch.Find(missing, Switches)!.Example}.", out error);
        }
        if (!values.ContainsKey(PowerPinOption))
            return Fail($"--nic cyw43 needs --wl-on-pin, the GPIO of WL_REG_ON (the driver power-cycles the chip to boot it), such as {CommandLineSwitch.Find(PowerPinOption, Switches)!.Example}.", out error);
        var pins = new Dictionary<string, int>();
        foreach (string option in (string[])[.. GspiPinOptions, PowerPinOption, HostWakePinOption])
        {
            if (!values.ContainsKey(option))
                continue;
            if (!TryReadNumber(values, option, "a GPIO number", 0, out int pin, out error))
                return false;
            if (pins.FirstOrDefault(p => p.Value == pin).Key is string taken)
                return Fail($"{taken} and {option} are both GPIO {pin}; each CYW43439 line needs a pin of its own.", out error);
            pins[option] = pin;
        }
        WifiSsid = ssid;
        WifiPassphrase = passphrase;
        WifiTransport = transport;
        GspiClockPin = pins.GetValueOrDefault(GspiClockPinOption, -1);
        GspiDataPin = pins.GetValueOrDefault(GspiDataPinOption, -1);
        GspiChipSelectPin = pins.GetValueOrDefault(GspiChipSelectPinOption, -1);
        PowerPin = pins[PowerPinOption];
        HostWakePin = pins.GetValueOrDefault(HostWakePinOption, -1);
        return true;
    }

    private bool TryReadFirmwarePaths(Dictionary<string, string> values, bool required, out string error)
    {
        error = "";
        string? firmware = values.GetValueOrDefault(FirmwareOption);
        string? nvram = values.GetValueOrDefault(NvramOption);
        if (required && firmware is null)
            return Fail("--nic cyw43 needs --firmware PATH, the CYW43439 WLAN firmware (43439A0.bin); Seqs does not ship it: see Seqs.Drivers.Cyw43/README.md, \"Firmware\".", out error);
        if ((required || firmware is not null) && nvram is null)
            return Fail("--nic cyw43 needs --nvram PATH with --firmware, the board's NVRAM (nvram_rp2040.bin for a Pico W module): see Seqs.Drivers.Cyw43/README.md, \"Firmware\".", out error);
        if (firmware is null && nvram is not null)
            return Fail("--nvram needs --firmware, the image it goes with.", out error);
        if (firmware is null && values.ContainsKey(ClmOption))
            return Fail("--clm needs --firmware, the image it goes with.", out error);
        FirmwarePath = firmware;
        NvramPath = nvram;
        ClmPath = values.GetValueOrDefault(ClmOption);
        return true;
    }

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
