using Microsoft.Extensions.Logging;
using Seqs.Simulation;

namespace Seqs.Device.Nics;

/// <summary>
/// <c>--nic sim</c>, the default: the device on the simulated LAN (<see cref="SimulatedDevice"/>) with no TAP and no
/// hardware, its NIC the ENC28J60 driver on the chip's emulator.
/// </summary>
internal sealed class SimulatedNicKind : INicKind
{
    private static readonly Enc28j60NicKind Chip = new();

    public string Name => "sim";

    public OpenedNic Open(DeviceOptions options, ILoggerFactory loggers) =>
        throw new InvalidOperationException($"--nic {Name} runs on the simulated LAN, not on a device link.");

    public OpenedNic OpenOnSimulatedLan(VirtualNic cable, NetworkSimulation simulation, DeviceOptions options, ILoggerFactory loggers) =>
        Chip.OpenOnSimulatedLan(cable, simulation, options, loggers);
}
