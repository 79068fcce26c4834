using Microsoft.Extensions.Logging;
using Seqs.Device.HostNics;
using Seqs.Device.Web;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Device.Nics;

/// <summary>
/// <c>--nic serial --serial-port PATH [--baud N]</c>: SLIP-framed Ethernet on a serial line (<see cref="SerialNic"/>).
/// </summary>
internal sealed class SerialNicKind : INicKind
{
    public string Name => "serial";

    public IReadOnlyList<CommandLineSwitch> Switches => SerialNicOptions.Switches;

    public bool TryReadOptions(GivenSwitches given, out object? options, out string error)
    {
        bool read = SerialNicOptions.TryRead(given, out SerialNicOptions? line, out error);
        options = line;
        return read;
    }

    public OpenedNic Open(DeviceOptions options, ILoggerFactory loggers)
    {
        SerialNicOptions line = options.NicOptions<SerialNicOptions>();
        SerialNic serial = OpenPort(line.PortPath, line.BaudRate, options.MacAddress);
        return new OpenedNic(serial, $"serial port {serial.Name} at {line.BaudRate} baud", status => ReadCounters(serial, status), serial);
    }

    public OpenedNic OpenOnSimulatedLan(VirtualNic cable, NetworkSimulation simulation, DeviceOptions options, ILoggerFactory loggers) =>
        throw new InvalidOperationException($"--nic {Name} runs on a serial port, not on the simulated LAN.");

    /// <exception cref="DeviceStartException">The port could not be opened; the message says which and why.</exception>
    public static SerialNic OpenPort(string port, int baudRate, MacAddress? macAddress)
    {
        try
        {
            return SerialNic.Open(port, baudRate, macAddress);
        }
        catch (Exception e) when (DeviceStartException.IsOpenFailure(e))
        {
            throw new DeviceStartException($"Cannot open serial port {port} at {baudRate} baud: {DeviceStartException.OneLine(e.Message)}", e);
        }
    }

    private static void ReadCounters(SerialNic serial, NicStatus status)
    {
        status.FramesReceived = serial.ReceivedFrames;
        status.FramesTransmitted = serial.TransmittedFrames;
        status.ReceiveErrors = serial.CrcErrors + serial.OversizeFrames + serial.ReceiveDrops;
        status.TransmitErrors = serial.TransmitDrops;
    }
}
