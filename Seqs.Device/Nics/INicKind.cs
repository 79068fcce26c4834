using Microsoft.Extensions.Logging;
using Seqs.Device.Diagnostics;
using Seqs.Simulation;

namespace Seqs.Device.Nics;

/// <summary>
/// One kind of NIC the device runs on, as <c>--nic</c> names it: its switches and how it reads them, how it opens
/// and how the status page reports it (<see cref="OpenedNic"/>). <see cref="NicKinds.All"/> lists every kind, so a
/// new chip is one class that implements this and one entry there.
/// </summary>
internal interface INicKind
{
    /// <summary>What <c>--nic</c> calls the kind: "tap", "enc28j60".</summary>
    string Name { get; }

    /// <summary>
    /// The switches the kind reads, in the order of the help. A switch two kinds read (<c>--spi-bus</c>) is in both
    /// lists; the device refuses each switch for the kinds that do not read it. None unless the kind says otherwise.
    /// </summary>
    IReadOnlyList<CommandLineSwitch> Switches => [];

    /// <summary>True when the kind's driver also runs against its chip's emulator (<c>--chip-emulator</c>).</summary>
    bool HasChipEmulator => false;

    /// <summary>
    /// The NIC's own LED, which <c>/api/led</c> switches instead of a <c>--led-pin</c> ("the CYW43439's own LED on its
    /// GPIO 0"); null when it has none.
    /// </summary>
    string? OwnLed => null;

    /// <summary>The kind's hardware checks for <c>seqs-device doctor</c>; null for a kind without a chip to check.</summary>
    IWiringDoctor? Doctor => null;

    /// <summary>
    /// Reads <see cref="Switches"/> once <c>--nic</c> has picked the kind. On true, <paramref name="options"/> is the
    /// kind's own record (null for a kind without switches), kept as <see cref="DeviceOptions.NicOptions{T}"/>; on
    /// false, <paramref name="error"/> is one line that says what to fix. A kind without switches has nothing to read.
    /// </summary>
    bool TryReadOptions(GivenSwitches given, out object? options, out string error)
    {
        options = null;
        error = "";
        return true;
    }

    /// <summary>
    /// Opens the NIC in real time as <paramref name="options"/> say: the TAP, the port, the chip, or with
    /// <c>--chip-emulator</c> the driver on the chip's emulator wired to <see cref="DeviceOptions.TapName"/>.
    /// </summary>
    /// <exception cref="DeviceStartException">The NIC could not be opened; the message says what to fix.</exception>
    OpenedNic Open(DeviceOptions options, ILoggerFactory loggers);

    /// <summary>
    /// Opens the NIC on <paramref name="cable"/>, a port of the simulated LAN, in the virtual time of
    /// <paramref name="simulation"/>: what the device runs on when <see cref="DeviceOptions.IsSimulated"/>.
    /// </summary>
    /// <exception cref="DeviceStartException">The NIC could not be started; the message says what went wrong.</exception>
    OpenedNic OpenOnSimulatedLan(VirtualNic cable, NetworkSimulation simulation, DeviceOptions options, ILoggerFactory loggers);
}
