using Seqs.Device;
using Seqs.Wire;

namespace Seqs.Tests.Device;

public sealed class DeviceOptionsTests
{
    [Test]
    public void NoArguments_SelectTheSimulatedNetwork()
    {
        Assert.That(DeviceOptions.TryParse([], out DeviceOptions options, out string error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(options.Nic, Is.EqualTo("sim"));
            Assert.That(options.TapName, Is.Null);
            Assert.That(options.Address, Is.Null);
            Assert.That(options.Gateway, Is.Null);
            Assert.That(options.PcapPath, Is.Null);
            Assert.That(options.MacAddress, Is.Null);
        });
    }

    [Test]
    public void FullTapCommandLine_IsParsed()
    {
        string[] args = ["--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--gateway", "10.0.0.1", "--pcap", "out.pcap", "--mac", "02:00:00:00:00:01"];

        Assert.That(DeviceOptions.TryParse(args, out DeviceOptions options, out string error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(options.Nic, Is.EqualTo("tap"));
            Assert.That(options.TapName, Is.EqualTo("tap0"));
            Assert.That(options.Address, Is.EqualTo(new Ipv4Cidr(new Ipv4Address(10, 0, 0, 2), 24)));
            Assert.That(options.Gateway, Is.EqualTo(new Ipv4Address(10, 0, 0, 1)));
            Assert.That(options.PcapPath, Is.EqualTo("out.pcap"));
            Assert.That(options.MacAddress, Is.EqualTo(new MacAddress(0x02_00_00_00_00_01)));
            Assert.That(error, Is.Empty);
        });
    }

    [Test]
    public void OptionEqualsValue_IsTheSameAsTwoArguments()
    {
        Assert.That(DeviceOptions.TryParse(["--nic=tap", "--tap-name=tap1", "--ip=192.168.7.2/30"], out DeviceOptions options, out string error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(options.TapName, Is.EqualTo("tap1"));
            Assert.That(options.Address?.PrefixLength, Is.EqualTo(30));
        });
    }

    [Test]
    public void SlashThirtyOne_AllowsBothAddresses() =>
        Assert.That(DeviceOptions.TryParse(["--ip", "10.0.0.0/31", "--gateway", "10.0.0.1"], out _, out string error), Is.True, error);

    [TestCase(new[] { "--nic", "tap", "--bogus", "1" }, "Unknown option '--bogus'; the options are --nic, --tap-name, --ip, --gateway, --pcap, --mac.")]
    [TestCase(new[] { "tap" }, "Unexpected argument 'tap': options start with --, such as --nic tap.")]
    [TestCase(new[] { "--nic", "wifi" }, "Unknown NIC 'wifi' for --nic; the known NICs are sim, tap.")]
    [TestCase(new[] { "--nic", "tap" }, "--nic tap needs --tap-name NAME, such as --tap-name tap0 (create it with: sudo ip tuntap add dev tap0 mode tap user $USER).")]
    [TestCase(new[] { "--tap-name", "tap0" }, "--tap-name applies only to --nic tap, not --nic sim.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "a-name-longer-than-15" }, "--tap-name 'a-name-longer-than-15' is not a Linux interface name; use 1 to 15 characters without '/' or spaces, such as tap0.")]
    [TestCase(new[] { "--ip", "10.0.0.2" }, "--ip '10.0.0.2' is not an IPv4 address with a prefix length; write it like 10.0.0.2/24.")]
    [TestCase(new[] { "--ip", "10.0.0.300/24" }, "--ip '10.0.0.300/24' is not an IPv4 address with a prefix length; write it like 10.0.0.2/24.")]
    [TestCase(new[] { "--ip", "10.0.0.0/24" }, "--ip 10.0.0.0/24 is the subnet's network address; give a host address such as 10.0.0.2/24.")]
    [TestCase(new[] { "--ip", "10.0.0.255/24" }, "--ip 10.0.0.255/24 is the subnet's broadcast address; give a host address such as 10.0.0.2/24.")]
    [TestCase(new[] { "--ip", "10.0.0.2/24", "--gateway", "10.0.0" }, "--gateway '10.0.0' is not an IPv4 address; write it like 10.0.0.1.")]
    [TestCase(new[] { "--ip", "10.0.0.2/24", "--gateway", "10.0.1.1" }, "--gateway 10.0.1.1 is outside the --ip subnet 10.0.0.0/24; a gateway must be on the stack's own subnet.")]
    [TestCase(new[] { "--ip", "10.0.0.2/24", "--gateway", "10.0.0.2" }, "--gateway 10.0.0.2 is the stack's own --ip address; give the router's address.")]
    [TestCase(new[] { "--gateway", "10.0.0.1" }, "--gateway 10.0.0.1 needs --ip, to say which subnet the gateway is on, such as --ip 10.0.0.2/24.")]
    [TestCase(new[] { "--mac", "02:00:00:00:00" }, "--mac '02:00:00:00:00' is not a MAC address; write six hex octets like 02:00:00:00:00:01.")]
    [TestCase(new[] { "--mac", "01:00:5e:00:00:01" }, "--mac 01:00:5e:00:00:01 is a group address (first octet odd); give a unicast MAC such as 02:00:00:00:00:01.")]
    [TestCase(new[] { "--ip" }, "--ip needs a value, such as --ip 10.0.0.2/24.")]
    [TestCase(new[] { "--nic", "--tap-name", "tap0" }, "--nic needs a value, such as --nic tap.")]
    [TestCase(new[] { "--pcap=" }, "--pcap needs a value, such as --pcap seqs.pcap.")]
    [TestCase(new[] { "--mac" }, "--mac needs a value, such as --mac 02:00:00:00:00:01.")]
    [TestCase(new[] { "--gateway" }, "--gateway needs a value, such as --gateway 10.0.0.1.")]
    [TestCase(new[] { "--tap-name" }, "--tap-name needs a value, such as --tap-name tap0.")]
    [TestCase(new[] { "--nic", "tap", "--nic", "sim" }, "--nic is given twice; give it once.")]
    public void InvalidCommandLine_IsRejectedWithOneLineSayingWhatToFix(string[] args, string expected)
    {
        bool parsed = DeviceOptions.TryParse(args, out DeviceOptions options, out string error);
        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.False);
            Assert.That(error, Is.EqualTo(expected));
            Assert.That(error, Does.Not.Contain('\n'));
            Assert.That(options.Nic, Is.EqualTo("sim"), "defaults on failure");
        });
    }
}
