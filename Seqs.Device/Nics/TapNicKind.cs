using Microsoft.Extensions.Logging;
using Seqs.Device.HostNics;
using Seqs.Device.Web;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Device.Nics;

/// <summary>
/// <c>--nic tap --tap-name NAME</c>: a Linux TAP interface (<see cref="TapNic"/>). It has no switches of its own:
/// <c>--tap-name</c> is the device's, since the chip emulators' wires use it too.
/// </summary>
internal sealed class TapNicKind : INicKind
{
    public string Name => "tap";

    public OpenedNic Open(DeviceOptions options, ILoggerFactory loggers)
    {
        TapNic tap = OpenTap(options.TapName!, options.MacAddress);
        return new OpenedNic(tap, $"TAP {tap.Name}", status => ReadCounters(tap, status), tap);
    }

    public OpenedNic OpenOnSimulatedLan(VirtualNic cable, NetworkSimulation simulation, DeviceOptions options, ILoggerFactory loggers) =>
        throw new InvalidOperationException($"--nic {Name} runs on a TAP, not on the simulated LAN.");

    /// <summary>Creates or attaches to TAP <paramref name="name"/>: the stack's NIC, or an emulated chip's wire (then with no MAC of its own).</summary>
    /// <exception cref="DeviceStartException">The TAP could not be opened; the message says why.</exception>
    public static TapNic OpenTap(string name, MacAddress? macAddress)
    {
        try
        {
            return TapNic.Open(name, macAddress);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or InvalidOperationException)
        {
            throw new DeviceStartException(e.Message, e);
        }
    }

    private static void ReadCounters(TapNic tap, NicStatus status)
    {
        status.FramesReceived = tap.ReceivedFrames;
        status.FramesTransmitted = tap.TransmittedFrames;
        status.TransmitErrors = tap.DroppedFrames;
    }
}
