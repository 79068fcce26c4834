using Seqs.Hal;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Support;

/// <summary>
/// A driver-over-emulator network: stack A (10.0.0.1) on a chip driver whose wire side is <see cref="ChipPort"/>,
/// cabled to stack B (10.0.0.2) on <see cref="NicB"/>, all in one <see cref="NetworkSimulation"/> in virtual time.
/// A derived fixture makes its chip and driver on <see cref="ChipPort"/>, then calls <see cref="StartStacks"/>.
/// </summary>
internal abstract class DriverOnSimulatedLink : IDisposable
{
    protected DriverOnSimulatedLink(LinkFaults? faults)
    {
        Simulation = new NetworkSimulation();
        ChipPort = new VirtualNic(SimulatedPair.MacA);
        NicB = new VirtualNic(SimulatedPair.MacB);
        Simulation.Connect(ChipPort, NicB, faults);
    }

    public NetworkSimulation Simulation { get; }

    /// <summary>The chip's wire (or air) side.</summary>
    public VirtualNic ChipPort { get; }

    public VirtualNic NicB { get; }

    public NetStack A { get; private set; } = null!;

    public NetStack B { get; private set; } = null!;

    public PingReply Ping(NetStack from, Ipv4Address to, int dataLength = 56)
    {
        Task<PingReply> ping = from.Loop.InvokeAsync(() => from.PingAsync(to, TimeSpan.FromSeconds(1), dataLength));
        Assert.That(Simulation.RunUntil(() => ping.IsCompleted, TimeSpan.FromSeconds(5)), Is.True);
        return ping.Result;
    }

    /// <summary>Puts a frame on the cable as if B sent it, then lets the network settle.</summary>
    public void SendFromB(ReadOnlySpan<byte> frame)
    {
        NicB.TryTransmit(frame);
        Simulation.RunFor(TimeSpan.Zero);
    }

    public virtual void Dispose() => Simulation.Dispose();

    protected void StartStacks(IEthernetNic driver)
    {
        A = new NetStack(Simulation.CreateLoop(), driver, randomSeed: 1);
        B = new NetStack(Simulation.CreateLoop(), NicB, randomSeed: 2);
        A.Configure(new Ipv4Cidr(SimulatedPair.AddressA, 24));
        B.Configure(new Ipv4Cidr(SimulatedPair.AddressB, 24));
        Simulation.RunFor(TimeSpan.Zero);
    }
}
