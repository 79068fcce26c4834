using Seqs.Scheduling;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Simulation;

/// <summary>
/// Two stacks, A (10.0.0.1) and B (10.0.0.2) on 10.0.0.0/24, joined by a cable, each on its own loop in one
/// <see cref="NetworkSimulation"/>: the smallest network, for tests, benchmarks and examples.
/// </summary>
public sealed class SimulatedPair : IDisposable
{
    public static readonly Ipv4Address AddressA = new(10, 0, 0, 1);
    public static readonly Ipv4Address AddressB = new(10, 0, 0, 2);
    public static readonly MacAddress MacA = new(0x02_00_00_00_00_01);
    public static readonly MacAddress MacB = new(0x02_00_00_00_00_02);

    public SimulatedPair(LinkFaults? faults = null, NetStackOptions? options = null)
    {
        Simulation = new NetworkSimulation();
        NicA = new VirtualNic(MacA);
        NicB = new VirtualNic(MacB);
        Link = Simulation.Connect(NicA, NicB, faults);
        A = new NetStack(Simulation.CreateLoop(), NicA, options, randomSeed: 1);
        B = new NetStack(Simulation.CreateLoop(), NicB, options, randomSeed: 2);
        A.Configure(new Ipv4Cidr(AddressA, 24));
        B.Configure(new Ipv4Cidr(AddressB, 24));
        Simulation.RunFor(TimeSpan.Zero);
    }

    public NetworkSimulation Simulation { get; }

    public VirtualLink Link { get; }

    public VirtualNic NicA { get; }

    public VirtualNic NicB { get; }

    public NetStack A { get; }

    public NetStack B { get; }

    public NetLoop LoopA => A.Loop;

    public NetLoop LoopB => B.Loop;

    /// <summary>Puts <paramref name="frame"/> on the cable as if A's NIC sent it, then runs until the network is quiet.</summary>
    public void SendFromA(ReadOnlySpan<byte> frame)
    {
        NicA.TryTransmit(frame);
        Simulation.RunFor(TimeSpan.Zero);
    }

    public void Dispose() => Simulation.Dispose();
}
