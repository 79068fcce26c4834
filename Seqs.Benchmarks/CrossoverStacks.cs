using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Benchmarks;

/// <summary>
/// Two stacks, A (10.0.0.1) and B (10.0.0.2), on a <see cref="CrossoverNic"/> pair with one virtual clock: a link
/// that costs nothing, so a benchmark over it measures the stacks alone. Turns are taken by calling each loop's
/// <see cref="NetLoop.RunOnce"/>.
/// </summary>
internal sealed class CrossoverStacks
{
    public CrossoverStacks(int ringFrames = 8)
    {
        var clock = new VirtualClock();
        (NicA, CrossoverNic b) = CrossoverNic.CreatePair(SimulatedPair.MacA, SimulatedPair.MacB, ringFrames: ringFrames);
        A = new NetStack(new NetLoop(clock), NicA, randomSeed: 1);
        B = new NetStack(new NetLoop(clock), b, randomSeed: 2);
        A.Configure(new Ipv4Cidr(SimulatedPair.AddressA, 24));
        B.Configure(new Ipv4Cidr(SimulatedPair.AddressB, 24));
    }

    public CrossoverNic NicA { get; }

    public NetStack A { get; }

    public NetStack B { get; }
}
