using Seqs.Device.HostNics;

namespace Seqs.Device.Nics;

/// <summary>The serial line of <c>--nic serial</c>.</summary>
/// <param name="PortPath">The port, such as <c>/dev/ttyUSB0</c>.</param>
/// <param name="BaudRate">Bits per second; <see cref="SerialNic.DefaultBaudRate"/> unless <c>--baud</c> says otherwise.</param>
internal sealed record SerialNicOptions(string PortPath, int BaudRate)
{
    private const string PortOption = "--serial-port", BaudOption = "--baud";

    public static IReadOnlyList<CommandLineSwitch> Switches { get; } =
    [
        new(PortOption, "SerialPort", "--serial-port /dev/ttyUSB0"),
        new(BaudOption, "Baud", "--baud 115200"),
    ];

    public static bool TryRead(GivenSwitches given, out SerialNicOptions? options, out string error)
    {
        options = null;
        if (given.GetValueOrDefault(PortOption) is not string port)
            return DeviceOptions.Fail("--nic serial needs --serial-port PATH, such as --serial-port /dev/ttyUSB0.", out error);
        if (!given.TryReadNumber(BaudOption, "a baud rate", 1, SerialNic.DefaultBaudRate, out int baud, out error))
            return false;
        options = new SerialNicOptions(port, baud);
        return true;
    }
}
