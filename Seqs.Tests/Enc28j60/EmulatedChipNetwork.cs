using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Emulation;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tests.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Enc28j60;

/// <summary>
/// Stack A (10.0.0.1) on the ENC28J60 driver on the emulated chip, whose RJ45 side is a VirtualNic cabled to stack
/// B (10.0.0.2), all in one NetworkSimulation in virtual time.
/// </summary>
internal sealed class EmulatedChipNetwork : IDisposable
{
    public EmulatedChipNetwork(bool interruptLine = true, LinkFaults? faults = null)
    {
        Simulation = new NetworkSimulation();
        Chip = new Enc28j60Emulator();
        ChipPort = new VirtualNic(SimulatedPair.MacA);
        NicB = new VirtualNic(SimulatedPair.MacB);
        Simulation.Connect(ChipPort, NicB, faults);
        Chip.Attach(ChipPort);
        Driver = new Drivers.Enc28j60.Enc28j60(Chip, interruptLine ? Chip.InterruptLine : null, Chip.ResetLine, new Enc28j60Options
        {
            MacAddress = SimulatedPair.MacA,
            TimeProvider = Simulation.Clock,
        });
        A = new NetStack(Simulation.CreateLoop(), Driver, randomSeed: 1);
        B = new NetStack(Simulation.CreateLoop(), NicB, randomSeed: 2);
        A.Configure(new Ipv4Cidr(SimulatedPair.AddressA, 24));
        B.Configure(new Ipv4Cidr(SimulatedPair.AddressB, 24));
        Simulation.RunFor(TimeSpan.Zero);
    }

    public NetworkSimulation Simulation { get; }

    public Enc28j60Emulator Chip { get; }

    public VirtualNic ChipPort { get; }

    public VirtualNic NicB { get; }

    public Drivers.Enc28j60.Enc28j60 Driver { get; }

    public NetStack A { get; }

    public NetStack B { get; }

    public PingReply Ping(NetStack from, Ipv4Address to, int dataLength = 56) => SimulatedTraffic.Ping(Simulation, from, to, dataLength);

    /// <summary>Puts a frame on the cable as if B sent it, then lets the network settle.</summary>
    public void SendFromB(ReadOnlySpan<byte> frame) => SimulatedTraffic.Send(Simulation, NicB, frame);

    public void Dispose()
    {
        Simulation.Dispose();
        Driver.Dispose();
    }
}
