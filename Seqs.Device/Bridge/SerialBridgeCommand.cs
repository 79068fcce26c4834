using System.Globalization;
using System.Runtime.InteropServices;
using Seqs.Device.HostNics;
using Seqs.Device.Nics;

namespace Seqs.Device.Bridge;

/// <summary>
/// <c>seqs-device bridge --serial PORT --tap-name NAME [--baud N]</c>: joins a serial port that carries SLIP-framed
/// Ethernet (<see cref="SerialNic"/>) to a Linux TAP, so a device on the serial line reaches the kernel's network.
/// Runs until SIGINT or SIGTERM (exit 0); exits 1 when a side cannot be opened or its link goes down, 2 for a bad
/// command line.
/// </summary>
internal static class SerialBridgeCommand
{
    public const string Name = "bridge";

    private const string SerialOption = "--serial", TapNameOption = "--tap-name", BaudOption = "--baud";

    private static readonly CommandLineSwitch[] Switches =
    [
        new(SerialOption, "Serial", "--serial /dev/ttyUSB0"),
        new(TapNameOption, "TapName", "--tap-name tap0"),
        new(BaudOption, "Baud", "--baud 115200"),
    ];

    public static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        if (!DeviceCommandLine.TryRead(args, Switches, out Dictionary<string, string?> values, out string error))
            return Refuse(errors, error);
        if (values.GetValueOrDefault("Serial") is not { } port)
            return Refuse(errors, $"bridge needs {SerialOption} PORT, such as {Switches[0].Example}.");
        if (values.GetValueOrDefault("TapName") is not { } tapName)
            return Refuse(errors, $"bridge needs {TapNameOption} NAME, such as {Switches[1].Example}.");
        int baudRate = SerialNic.DefaultBaudRate;
        if (values.GetValueOrDefault("Baud") is { } baudText
            && (!int.TryParse(baudText, NumberStyles.None, CultureInfo.InvariantCulture, out baudRate) || baudRate < 1))
            return Refuse(errors, $"{BaudOption} '{baudText}' is not a baud rate; give a whole number of 1 or more, such as {Switches[2].Example}.");

        SerialNic serial;
        TapNic tap;
        try
        {
            serial = SerialNicKind.OpenPort(port, baudRate, macAddress: null);
        }
        catch (DeviceStartException e)
        {
            errors.WriteLine($"seqs: {e.Message}");
            return 1;
        }
        using (serial)
        {
            try
            {
                tap = TapNic.Open(tapName);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException or ArgumentException)
            {
                errors.WriteLine($"seqs: {e.Message}");
                return 1;
            }
            using (tap)
                return Bridge(serial, tap, baudRate, output, errors);
        }
    }

    private static int Bridge(SerialNic serial, TapNic tap, int baudRate, TextWriter output, TextWriter errors)
    {
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var bridge = new FrameBridge(serial, tap);
        output.WriteLine($"Bridging serial port {serial.Name} at {baudRate} baud to TAP {tap.Name}; Ctrl+C stops.");
        output.Flush();
        bool stopped = bridge.Run(stop.Token);
        output.WriteLine($"{bridge.FirstToSecondFrames} frames serial to TAP, {bridge.SecondToFirstFrames} TAP to serial; " +
            $"{serial.CrcErrors} CRC errors, {serial.OversizeFrames} oversize, {serial.ReceiveDrops} received and {serial.TransmitDrops} sent frames dropped on the serial side.");
        if (stopped)
            return 0;
        errors.WriteLine($"seqs: the link of {(serial.IsLinkUp ? $"TAP {tap.Name}" : $"serial port {serial.Name}")} went down; the bridge stops.");
        return 1;
    }

    private static int Refuse(TextWriter errors, string problem)
    {
        errors.WriteLine($"seqs: {problem}");
        return 2;
    }
}
