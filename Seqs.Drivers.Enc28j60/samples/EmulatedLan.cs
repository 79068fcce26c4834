using Seqs.Drivers.Enc28j60.Emulation;
using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Drivers.Enc28j60.Samples;

/// <summary>
/// <c>--emulator</c>: the driver on the chip emulator, whose RJ45 side is cabled (1 ms, 10 Mbit/s) to a simulated peer,
/// a second Seqs stack that answers ping. All of it runs in virtual time, driven by <see cref="RunUntilCompleted"/>.
/// </summary>
internal sealed class EmulatedLan : IDisposable
{
    private static readonly MacAddress ChipMac = MacAddress.Parse("02:53:45:51:00:01");
    private static readonly MacAddress PeerMac = MacAddress.Parse("02:53:45:51:00:02");
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private readonly NetworkSimulation _simulation = new();

    public EmulatedLan(Ipv4Cidr peerAddress)
    {
        var wire = new VirtualNic(ChipMac);
        var peerNic = new VirtualNic(PeerMac);
        _simulation.Connect(wire, peerNic, new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1), BitsPerSecond = 10_000_000 });
        var chip = new Enc28j60Emulator();
        chip.Attach(wire);
        Driver = new Enc28j60(chip, chip.InterruptLine, chip.ResetLine, new Enc28j60Options { MacAddress = ChipMac, TimeProvider = Clock });
        new NetStack(_simulation.CreateLoop(), peerNic).Configure(peerAddress);
    }

    /// <summary>The driver; the caller disposes it.</summary>
    public Enc28j60 Driver { get; }

    public TimeProvider Clock => _simulation.Clock;

    /// <summary>Lets the simulation run <paramref name="loop"/>, which must be on <see cref="Clock"/>; the caller disposes it.</summary>
    public void Drive(NetLoop loop) => _simulation.AddLoop(loop);

    /// <summary>Runs the network in virtual time until <paramref name="task"/> ends (at most a minute of it).</summary>
    public T RunUntilCompleted<T>(Task<T> task)
    {
        if (!_simulation.RunUntil(() => task.IsCompleted, Patience))
            throw new TimeoutException($"Still waiting after {Patience} of virtual time.");
        return task.GetAwaiter().GetResult();
    }

    public void Dispose() => _simulation.Dispose();
}
