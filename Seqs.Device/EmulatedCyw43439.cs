using Microsoft.Extensions.Logging;
using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Hal;
using Seqs.Wire;

namespace Seqs.Device;

/// <summary>
/// <c>--nic cyw43 --chip-emulator</c>: the CYW43439 driver, WL_REG_ON and host wake wired, against a
/// <see cref="Cyw43Emulator"/> that sees <see cref="DeviceOptions.EmulatorAccessPoints"/> and whose air side is a TAP
/// or a simulated cable.
/// </summary>
internal static class EmulatedCyw43439
{
    /// <summary>The emulated chip's MAC address when <c>--mac</c> gives none (locally administered).</summary>
    internal static readonly MacAddress DefaultMacAddress = MacAddress.Parse("02:53:45:51:57:02");

    /// <summary>
    /// Creates the chip with its air side on <paramref name="air"/> and the driver on the chip, not yet booted. The
    /// driver is the stack's NIC; disposing it leaves <paramref name="air"/> to its owner.
    /// </summary>
    /// <param name="time">The clock of the loop the stack runs on: the system's, or the simulation's.</param>
    public static Cyw43439 Attach(IEthernetNic air, DeviceOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var chip = new Cyw43Emulator(time) { MacAddress = options.MacAddress ?? DefaultMacAddress };
        foreach (EmulatedAccessPoint accessPoint in options.EmulatorAccessPoints)
            chip.AccessPoints.Add(accessPoint);
        chip.Attach(air);
        return new Cyw43439(new FullDuplexCyw43Bus(chip), chip.PowerLine, chip.HostWakeLine,
            new Cyw43Options { TimeProvider = time, BusName = chip.ToString() }, loggers.CreateLogger<Cyw43439>());
    }
}
