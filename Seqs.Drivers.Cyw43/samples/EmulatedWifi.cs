using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Drivers.Cyw43.Samples;

/// <summary>
/// <c>--emulator</c>: the driver on the chip emulator, which sees one access point; the access point's network is a
/// simulated cable (1 ms) to a peer, a second Seqs stack that answers ping. All of it runs in virtual time, driven by
/// <see cref="RunUntilCompleted"/>.
/// </summary>
internal sealed class EmulatedWifi : IDisposable
{
    private static readonly MacAddress ChipMac = MacAddress.Parse("02:53:45:51:00:01");
    private static readonly MacAddress PeerMac = MacAddress.Parse("02:53:45:51:00:02");
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private readonly NetworkSimulation _simulation = new();

    public EmulatedWifi(string ssid, string? passphrase, Ipv4Cidr peerAddress)
    {
        var air = new VirtualNic(ChipMac);
        var peerNic = new VirtualNic(PeerMac);
        _simulation.Connect(air, peerNic, new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1) });
        var chip = new Cyw43Emulator(Clock) { MacAddress = ChipMac };
        chip.AccessPoints.Add(new EmulatedAccessPoint(ssid, passphrase));
        chip.Attach(air);
        Driver = new Cyw43439(new FullDuplexCyw43Bus(chip), chip.PowerLine, chip.HostWakeLine, new Cyw43Options { TimeProvider = Clock });
        new NetStack(_simulation.CreateLoop(), peerNic).Configure(peerAddress);
    }

    /// <summary>The driver, not yet booted; the caller disposes it.</summary>
    public Cyw43439 Driver { get; }

    /// <summary>What the emulator boots: it takes any non-empty image in place of Infineon's, which Seqs may not ship.</summary>
    public Cyw43Firmware Firmware { get; } = new("SEQS"u8.ToArray(), "emulated=1\0"u8.ToArray(), "emulated CLM"u8.ToArray());

    public TimeProvider Clock => _simulation.Clock;

    /// <summary>Lets the simulation run <paramref name="loop"/>, which must be on <see cref="Clock"/>; the caller disposes it.</summary>
    public void Drive(NetLoop loop) => _simulation.AddLoop(loop);

    /// <summary>Runs the network in virtual time until <paramref name="task"/> ends (at most a minute of it).</summary>
    public void RunUntilCompleted(Task task)
    {
        if (!_simulation.RunUntil(() => task.IsCompleted, Patience))
            throw new TimeoutException($"Still waiting after {Patience} of virtual time.");
        task.GetAwaiter().GetResult();
    }

    public void Dispose() => _simulation.Dispose();
}
