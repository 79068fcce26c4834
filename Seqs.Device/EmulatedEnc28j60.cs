using Microsoft.Extensions.Logging;
using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Emulation;
using Seqs.Hal;
using Seqs.Wire;

namespace Seqs.Device;

/// <summary>
/// <c>--nic enc28j60 --chip-emulator</c>: the ENC28J60 driver, INT and RESET wired, against an
/// <see cref="Enc28j60Emulator"/> whose RJ45 side is a TAP or a simulated cable.
/// </summary>
internal static class EmulatedEnc28j60
{
    /// <summary>
    /// Creates the chip with its wire on <paramref name="wire"/> and the driver on the chip. The driver is the stack's
    /// NIC; disposing it leaves <paramref name="wire"/> to its owner.
    /// </summary>
    /// <param name="time">The clock of the loop the stack runs on: the system's, or the simulation's.</param>
    /// <param name="holdWhileFull">For a wire faster than 10BASE-T (a TAP): see <see cref="Enc28j60Emulator.HoldFramesWhileFull"/>.</param>
    public static Enc28j60 Attach(IEthernetNic wire, MacAddress? macAddress, TimeProvider time, ILoggerFactory loggers, bool holdWhileFull)
    {
        var chip = new Enc28j60Emulator { HoldFramesWhileFull = holdWhileFull };
        chip.Attach(wire);
        return new Enc28j60(chip, chip.InterruptLine, chip.ResetLine, new Enc28j60Options
        {
            MacAddress = macAddress,
            TimeProvider = time,
            BusName = chip.ToString(),
        }, loggers.CreateLogger<Enc28j60>());
    }
}
