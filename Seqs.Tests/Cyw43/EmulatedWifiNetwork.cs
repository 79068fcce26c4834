using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// Stack A (10.0.0.1) on the CYW43439 driver on the emulated chip, joined to the emulated access point "home",
/// whose network is a VirtualNic (the chip's air side) cabled to stack B (10.0.0.2); all in one NetworkSimulation
/// in virtual time, the driver's boot and join included.
/// </summary>
internal sealed class EmulatedWifiNetwork : DriverOnSimulatedLink
{
    public const string Ssid = "home";
    public const string Passphrase = "correct horse battery";

    public EmulatedWifiNetwork(bool interruptLine = true, LinkFaults? faults = null, Action<Cyw43Emulator>? configure = null)
        : base(faults)
    {
        Chip = new Cyw43Emulator(Simulation.Clock) { MacAddress = SimulatedPair.MacA };
        Chip.AccessPoints.Add(new EmulatedAccessPoint(Ssid, Passphrase));
        configure?.Invoke(Chip);
        Chip.Attach(ChipPort);
        Driver = new Cyw43439(new FullDuplexCyw43Bus(Chip), Chip.PowerLine, interruptLine ? Chip.HostWakeLine : null,
            new Cyw43Options { TimeProvider = Simulation.Clock });
        Run(Driver.InitializeAsync(SyntheticFirmware.Small()));
        Assert.That(Run(Driver.JoinAsync(Ssid, Passphrase)), Is.EqualTo(WifiJoinResult.Joined));
        StartStacks(Driver);
    }

    public Cyw43Emulator Chip { get; }

    /// <summary>The chip's radio side: frames to and from the access point's network.</summary>
    public VirtualNic Air => ChipPort;

    public Cyw43439 Driver { get; }

    public T Run<T>(Task<T> task)
    {
        Run((Task)task);
        return task.Result;
    }

    public void Run(Task task)
    {
        Assert.That(Simulation.RunUntil(() => task.IsCompleted, TimeSpan.FromSeconds(30)), Is.True, "still running after 30 s of virtual time");
        task.GetAwaiter().GetResult();
    }

    public override void Dispose()
    {
        base.Dispose();
        Driver.Dispose();
    }
}
