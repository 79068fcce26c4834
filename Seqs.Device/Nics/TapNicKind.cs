using Microsoft.Extensions.Logging;
using Seqs.Device.HostNics;
using Seqs.Device.Web;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Device.Nics;

/// <summary>
/// <c>--nic tap --tap-name NAME [--tap-offload true|false] [--spin-us N]</c>: a Linux TAP interface
/// (<see cref="TapNic"/>), by default on its fast path (<see cref="TapNicOptions"/>). <c>--tap-name</c> is the
/// device's, since the chip emulators' wires use it too.
/// </summary>
internal sealed partial class TapNicKind : INicKind
{
    public string Name => "tap";

    public IReadOnlyList<CommandLineSwitch> Switches => TapNicOptions.Switches;

    public bool TryReadOptions(GivenSwitches given, out object? options, out string error)
    {
        bool read = TapNicOptions.TryRead(given, out TapNicOptions? fastPath, out error);
        options = fastPath;
        return read;
    }

    public OpenedNic Open(DeviceOptions options, ILoggerFactory loggers)
    {
        TapNicOptions fastPath = options.NicOptions<TapNicOptions>();
        TapNic tap = fastPath.Offload ? OpenWithOffload(options.TapName!, options.MacAddress, loggers) : OpenTap(options.TapName!, options.MacAddress);
        return new OpenedNic(tap, $"TAP {tap.Name}", status => ReadCounters(tap, status), tap) { SpinBeforeSleep = fastPath.SpinBeforeSleep };
    }

    public OpenedNic OpenOnSimulatedLan(VirtualNic cable, NetworkSimulation simulation, DeviceOptions options, ILoggerFactory loggers) =>
        throw new InvalidOperationException($"--nic {Name} runs on a TAP, not on the simulated LAN.");

    /// <summary>Creates or attaches to TAP <paramref name="name"/>: the stack's NIC, or an emulated chip's wire (then with no MAC of its own).</summary>
    /// <exception cref="DeviceStartException">The TAP could not be opened; the message says why.</exception>
    public static TapNic OpenTap(string name, MacAddress? macAddress, bool offload = false)
    {
        try
        {
            return TapNic.Open(name, macAddress, offload);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or InvalidOperationException)
        {
            throw new DeviceStartException(e.Message, e);
        }
    }

    /// <summary>
    /// The TAP with its offloads, or where the kernel refuses them (a TUN/TAP driver without IFF_VNET_HDR or
    /// TUNSETOFFLOAD) with standard frames and a warning that says so; a TAP that cannot be opened at all fails as
    /// <see cref="OpenTap"/> says.
    /// </summary>
    private static TapNic OpenWithOffload(string name, MacAddress? macAddress, ILoggerFactory loggers)
    {
        try
        {
            return TapNic.Open(name, macAddress, offload: true);
        }
        catch (IOException refused)
        {
            TapNic tap = OpenTap(name, macAddress);
            Log.OffloadRefused(loggers.CreateLogger("Seqs.Device"), tap.Name, refused.Message);
            return tap;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or InvalidOperationException)
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

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "TAP {Tap} runs with standard frames: the kernel refused its offloads ({Reason}); --tap-offload false says so without this warning")]
        public static partial void OffloadRefused(ILogger logger, string tap, string reason);
    }
}
