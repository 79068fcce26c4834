using Microsoft.Extensions.Logging;
using Seqs.Device.Diagnostics;
using Seqs.Device.HostNics;
using Seqs.Device.Web;
using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Hal;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Device.Nics;

/// <summary>
/// <c>--nic cyw43</c>: an Infineon CYW43439 (the Pico W's Wi-Fi chip) on spidev or bit-banged gSPI, as
/// <see cref="Cyw43NicOptions"/> say; or with <c>--chip-emulator</c> the driver, WL_REG_ON and host wake wired,
/// against a <see cref="Cyw43Emulator"/> that sees <see cref="Cyw43NicOptions.EmulatorAccessPoints"/> and whose air
/// side is <c>--tap-name</c> or a port of the simulated LAN. Either way the driver boots the firmware and joins
/// <see cref="Cyw43NicOptions.WifiSsid"/> before the stack starts, and a failed step becomes one line that names it.
/// </summary>
internal sealed class Cyw43NicKind : INicKind
{
    /// <summary>The emulated chip's MAC address when <c>--mac</c> gives none (locally administered).</summary>
    private static readonly MacAddress DefaultEmulatorMacAddress = MacAddress.Parse("02:53:45:51:57:02");

    /// <summary>What the emulator boots when no <c>--firmware</c> is given: it accepts any non-empty images.</summary>
    internal static readonly Cyw43Firmware EmulatorImages = new(new byte[] { 0x53, 0x45, 0x51, 0x53 }, "emulated=1\0"u8.ToArray(), "emulated CLM"u8.ToArray());

    /// <summary>Why a real chip does not start without <c>--clm</c>.</summary>
    public const string MissingClm = "--nic cyw43 needs --clm PATH with --firmware, the regulatory data (43439A0_clm.bin) without which the firmware has no channel to scan or join on: see Seqs.Drivers.Cyw43/README.md, \"Firmware\".";

    /// <summary>The most virtual time the boot and join may take on the simulated LAN: the power-up waits and the join timeout, with room.</summary>
    private static readonly TimeSpan SimulatedStartLimit = TimeSpan.FromSeconds(60);

    public string Name => "cyw43";

    public IReadOnlyList<CommandLineSwitch> Switches => Cyw43NicOptions.Switches;

    public bool HasChipEmulator => true;

    public string? OwnLed => "the CYW43439's own LED on its GPIO 0";

    public IWiringDoctor Doctor { get; } = new Cyw43WiringDoctor();

    public bool TryReadOptions(GivenSwitches given, out object? options, out string error)
    {
        bool read = Cyw43NicOptions.TryRead(given, out Cyw43NicOptions wifi, out error);
        options = wifi;
        return read;
    }

    public OpenedNic Open(DeviceOptions options, ILoggerFactory loggers)
    {
        Cyw43NicOptions wifi = options.NicOptions<Cyw43NicOptions>();
        if (!options.ChipEmulator)
        {
            string ssid = RequireSsid(wifi);
            Cyw43Firmware firmware = LoadFirmware(wifi);
            Cyw43439 chip = OpenChip(wifi, loggers);
            return Started(chip, firmware, wifi, WaitInRealTime, TimeProvider.System, $"CYW43439 on {BusDescription(options)} joined to '{ssid}'", loggers);
        }
        Cyw43Firmware images = LoadFirmware(wifi);
        TapNic air = TapNicKind.OpenTap(options.TapName!, macAddress: null);
        try
        {
            Cyw43439 driver = AttachEmulator(air, wifi, options.MacAddress, TimeProvider.System, loggers);
            return Started(driver, images, wifi, WaitInRealTime, TimeProvider.System, $"an emulated CYW43439 joined to '{wifi.WifiSsid}', its air on TAP {air.Name}", loggers, air);
        }
        catch
        {
            air.Dispose();
            throw;
        }
    }

    /// <summary>Boots and joins in virtual time, which runs here as fast as the steps allow.</summary>
    public OpenedNic OpenOnSimulatedLan(VirtualNic cable, NetworkSimulation simulation, DeviceOptions options, ILoggerFactory loggers)
    {
        Cyw43NicOptions wifi = options.NicOptions<Cyw43NicOptions>();
        Cyw43Firmware images = LoadFirmware(wifi);
        Cyw43439 driver = AttachEmulator(cable, wifi, options.MacAddress, simulation.Clock, loggers);
        return Started(driver, images, wifi, step =>
        {
            if (!simulation.RunUntil(() => step.IsCompleted, SimulatedStartLimit))
                throw new DeviceStartException($"The emulated CYW43439 did not boot and join within {SimulatedStartLimit.TotalSeconds} s of simulated time.");
            step.GetAwaiter().GetResult();
        }, simulation.Clock, $"an emulated CYW43439 joined to '{wifi.WifiSsid}'", loggers);
    }

