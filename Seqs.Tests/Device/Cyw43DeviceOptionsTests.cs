using Microsoft.Extensions.Configuration;
using Seqs.Device;
using Seqs.Device.Nics;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Wire;

namespace Seqs.Tests.Device;

/// <summary>The <c>--nic cyw43</c> switches: the real chip's firmware, transport and pins, and the chip emulator's access points.</summary>
public sealed class Cyw43DeviceOptionsTests
{
    private static readonly string[] Hardware = ["--nic", "cyw43", "--firmware", "fw.bin", "--nvram", "nvram.txt", "--wl-on-pin", "23", "--dhcp"];

    [Test]
    public void SpidevCommandLine_IsParsed()
    {
        string[] args = [.. Hardware, "--wifi-ssid", "home", "--wifi-pass", "correct horse", "--clm", "clm.bin", "--spi-bus", "1", "--spi-cs", "2", "--spi-hz", "25000000", "--host-wake-pin", "24"];

        Assert.That(DeviceOptions.TryParse(args, out DeviceOptions options, out string error), Is.True, error);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.Nic, Is.EqualTo("cyw43"));
            Assert.That(Wifi(options).WifiSsid, Is.EqualTo("home"));
            Assert.That(Wifi(options).WifiPassphrase, Is.EqualTo("correct horse"));
            Assert.That((Wifi(options).FirmwarePath, Wifi(options).NvramPath, Wifi(options).ClmPath), Is.EqualTo(("fw.bin", "nvram.txt", "clm.bin")));
            Assert.That(Wifi(options).WifiTransport, Is.EqualTo("spidev"));
            Assert.That((Wifi(options).Spi.Bus, Wifi(options).Spi.ChipSelect, Wifi(options).Spi.ClockFrequency), Is.EqualTo((1, 2, 25_000_000)));
            Assert.That((Wifi(options).PowerPin, Wifi(options).HostWakePin), Is.EqualTo((23, 24)));
            Assert.That((Wifi(options).GspiClockPin, Wifi(options).GspiDataPin, Wifi(options).GspiChipSelectPin), Is.EqualTo((-1, -1, -1)));
            Assert.That(options.ChipEmulator, Is.False);
        }
    }

    [Test]
    public void SpidevWithoutBusOptions_UsesSpi0Cs0AtTheDriversClockAndPollsWithoutHostWake()
    {
        Assert.That(DeviceOptions.TryParse(Hardware, out DeviceOptions options, out string error), Is.True, error);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((Wifi(options).Spi.Bus, Wifi(options).Spi.ChipSelect, Wifi(options).Spi.ClockFrequency), Is.EqualTo((0, 0, Drivers.Cyw43.Cyw43439.SpiClockFrequency)));
            Assert.That(Wifi(options).HostWakePin, Is.EqualTo(-1));
            Assert.That(Wifi(options).WifiSsid, Is.Null, "checked when the device joins, so that scan needs none");
            Assert.That(Wifi(options).WifiPassphrase, Is.Null);
        }
    }

    [Test]
    public void GpioTransport_TakesItsThreePins()
    {
        string[] args = [.. Hardware, "--wifi-transport", "gpio", "--gspi-clk-pin", "11", "--gspi-data-pin", "10", "--gspi-cs-pin", "8"];

        Assert.That(DeviceOptions.TryParse(args, out DeviceOptions options, out string error), Is.True, error);
        Assert.That((Wifi(options).WifiTransport, Wifi(options).GspiClockPin, Wifi(options).GspiDataPin, Wifi(options).GspiChipSelectPin), Is.EqualTo(("gpio", 11, 10, 8)));
    }

    [Test]
    public void ChipEmulator_WithoutSsid_JoinsTheFirstDefaultAccessPoint_OnTheSimulatedNetwork()
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "cyw43", "--chip-emulator"], out DeviceOptions options, out string error), Is.True, error);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.IsSimulated, Is.True);
            Assert.That(Wifi(options).EmulatorAccessPoints.Select(ap => (ap.Ssid, ap.Passphrase)), Is.EqualTo(new (string, string?)[] { ("seqs-sim", "seqs-sim-pass"), ("seqs-sim-open", null) }));
            Assert.That((Wifi(options).WifiSsid, Wifi(options).WifiPassphrase), Is.EqualTo(("seqs-sim", "seqs-sim-pass")));
            Assert.That(Wifi(options).FirmwarePath, Is.Null);
        }
    }

    [Test]
    public void EmulatorAccessPoints_AreRepeatable_EachWithItsOwnBssid()
    {
        string[] args = ["--nic", "cyw43", "--chip-emulator", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--emulator-ap", "cafe", "--emulator-ap", "home:pass:with:colons", "--wifi-ssid", "cafe"];

        Assert.That(DeviceOptions.TryParse(args, out DeviceOptions options, out string error), Is.True, error);
        IReadOnlyList<EmulatedAccessPoint> aps = Wifi(options).EmulatorAccessPoints;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(aps.Select(ap => (ap.Ssid, ap.Passphrase)), Is.EqualTo(new (string, string?)[] { ("cafe", null), ("home", "pass:with:colons") }));
            Assert.That(aps.Select(ap => ap.Bssid).Distinct().Count(), Is.EqualTo(2));
            Assert.That((Wifi(options).WifiSsid, Wifi(options).WifiPassphrase), Is.EqualTo(("cafe", (string?)null)), "open: no --wifi-pass");
            Assert.That(options.TapName, Is.EqualTo("tap0"));
        }
    }

    [Test]
    public void EmulatorAccessPoints_FromAppsettingsArray_AndTheEnvironment()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Nic"] = "cyw43",
            ["ChipEmulator"] = "true",
            ["EmulatorAp:0"] = "first:first-pass",
            ["EmulatorAp:1"] = "second",
        }).Build();
        Assert.That(DeviceOptions.TryRead(configuration, out DeviceOptions options, out string error), Is.True, error);
        Assert.That(Wifi(options).EmulatorAccessPoints.Select(ap => ap.Ssid), Is.EqualTo(new[] { "first", "second" }));

        IConfiguration single = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Nic"] = "cyw43",
            ["ChipEmulator"] = "true",
            ["EmulatorAp"] = "only",
        }).Build();
        Assert.That(DeviceOptions.TryRead(single, out options, out error), Is.True, error);
        Assert.That((Wifi(options).WifiSsid, Wifi(options).WifiPassphrase), Is.EqualTo(("only", (string?)null)));
    }

    [Test]
    public void ChipEmulator_TakesAnEmulatedMac_AndFirmwareFilesIfGiven()
    {
        string[] args = ["--nic", "cyw43", "--chip-emulator", "--mac", "02:00:00:00:00:07", "--firmware", "fw.bin", "--nvram", "nv.txt"];

        Assert.That(DeviceOptions.TryParse(args, out DeviceOptions options, out string error), Is.True, error);
        Assert.That((options.MacAddress, Wifi(options).FirmwarePath, Wifi(options).NvramPath), Is.EqualTo(((MacAddress?)new MacAddress(0x02_00_00_00_00_07), "fw.bin", "nv.txt")));
    }

    private static Cyw43NicOptions Wifi(DeviceOptions options) => options.NicOptions<Cyw43NicOptions>();

    [TestCase(new[] { "--nic", "cyw43", "--dhcp" }, "--nic cyw43 needs --firmware PATH, the CYW43439 WLAN firmware (43439A0.bin); Seqs does not ship it: see Seqs.Drivers.Cyw43/README.md, \"Firmware\".")]
    [TestCase(new[] { "--nic", "cyw43", "--dhcp", "--firmware", "fw.bin", "--wl-on-pin", "23" }, "--nic cyw43 needs --nvram PATH with --firmware, the board's NVRAM (nvram_rp2040.bin for a Pico W module): see Seqs.Drivers.Cyw43/README.md, \"Firmware\".")]
    [TestCase(new[] { "--nic", "cyw43", "--dhcp", "--firmware", "fw.bin", "--nvram", "nv.txt" }, "--nic cyw43 needs --wl-on-pin, the GPIO of WL_REG_ON (the driver power-cycles the chip to boot it), such as --wl-on-pin 23.")]
    [TestCase(new[] { "--nic", "cyw43", "--firmware", "fw.bin", "--nvram", "nv.txt", "--wl-on-pin", "23" }, "--nic cyw43 needs --ip A.B.C.D/N (for example --ip 10.0.0.2/24) or --dhcp.")]
    [TestCase(new[] { "--nic", "cyw43", "--dhcp", "--firmware", "fw.bin", "--nvram", "nv.txt", "--wl-on-pin", "x" }, "--wl-on-pin 'x' is not a GPIO number; give a whole number of 0 or more, such as --wl-on-pin 23.")]
    [TestCase(new[] { "--nic", "cyw43", "--dhcp", "--firmware", "fw.bin", "--nvram", "nv.txt", "--wl-on-pin", "23", "--host-wake-pin", "23" }, "--wl-on-pin and --host-wake-pin are both GPIO 23; each CYW43439 line needs a pin of its own.")]
    [TestCase(new[] { "--nic", "cyw43", "--dhcp", "--firmware", "fw.bin", "--nvram", "nv.txt", "--wl-on-pin", "23", "--wifi-transport", "usb" }, "--wifi-transport 'usb' is not a gSPI transport; give spidev (SPI in 3-wire mode) or gpio (bit-banged GPIO).")]
    [TestCase(new[] { "--nic", "cyw43", "--dhcp", "--firmware", "fw.bin", "--nvram", "nv.txt", "--wl-on-pin", "23", "--gspi-clk-pin", "11" }, "--gspi-clk-pin is a pin of the bit-banged gSPI; with --wifi-transport spidev give --spi-bus and --spi-cs instead, or add --wifi-transport gpio.")]
    [TestCase(new[] { "--nic", "cyw43", "--dhcp", "--firmware", "fw.bin", "--nvram", "nv.txt", "--wl-on-pin", "23", "--wifi-transport", "gpio", "--gspi-clk-pin", "11", "--gspi-data-pin", "10" }, "--wifi-transport gpio needs --gspi-cs-pin, such as --gspi-cs-pin 8.")]
    [TestCase(new[] { "--nic", "cyw43", "--dhcp", "--firmware", "fw.bin", "--nvram", "nv.txt", "--wl-on-pin", "23", "--wifi-transport", "gpio", "--spi-bus", "0" }, "--spi-bus sets up spidev; --wifi-transport gpio bit-bangs the bus on --gspi-clk-pin, --gspi-data-pin and --gspi-cs-pin instead.")]
    [TestCase(new[] { "--nic", "cyw43", "--dhcp", "--firmware", "fw.bin", "--nvram", "nv.txt", "--wl-on-pin", "10", "--wifi-transport", "gpio", "--gspi-clk-pin", "11", "--gspi-data-pin", "10", "--gspi-cs-pin", "8" }, "--gspi-data-pin and --wl-on-pin are both GPIO 10; each CYW43439 line needs a pin of its own.")]
    [TestCase(new[] { "--nic", "cyw43", "--dhcp", "--firmware", "fw.bin", "--nvram", "nv.txt", "--wl-on-pin", "23", "--mac", "02:00:00:00:00:01" }, "--mac applies to the emulated CYW43439 only; a real chip uses the MAC address in its OTP, so drop --mac.")]
    [TestCase(new[] { "--nic", "cyw43", "--dhcp", "--firmware", "fw.bin", "--nvram", "nv.txt", "--wl-on-pin", "23", "--int-pin", "25" }, "--int-pin applies only to --nic enc28j60, not to --nic cyw43.")]
    [TestCase(new[] { "--nic", "cyw43", "--chip-emulator", "--wifi-ssid", "" }, "--wifi-ssid needs a value, such as --wifi-ssid seqs-sim.")]
    [TestCase(new[] { "--nic", "cyw43", "--chip-emulator", "--wifi-ssid", "a-network-name-of-thirty-three-by" }, "--wifi-ssid 'a-network-name-of-thirty-three-by' is not an SSID; give 1 to 32 bytes of UTF-8 without control characters.")]
    [TestCase(new[] { "--nic", "cyw43", "--chip-emulator", "--wifi-ssid", "home", "--wifi-pass", "short" }, "--wifi-pass for 'home' is not a WPA2 passphrase; give 8 to 63 printable ASCII characters, or leave it out for an open network.")]
    [TestCase(new[] { "--nic", "cyw43", "--chip-emulator", "--wifi-pass", "long enough" }, "--wifi-pass needs --wifi-ssid, the network it is the passphrase of.")]
    [TestCase(new[] { "--nic", "cyw43", "--chip-emulator", "--emulator-ap", "x:short" }, "--emulator-ap 'x:short' is not SSID[:PASSPHRASE]; give an SSID of 1 to 32 bytes and, for WPA2, a passphrase of 8 to 63 printable ASCII characters, such as --emulator-ap seqs-sim:seqs-sim-pass.")]
    [TestCase(new[] { "--nic", "cyw43", "--chip-emulator", "--emulator-ap", "twin", "--emulator-ap", "twin:long enough" }, "--emulator-ap 'twin' is given twice; each emulated network needs its own SSID.")]
    [TestCase(new[] { "--nic", "cyw43", "--chip-emulator", "--wl-on-pin", "23" }, "--wl-on-pin wires a real CYW43439; the --chip-emulator has no bus or pins, so drop --wl-on-pin.")]
    [TestCase(new[] { "--nic", "cyw43", "--chip-emulator", "--spi-bus", "0" }, "--spi-bus wires a real CYW43439; the --chip-emulator has no bus or pins, so drop --spi-bus.")]
    [TestCase(new[] { "--nic", "cyw43", "--chip-emulator", "--nvram", "nv.txt" }, "--nvram needs --firmware, the image it goes with.")]
    [TestCase(new[] { "--nic", "cyw43", "--chip-emulator", "--led-pin", "17" }, "--led-pin: with --nic cyw43, /api/led switches the CYW43439's own LED on its GPIO 0; drop --led-pin.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--dhcp", "--wifi-ssid", "home" }, "--wifi-ssid applies only to --nic cyw43, not to --nic tap.")]
    [TestCase(new[] { "--emulator-ap", "home" }, "--emulator-ap applies only to --nic cyw43, not to --nic sim.")]
    [TestCase(new[] { "--nic", "cyw43", "--tap-name", "tap0", "--dhcp" }, "--tap-name applies only to --nic tap and to --nic enc28j60 or cyw43 with --chip-emulator, not to --nic cyw43 on real hardware.")]
    public void InvalidCyw43Options_AreRefusedWithOneLineSayingWhatToFix(string[] args, string expected)
    {
        Assert.That(DeviceOptions.TryParse(args, out _, out string error), Is.False);
        Assert.That(error, Is.EqualTo(expected));
    }
}
