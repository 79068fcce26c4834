using Microsoft.Extensions.Configuration;
using Seqs.Device;
using Seqs.Device.HostNics;
using Seqs.Device.Nics;

namespace Seqs.Tests.Device;

/// <summary><c>--nic serial --serial-port PATH [--baud N]</c> and their configuration keys.</summary>
[TestFixture]
public sealed class DeviceOptionsSerialTests
{
    private static SerialNicOptions Line(DeviceOptions options) => options.NicOptions<SerialNicOptions>();

    [Test]
    public void SerialCommandLine_IsParsed()
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "serial", "--serial-port", "/dev/ttyUSB0", "--baud", "921600", "--dhcp"], out DeviceOptions options, out string error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(options.Nic, Is.EqualTo("serial"));
            Assert.That(Line(options).PortPath, Is.EqualTo("/dev/ttyUSB0"));
            Assert.That(Line(options).BaudRate, Is.EqualTo(921600));
            Assert.That(options.IsSimulated, Is.False);
        });
    }

    [Test]
    public void Baud_DefaultsTo115200()
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "serial", "--serial-port", "/dev/ttyAMA0", "--ip", "10.0.0.2/24"], out DeviceOptions options, out string error), Is.True, error);
        Assert.That(Line(options).BaudRate, Is.EqualTo(SerialNic.DefaultBaudRate).And.EqualTo(115200));
    }

    [Test]
    public void SerialKeys_ComeFromConfigurationLikeTheOthers()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Nic"] = "serial",
            ["SerialPort"] = "/dev/ttyS1",
            ["Baud"] = "57600",
            ["Ip"] = "10.0.0.2/24",
        }).Build();
        Assert.That(DeviceOptions.TryRead(configuration, out DeviceOptions options, out string error), Is.True, error);
        Assert.That((Line(options).PortPath, Line(options).BaudRate), Is.EqualTo(("/dev/ttyS1", 57600)));
    }

    [TestCase(new[] { "--nic", "serial", "--ip", "10.0.0.2/24" }, "--nic serial needs --serial-port PATH, such as --serial-port /dev/ttyUSB0.")]
    [TestCase(new[] { "--nic", "serial", "--serial-port", "/dev/ttyUSB0", "--baud", "fast", "--ip", "10.0.0.2/24" }, "--baud 'fast' is not a baud rate; give a whole number of 1 or more, such as --baud 115200.")]
    [TestCase(new[] { "--nic", "serial", "--serial-port", "/dev/ttyUSB0", "--baud", "0", "--ip", "10.0.0.2/24" }, "--baud '0' is not a baud rate; give a whole number of 1 or more, such as --baud 115200.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--serial-port", "/dev/ttyUSB0" }, "--serial-port applies only to --nic serial, not to --nic tap.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--baud", "9600" }, "--baud applies only to --nic serial, not to --nic tap.")]
    [TestCase(new[] { "--nic", "serial", "--serial-port", "/dev/ttyUSB0" }, "--nic serial needs --ip A.B.C.D/N (for example --ip 10.0.0.2/24) or --dhcp.")]
    public void BadSerialOptions_AreRefusedWithOneLineThatSaysWhatToFix(string[] args, string expected)
    {
        Assert.That(DeviceOptions.TryParse(args, out _, out string error), Is.False);
        Assert.That(error, Is.EqualTo(expected));
    }
}
