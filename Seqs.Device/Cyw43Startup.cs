using Microsoft.Extensions.Logging;
using Seqs.Drivers.Cyw43;

namespace Seqs.Device;

/// <summary>
/// The CYW43439 of <c>--nic cyw43</c> from the options: the driver on the real chip over spidev or bit-banged gSPI,
/// the firmware it boots, and the boot and join, whose failures become one line that names what went wrong.
/// </summary>
internal static class Cyw43Startup
{
    /// <summary>What the emulator boots when no <c>--firmware</c> is given: it accepts any non-empty image.</summary>
    private static readonly Cyw43Firmware EmulatorImages = new(new byte[] { 0x53, 0x45, 0x51, 0x53 }, "emulated=1\0"u8.ToArray());

    /// <summary>Opens the gSPI transport and the pins of a real chip, not yet booted.</summary>
    /// <exception cref="DeviceStartException">The bus or a pin cannot be opened.</exception>
    public static Cyw43439 OpenHardware(DeviceOptions options, ILoggerFactory loggers)
    {
        string bus = BusDescription(options);
        bool spidev = options.WifiTransport == DeviceOptions.SpidevTransportName;
        if (spidev && !OperatingSystem.IsLinux())
            throw new DeviceStartException($"--wifi-transport {DeviceOptions.SpidevTransportName} needs Linux spidev; use --wifi-transport {DeviceOptions.GpioTransportName} here.");
        Cyw43Bus transport;
        try
        {
            transport = OperatingSystem.IsLinux() && spidev
                ? new SpidevCyw43Bus(options.SpiBus, options.SpiChipSelect, options.SpiClockFrequency)
                : new BitBangedCyw43Bus(options.GspiClockPin, options.GspiDataPin, options.GspiChipSelectPin);
        }
        catch (Exception e) when (DeviceLink.IsOpenFailure(e))
        {
            throw new DeviceStartException($"Cannot open the CYW43439's {bus}: {DeviceLink.OneLine(e.Message)}", e);
        }
        try
        {
            return new Cyw43439(transport, options.PowerPin, options.HostWakePin, gpioController: null, shouldDispose: true,
                new Cyw43Options { BusName = bus }, loggers.CreateLogger<Cyw43439>());
        }
        catch (Exception e) when (DeviceLink.IsOpenFailure(e))
        {
            transport.Dispose();
            throw new DeviceStartException($"Cannot open the CYW43439's pins (WL_REG_ON GPIO {options.PowerPin}, host wake GPIO {options.HostWakePin}): {DeviceLink.OneLine(e.Message)}", e);
        }
    }

    /// <summary>"spidev0.0", "bit-banged gSPI on GPIO 11, 10, 8", "the chip emulator".</summary>
    public static string BusDescription(DeviceOptions options) =>
        options.ChipEmulator ? "the chip emulator"
        : options.WifiTransport == DeviceOptions.GpioTransportName ? $"bit-banged gSPI (CLK GPIO {options.GspiClockPin}, DATA GPIO {options.GspiDataPin}, CS GPIO {options.GspiChipSelectPin})"
        : $"spidev{options.SpiBus}.{options.SpiChipSelect}";

    /// <summary>
    /// The <c>--firmware</c>, <c>--nvram</c> and <c>--clm</c> files, read before any hardware is touched; without
    /// <c>--firmware</c> (the chip emulator only) a stand-in image.
    /// </summary>
    /// <exception cref="DeviceStartException">A file is missing or unreadable, or the images do not fit.</exception>
    public static Cyw43Firmware LoadFirmware(DeviceOptions options)
    {
        try
        {
            return options.FirmwarePath is string path ? Cyw43Firmware.FromFiles(path, options.NvramPath!, options.ClmPath) : EmulatorImages;
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
            throw new DeviceStartException(DeviceLink.OneLine(e.Message), e);
        }
    }

    /// <summary>Joins <see cref="DeviceOptions.WifiSsid"/>; the driver bounds the wait with its join timeout.</summary>
    /// <exception cref="DeviceStartException">No SSID, or the join failed; the message names the result.</exception>
    public static async Task JoinAsync(Cyw43439 driver, DeviceOptions options, CancellationToken cancellationToken)
    {
        string ssid = RequireSsid(options);
        WifiJoinResult result;
        try
        {
            result = await driver.JoinAsync(ssid, options.WifiPassphrase, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new DeviceStartException($"Wi-Fi join to '{ssid}' failed: {DeviceLink.OneLine(e.Message)}", e);
        }
        if (result != WifiJoinResult.Joined)
            throw new DeviceStartException($"Wi-Fi join to '{ssid}' failed: {Describe(result)}");
    }

    /// <summary>
    /// The network to join. Not required by the options, since <c>scan</c> needs none, so the device checks it
    /// before it touches the chip.
    /// </summary>
    /// <exception cref="DeviceStartException">No <c>--wifi-ssid</c>.</exception>
    public static string RequireSsid(DeviceOptions options) => options.WifiSsid
        ?? throw new DeviceStartException("--nic cyw43 needs --wifi-ssid NAME (and --wifi-pass PASSPHRASE unless the network is open); seqs-device scan lists the networks in range.");

    /// <summary>Boots, then joins, waiting in real time (each step is bounded by the driver's timeouts).</summary>
    public static void Start(Cyw43439 driver, Cyw43Firmware firmware, DeviceOptions options)
    {
        BootAsync(driver, firmware, CancellationToken.None).GetAwaiter().GetResult();
        JoinAsync(driver, options, CancellationToken.None).GetAwaiter().GetResult();
    }

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