    /// <summary>"spidev0.0", "bit-banged gSPI on GPIO 11, 10, 8", "the chip emulator".</summary>
    public static string BusDescription(DeviceOptions options) =>
        options.ChipEmulator ? "the chip emulator" : TransportDescription(options.NicOptions<Cyw43NicOptions>());

    /// <summary>
    /// The real chip on its gSPI transport and pins, or the driver on the chip's emulator whose air goes nowhere;
    /// not yet booted. For <c>seqs-device scan</c>, which needs no network behind the chip.
    /// </summary>
    /// <exception cref="DeviceStartException">The bus or a pin cannot be opened.</exception>
    public static Cyw43439 OpenForScan(DeviceOptions options, ILoggerFactory loggers)
    {
        Cyw43NicOptions wifi = options.NicOptions<Cyw43NicOptions>();
        return options.ChipEmulator
            ? AttachEmulator(new VirtualNic(options.MacAddress ?? DefaultEmulatorMacAddress), wifi, options.MacAddress, TimeProvider.System, loggers)
            : OpenChip(wifi, loggers);
    }

    /// <summary>
    /// The <c>--firmware</c>, <c>--nvram</c> and <c>--clm</c> files, read before any hardware is touched; without
    /// <c>--firmware</c> (the chip emulator only) a stand-in image.
    /// </summary>
    /// <exception cref="DeviceStartException">A file is missing or unreadable (<c>--clm</c> included), or the images do not fit.</exception>
    public static Cyw43Firmware LoadFirmware(Cyw43NicOptions wifi)
    {
        if (wifi.FirmwarePath is not null && wifi.ClmPath is null)
            throw new DeviceStartException(MissingClm);
        try
        {
            return wifi.FirmwarePath is string path ? Cyw43Firmware.FromFiles(path, wifi.NvramPath!, wifi.ClmPath) : EmulatorImages;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new DeviceStartException(e.Message, e);
        }
    }

