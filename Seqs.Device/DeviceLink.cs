using System.Device.Spi;
using Microsoft.Extensions.Logging;
using Seqs.Device.HostNics;
using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Enc28j60;
using Seqs.Hal;

namespace Seqs.Device;

/// <summary>
/// The NIC the stack runs on outside the simulated LAN, opened from the command line: a TAP (<c>--nic tap</c>), an
/// ENC28J60 on SPI (<c>--nic enc28j60</c>), a CYW43439 joined to a Wi-Fi network (<c>--nic cyw43</c>), or either
/// driver on its chip's emulator wired to a TAP (<c>--chip-emulator --tap-name</c>). Owns what it opened and disposes it.
/// </summary>
internal sealed class DeviceLink : IDisposable
{
    private readonly IDisposable[] _owned;

    private DeviceLink(IEthernetNic nic, string description, params IDisposable[] owned)
    {
        Nic = nic;
        Description = description;
        _owned = owned;
    }

    public IEthernetNic Nic { get; }

    /// <summary>The CYW43439 with <c>--nic cyw43</c>, whose GPIO 0 is the LED; null otherwise.</summary>
    public Cyw43439? WifiChip { get; private init; }

    /// <summary>Where the stack runs, for the console: "TAP tap0", "ENC28J60 on SPI bus 0, chip select 0".</summary>
    public string Description { get; }

    /// <exception cref="DeviceStartException">The NIC could not be opened; the message says what to fix.</exception>
    public static DeviceLink Open(DeviceOptions options, ILoggerFactory loggers)
    {
        if (options.Nic == DeviceOptions.TapNicName)
        {
            TapNic tap = OpenTap(options.TapName!, options);
            return new DeviceLink(tap, $"TAP {tap.Name}", tap);
        }
        if (options.Nic == DeviceOptions.Enc28j60NicName && options.ChipEmulator && options.TapName is string wireName)
        {
            TapNic wire = OpenTap(wireName, options);
            try
            {
                Enc28j60 driver = EmulatedEnc28j60.Attach(wire, options.MacAddress, TimeProvider.System, loggers, holdWhileFull: true);
                return new DeviceLink(driver, $"an emulated ENC28J60 wired to TAP {wire.Name}", driver, wire);
            }
            catch
            {
                wire.Dispose();
                throw;
            }
        }
        if (options.Nic == DeviceOptions.Cyw43NicName && options.ChipEmulator && options.TapName is string airName)
        {
            Cyw43Firmware images = Cyw43Startup.LoadFirmware(options);
            TapNic air = OpenTap(airName, options);
            try
            {
                Cyw43439 driver = EmulatedCyw43439.Attach(air, options, TimeProvider.System, loggers);
                return Started(driver, images, options, $"an emulated CYW43439 joined to '{options.WifiSsid}', its air on TAP {air.Name}", air);
            }
            catch
            {
                air.Dispose();
                throw;
            }
        }
        if (options.Nic == DeviceOptions.Cyw43NicName && !options.ChipEmulator)
        {
            string ssid = Cyw43Startup.RequireSsid(options);
            Cyw43Firmware firmware = Cyw43Startup.LoadFirmware(options);
            Cyw43439 chip = Cyw43Startup.OpenHardware(options, loggers);
            return Started(chip, firmware, options, $"CYW43439 on {Cyw43Startup.BusDescription(options)} joined to '{ssid}'");
        }
        if (options.Nic == DeviceOptions.Enc28j60NicName && !options.ChipEmulator)
        {
            Enc28j60 chip = OpenEnc28j60(options, loggers);
            return new DeviceLink(chip, $"ENC28J60 rev {chip.Revision:X2}h on SPI bus {options.SpiBus}, chip select {options.SpiChipSelect}", chip);
        }
        if (options.Nic == DeviceOptions.SerialNicName)
        {
            SerialNic serial = OpenSerial(options.SerialPortPath!, options.BaudRate, options.MacAddress);
            return new DeviceLink(serial, $"serial port {serial.Name} at {options.BaudRate} baud", serial);
        }
        throw new InvalidOperationException($"--nic {options.Nic} runs on the simulated LAN, not on a device link.");
    }

    public void Dispose()
    {
        foreach (IDisposable owned in _owned)
            owned.Dispose();
    }

    /// <summary>Boots <paramref name="driver"/> and joins the network; on failure disposes it (and <paramref name="others"/> are the caller's).</summary>
    private static DeviceLink Started(Cyw43439 driver, Cyw43Firmware firmware, DeviceOptions options, string description, params IDisposable[] others)
    {
        try
        {
            Cyw43Startup.Start(driver, firmware, options);
        }
        catch
        {
            driver.Dispose();
            throw;
        }
        return new DeviceLink(driver, description, [driver, .. others]) { WifiChip = driver };
    }

    private static TapNic OpenTap(string name, DeviceOptions options)
    {
        try
        {
            // The emulated chip's wire is a cable, not a station: the MAC is the driver's.
            return TapNic.Open(name, options.ChipEmulator ? null : options.MacAddress);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or InvalidOperationException)
        {
            throw new DeviceStartException(e.Message, e);
        }
    }

    /// <exception cref="DeviceStartException">The port could not be opened; the message says which and why.</exception>
    internal static SerialNic OpenSerial(string port, int baudRate, Wire.MacAddress? macAddress)
    {
        try
        {
            return SerialNic.Open(port, baudRate, macAddress);
        }
        catch (Exception e) when (IsOpenFailure(e))
        {
            throw new DeviceStartException($"Cannot open serial port {port} at {baudRate} baud: {OneLine(e.Message)}", e);
        }
    }

    /// <summary>Opens <c>/dev/spidevB.C</c> and the pins through the driver's System.Device constructor, which checks the chip answers.</summary>
    private static Enc28j60 OpenEnc28j60(DeviceOptions options, ILoggerFactory loggers)
    {
        string bus = $"SPI bus {options.SpiBus}, chip select {options.SpiChipSelect}";
        string spidev = $"/dev/spidev{options.SpiBus}.{options.SpiChipSelect}";
        if (OperatingSystem.IsLinux() && !File.Exists(spidev))
            throw new DeviceStartException($"No SPI device {spidev} for the ENC28J60 on {bus}: enable SPI (dtparam=spi=on in /boot/firmware/config.txt, then reboot) or give the --spi-bus and --spi-cs of an existing /dev/spidevB.C.");
        SpiDevice spi;
        try
        {
            spi = SpiDevice.Create(new SpiConnectionSettings(options.SpiBus, options.SpiChipSelect)
            {
                ClockFrequency = options.SpiClockFrequency,
                Mode = Enc28j60.SpiMode,
            });
        }
        catch (Exception e) when (IsOpenFailure(e))
        {
            throw new DeviceStartException($"Cannot open the ENC28J60's {bus}: {OneLine(e.Message)}", e);
        }
        try
        {
            return new Enc28j60(spi, options.InterruptPin, options.ResetPin, gpioController: null, shouldDispose: true,
                new Enc28j60Options { MacAddress = options.MacAddress, BusName = bus }, loggers.CreateLogger<Enc28j60>());
        }
        catch (ChipNotRespondingException e)
        {
            throw new DeviceStartException(e.Message, e);
        }
        catch (Exception e) when (IsOpenFailure(e))
        {
            throw new DeviceStartException($"Cannot start the ENC28J60 on {bus} (INT GPIO {options.InterruptPin}, RESET GPIO {options.ResetPin}): {OneLine(e.Message)}", e);
        }
    }

    internal static bool IsOpenFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or PlatformNotSupportedException or NotSupportedException or InvalidOperationException or ArgumentException;

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
