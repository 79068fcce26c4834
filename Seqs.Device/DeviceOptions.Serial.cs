using Seqs.Device.HostNics;

namespace Seqs.Device;

public sealed partial class DeviceOptions
{
    private const string SerialPortOption = "--serial-port", BaudOption = "--baud";

    /// <summary>The serial port of <c>--nic serial</c>, such as <c>/dev/ttyUSB0</c>; null otherwise.</summary>
    public string? SerialPortPath { get; private set; }

    /// <summary>The serial line's bits per second; <see cref="SerialNic.DefaultBaudRate"/> unless <c>--baud</c> says otherwise.</summary>
    public int BaudRate { get; private set; } = SerialNic.DefaultBaudRate;

    private bool TryReadSerial(Dictionary<string, string> values, out string error)
    {
        error = "";
        string? port = values.GetValueOrDefault(SerialPortOption);
        if (Nic != SerialNicName)
        {
            foreach (string option in new[] { SerialPortOption, BaudOption })
            {
                if (values.ContainsKey(option))
                    return Fail($"{option} applies only to --nic serial, not to --nic {Nic}.", out error);
            }
            return true;
        }
        if (port is null)
            return Fail("--nic serial needs --serial-port PATH, such as --serial-port /dev/ttyUSB0.", out error);
        if (!TryReadNumber(values, BaudOption, "a baud rate", 1, out int baud, out error))
            return false;
        SerialPortPath = port;
        if (values.ContainsKey(BaudOption))
            BaudRate = baud;
        return true;
    }
}