    /// <summary>Powers the chip up and boots it with <paramref name="firmware"/>.</summary>
    /// <exception cref="DeviceStartException">A boot step failed; the message names it.</exception>
    public static async Task BootAsync(Cyw43439 driver, Cyw43Firmware firmware, CancellationToken cancellationToken)
    {
        try
        {
            await driver.InitializeAsync(firmware, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // Cyw43BootException names the step, Cyw43IoctlException the ioctl; both are IOExceptions, as is a bus failure.
            throw new DeviceStartException(DeviceStartException.OneLine(e.Message), e);
        }
    }

    private static void WaitInRealTime(Task step) => step.GetAwaiter().GetResult();

    /// <summary>
    /// Boots <paramref name="driver"/> and joins the network, each step awaited by <paramref name="wait"/>, then reads
    /// the signal strength on <paramref name="time"/>'s timer; on failure disposes the driver (and
    /// <paramref name="others"/> are the caller's).
    /// </summary>
    private static OpenedNic Started(Cyw43439 driver, Cyw43Firmware firmware, Cyw43NicOptions wifi, Action<Task> wait, TimeProvider time, string description, ILoggerFactory loggers, params IDisposable[] others)
    {
        try
        {
            wait(BootAsync(driver, firmware, CancellationToken.None));
            wait(JoinAsync(driver, wifi, CancellationToken.None));
        }
        catch
        {
            driver.Dispose();
            throw;
        }
        ILogger log = loggers.CreateLogger("Seqs.Device");
        var signal = new Cyw43SignalStrength(driver, time, log);
        return new OpenedNic(driver, description, status => status.RssiDbm = signal.RssiDbm, [signal, driver, .. others]) { Led = new Cyw43Led(driver, log) };
    }

    /// <summary>
    /// Creates the chip's emulator with its air side on <paramref name="air"/> and the driver on the chip, not yet
    /// booted. Disposing the driver leaves <paramref name="air"/> to its owner.
    /// </summary>
    /// <param name="time">The clock of the loop the stack runs on: the system's, or the simulation's.</param>
    private static Cyw43439 AttachEmulator(IEthernetNic air, Cyw43NicOptions wifi, MacAddress? macAddress, TimeProvider time, ILoggerFactory loggers)
    {
        var chip = new Cyw43Emulator(time) { MacAddress = macAddress ?? DefaultEmulatorMacAddress };
        foreach (EmulatedAccessPoint accessPoint in wifi.EmulatorAccessPoints)
            chip.AccessPoints.Add(accessPoint);
        Cyw43EmulatorFaults.Apply(wifi.EmulatorFault, chip);
        chip.Attach(air);
        return new Cyw43439(new FullDuplexCyw43Bus(chip), chip.PowerLine, chip.HostWakeLine,
            new Cyw43Options { TimeProvider = time, BusName = chip.ToString() }, loggers.CreateLogger<Cyw43439>());
    }

    /// <summary>Opens the gSPI transport and the pins of a real chip, not yet booted.</summary>
    /// <exception cref="DeviceStartException">The bus or a pin cannot be opened.</exception>
    private static Cyw43439 OpenChip(Cyw43NicOptions wifi, ILoggerFactory loggers)
    {
        string bus = TransportDescription(wifi);
        bool spidev = wifi.WifiTransport == Cyw43NicOptions.SpidevTransportName;
        if (spidev && !OperatingSystem.IsLinux())
            throw new DeviceStartException($"--wifi-transport {Cyw43NicOptions.SpidevTransportName} needs Linux spidev; use --wifi-transport {Cyw43NicOptions.GpioTransportName} here.");
        Cyw43Bus transport;
        try
        {
            transport = OperatingSystem.IsLinux() && spidev
                ? new SpidevCyw43Bus(wifi.Spi.Bus, wifi.Spi.ChipSelect, wifi.Spi.ClockFrequency)
                : new BitBangedCyw43Bus(wifi.GspiClockPin, wifi.GspiDataPin, wifi.GspiChipSelectPin);
        }
        catch (Exception e) when (DeviceStartException.IsOpenFailure(e))
        {
            throw new DeviceStartException($"Cannot open the CYW43439's {bus}: {DeviceStartException.OneLine(e.Message)}", e);
        }
        try
        {
            return new Cyw43439(transport, wifi.PowerPin, wifi.HostWakePin, gpioController: null, shouldDispose: true,
                new Cyw43Options { BusName = bus }, loggers.CreateLogger<Cyw43439>());
        }
        catch (Exception e) when (DeviceStartException.IsOpenFailure(e))
        {
            transport.Dispose();
            throw new DeviceStartException($"Cannot open the CYW43439's pins (WL_REG_ON GPIO {wifi.PowerPin}, host wake GPIO {wifi.HostWakePin}): {DeviceStartException.OneLine(e.Message)}", e);
        }
    }

    private static string TransportDescription(Cyw43NicOptions wifi) =>
        wifi.WifiTransport == Cyw43NicOptions.GpioTransportName
            ? $"bit-banged gSPI (CLK GPIO {wifi.GspiClockPin}, DATA GPIO {wifi.GspiDataPin}, CS GPIO {wifi.GspiChipSelectPin})"
            : $"spidev{wifi.Spi.Bus}.{wifi.Spi.ChipSelect}";

    /// <summary>Joins <see cref="Cyw43NicOptions.WifiSsid"/>; the driver bounds the wait with its join timeout.</summary>
    /// <exception cref="DeviceStartException">No SSID, or the join failed; the message names the result.</exception>
    private static async Task JoinAsync(Cyw43439 driver, Cyw43NicOptions wifi, CancellationToken cancellationToken)
    {
        string ssid = RequireSsid(wifi);
        WifiJoinResult result;
        try
        {
            result = await driver.JoinAsync(ssid, wifi.WifiPassphrase, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new DeviceStartException($"Wi-Fi join to '{ssid}' failed: {DeviceStartException.OneLine(e.Message)}", e);
        }
        if (result != WifiJoinResult.Joined)
            throw new DeviceStartException($"Wi-Fi join to '{ssid}' failed: {Describe(result)}");
    }

    /// <summary>
    /// The network to join. Not required by the options, since <c>scan</c> needs none, so the device checks it
    /// before it touches the chip.
    /// </summary>
    /// <exception cref="DeviceStartException">No <c>--wifi-ssid</c>.</exception>
    private static string RequireSsid(Cyw43NicOptions wifi) => wifi.WifiSsid
        ?? throw new DeviceStartException("--nic cyw43 needs --wifi-ssid NAME (and --wifi-pass PASSPHRASE unless the network is open); seqs-device scan lists the networks in range.");

    private static string Describe(WifiJoinResult result) => result switch
    {
        WifiJoinResult.NetworkNotFound => "network not found",
        WifiJoinResult.AuthenticationFailed => "authentication failed",
        WifiJoinResult.WrongPassphrase => "wrong passphrase",
        WifiJoinResult.HandshakeTimeout => "the WPA2 handshake timed out",
        WifiJoinResult.AssociationFailed => "association failed",
        WifiJoinResult.NoAnswer => "no answer from the chip within the join timeout",
        _ => result.ToString(),
    };
}
