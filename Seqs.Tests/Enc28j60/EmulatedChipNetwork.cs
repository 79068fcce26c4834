using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Emulation;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Enc28j60;

/// <summary>
/// Stack A (10.0.0.1) on the ENC28J60 driver on the emulated chip, whose RJ45 side is a VirtualNic cabled to stack
/// B (10.0.0.2), all in one NetworkSimulation in virtual time.
/// </summary>
internal sealed class EmulatedChipNetwork : DriverOnSimulatedLink
{
    public EmulatedChipNetwork(bool interruptLine = true, LinkFaults? faults = null)
        : base(faults)
    {
        Chip = new Enc28j60Emulator();
        Chip.Attach(ChipPort);
        Driver = new Drivers.Enc28j60.Enc28j60(Chip, interruptLine ? Chip.InterruptLine : null, Chip.ResetLine, new Enc28j60Options
        {
            MacAddress = SimulatedPair.MacA,
            TimeProvider = Simulation.Clock,
        });
        StartStacks(Driver);
    }

    public Enc28j60Emulator Chip { get; }

    public Drivers.Enc28j60.Enc28j60 Driver { get; }

    public override void Dispose()
    {
        base.Dispose();
        Driver.Dispose();
    }
}
