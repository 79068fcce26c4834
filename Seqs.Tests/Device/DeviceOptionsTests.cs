using Microsoft.Extensions.Configuration;
using Seqs.Device;
using Seqs.Device.Nics;
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
            Assert.That(options.Forward, Is.EqualTo(DeviceOptions.DefaultForward));
        });
    }

    [TestCase("127.0.0.1:0", "127.0.0.1:0")]
    [TestCase("0.0.0.0:8081", "0.0.0.0:8081")]
    [TestCase("off", null)]
    public void Forward_TakesAnAddressAndPortOrOff(string value, string? expected)
    {
        Assert.That(DeviceOptions.TryParse(["--forward", value], out DeviceOptions options, out string error), Is.True, error);
        Assert.That(options.Forward?.ToString(), Is.EqualTo(expected));
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
    public void DhcpCommandLine_IsParsed()
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "tap", "--tap-name", "tap0", "--dhcp", "--hostname", "Seqs-7"], out DeviceOptions options, out string error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(options.UseDhcp, Is.True);
            Assert.That(options.HostName, Is.EqualTo("Seqs-7"));
            Assert.That(options.Address, Is.Null);
            Assert.That(options.DhcpPoolStart, Is.Null);
            Assert.That(options.DhcpLeasesPath, Is.Null);
        });
    }

    [Test]
    public void HostNameAndNtp_WorkWithAStaticAddressToo()
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--hostname", "seqs", "--ntp", "10.0.0.1"], out DeviceOptions options, out string error), Is.True, error);
        Assert.That(options.HostName, Is.EqualTo("seqs"));
        Assert.That(options.NtpServer, Is.EqualTo("10.0.0.1"));
        Assert.That(DeviceOptions.TryParse(["--nic", "tap", "--tap-name", "tap0", "--dhcp", "--ntp", "pool.ntp.org"], out options, out error), Is.True, error);
        Assert.That(options.NtpServer, Is.EqualTo("pool.ntp.org"));
    }

    [Test]
    public void DhcpServerCommandLine_IsParsed_WithTheLeaseFileInTheWorkingDirectoryByDefault()
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.1/24", "--dhcp-server", "10.0.0.100-10.0.0.199"], out DeviceOptions options, out string error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(options.UseDhcp, Is.False);
            Assert.That(options.DhcpPoolStart, Is.EqualTo(new Ipv4Address(10, 0, 0, 100)));
            Assert.That(options.DhcpPoolEnd, Is.EqualTo(new Ipv4Address(10, 0, 0, 199)));
            Assert.That(options.DhcpLeasesPath, Is.EqualTo(DeviceOptions.DefaultDhcpLeasesPath));
            Assert.That(Path.IsPathRooted(options.DhcpLeasesPath), Is.False, "relative: next to the working directory");
        });
    }

    [Test]
    public void DhcpLeases_NamesTheServersLeaseFile()
    {
        Assert.That(DeviceOptions.TryParse(["--nic=tap", "--tap-name=tap0", "--ip=10.0.0.1/24", "--dhcp-server=10.0.0.2-10.0.0.2", "--dhcp-leases=/tmp/l"], out DeviceOptions options, out string error), Is.True, error);
        Assert.That(options.DhcpLeasesPath, Is.EqualTo("/tmp/l"));
    }

    [Test]
    public void Enc28j60CommandLine_IsParsed()
    {
        string[] args = ["--nic", "enc28j60", "--spi-bus", "1", "--spi-cs", "2", "--spi-hz", "8000000", "--int-pin", "25", "--reset-pin", "24", "--dhcp"];

        Assert.That(DeviceOptions.TryParse(args, out DeviceOptions options, out string error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(options.Nic, Is.EqualTo("enc28j60"));
            Assert.That(options.ChipEmulator, Is.False);
            Assert.That(options.IsSimulated, Is.False);
            Assert.That(Wiring(options).Spi.Bus, Is.EqualTo(1));
            Assert.That(Wiring(options).Spi.ChipSelect, Is.EqualTo(2));
            Assert.That(Wiring(options).Spi.ClockFrequency, Is.EqualTo(8_000_000));
            Assert.That(Wiring(options).InterruptPin, Is.EqualTo(25));
            Assert.That(Wiring(options).ResetPin, Is.EqualTo(24));
        });
    }

    [Test]
    public void Enc28j60WithoutWiringOptions_UsesSpi0Cs0AtTwelveMegahertzAndNoPins()
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "enc28j60", "--ip", "10.0.0.2/24"], out DeviceOptions options, out string error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(Wiring(options).Spi.Bus, Is.Zero);
            Assert.That(Wiring(options).Spi.ChipSelect, Is.Zero);
            Assert.That(Wiring(options).Spi.ClockFrequency, Is.EqualTo(12_000_000), "the Raspberry Pi enc28j60 overlay's clock");
            Assert.That(Wiring(options).InterruptPin, Is.EqualTo(-1));
            Assert.That(Wiring(options).ResetPin, Is.EqualTo(-1));
        });
    }

    [Test]
    public void ChipEmulatorWithTapName_RunsOnTheTap()
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "enc28j60", "--chip-emulator", "--tap-name", "tap3", "--ip", "10.0.0.2/24"], out DeviceOptions options, out string error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(options.ChipEmulator, Is.True);
            Assert.That(options.TapName, Is.EqualTo("tap3"));
            Assert.That(options.IsSimulated, Is.False);
        });
    }

    [Test]
    public void ChipEmulatorWithoutTapName_RunsOnTheSimulatedLanWithoutAnAddress()
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "enc28j60", "--chip-emulator"], out DeviceOptions options, out string error), Is.True, error);
        Assert.That(options.IsSimulated, Is.True);
    }

    [Test]
    public void ConfigurationKeys_AreTheSwitchesOfTheCommandLine()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Nic"] = "enc28j60",
            ["Dhcp"] = "true",
            ["HostName"] = "seqs-9",
            ["SpiChipSelect"] = "1",
            ["SpiClockHz"] = "10000000",
            ["InterruptPin"] = "25",
            ["ChipEmulator"] = "false",
            ["Logging:LogLevel:Default"] = "Debug",
        }).Build();

        Assert.That(DeviceOptions.TryRead(configuration, out DeviceOptions options, out string error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(options.Nic, Is.EqualTo("enc28j60"));
            Assert.That(options.UseDhcp, Is.True);
            Assert.That(options.HostName, Is.EqualTo("seqs-9"));
            Assert.That(Wiring(options).Spi.ChipSelect, Is.EqualTo(1));
            Assert.That(Wiring(options).Spi.ClockFrequency, Is.EqualTo(10_000_000));
            Assert.That(Wiring(options).InterruptPin, Is.EqualTo(25));
            Assert.That(options.ChipEmulator, Is.False);
        });
    }

    [Test]
    public void AppSettingsJson_SetsKeys_WithFlagsAsBooleansAndNumbersAsNumbers()
    {
        byte[] json = """
            {
              "Nic": "enc28j60",
              "Dhcp": true,
              "HostName": "seqs-1",
              "InterruptPin": 25,
              "ResetPin": 24,
              "PublicStatus": false,
              "Logging": { "LogLevel": { "Default": "Information" } }
            }
            """u8.ToArray();
        IConfiguration configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(json)).Build();

        Assert.That(DeviceOptions.TryRead(configuration, out DeviceOptions options, out string error), Is.True, error);
        Assert.Multiple(() =>
        {
            Assert.That(options.Nic, Is.EqualTo("enc28j60"));
            Assert.That(options.UseDhcp, Is.True);
            Assert.That(options.HostName, Is.EqualTo("seqs-1"));
            Assert.That(Wiring(options).InterruptPin, Is.EqualTo(25));
            Assert.That(Wiring(options).ResetPin, Is.EqualTo(24));
            Assert.That(options.PublicStatus, Is.False);
        });
    }

    [Test]
    public void EnvironmentVariablesWithTheSeqsPrefix_SetKeys_AndTheCommandLineWins()
    {
        Environment.SetEnvironmentVariable("SEQS_NIC", "tap");
        Environment.SetEnvironmentVariable("SEQS_TAPNAME", "tap9");
        Environment.SetEnvironmentVariable("SEQS_IP", "10.9.0.2/24");
        try
        {
            Assert.That(DeviceCommandLine.TryRead(["--ip", "10.9.0.3/24"], DeviceOptions.Switches, out Dictionary<string, string?> commandLine, out string error), Is.True, error);
            IConfiguration configuration = new ConfigurationBuilder().AddEnvironmentVariables("SEQS_").AddInMemoryCollection(commandLine).Build();

            Assert.That(DeviceOptions.TryRead(configuration, out DeviceOptions options, out error), Is.True, error);
            Assert.That(options.TapName, Is.EqualTo("tap9"));
            Assert.That(options.Address, Is.EqualTo(new Ipv4Cidr(new Ipv4Address(10, 9, 0, 3), 24)));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SEQS_NIC", null);
            Environment.SetEnvironmentVariable("SEQS_TAPNAME", null);
            Environment.SetEnvironmentVariable("SEQS_IP", null);
        }
    }

    [Test]
    public void EveryIndependentProblem_GetsALineOfItsOwn()
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2", "--mac", "zz", "--http-port", "0"], out _, out string error), Is.False);
        Assert.That(error.Split('\n'), Is.EqualTo(new[]
        {
            "--ip '10.0.0.2' is not an IPv4 address with a prefix length; write it like 10.0.0.2/24.",
            "--mac 'zz' is not a MAC address; write six hex octets like 02:00:00:00:00:01.",
            "--http-port '0' is not a TCP port; give 1 to 65535, such as --http-port 8080.",
        }));
    }

    [Test]
    public void AFlagKeyThatIsNotABoolean_IsRejected()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Dhcp"] = "yes" }).Build();

        Assert.That(DeviceOptions.TryRead(configuration, out _, out string error), Is.False);
        Assert.That(error, Is.EqualTo("Dhcp 'yes' is not true or false; --dhcp is a switch (Dhcp: true in appsettings.json, SEQS_DHCP=true)."));
    }

    [Test]
    public void SlashThirtyOne_AllowsBothAddresses() =>
        Assert.That(DeviceOptions.TryParse(["--ip", "10.0.0.0/31", "--gateway", "10.0.0.1"], out _, out string error), Is.True, error);

    private static Enc28j60NicOptions Wiring(DeviceOptions options) => options.NicOptions<Enc28j60NicOptions>();

    [TestCase(new[] { "--nic", "tap", "--bogus", "1" }, "Unknown option '--bogus'; the options are --nic, --tap-name, --ip, --dhcp, --hostname, --gateway, --dhcp-server, --dhcp-leases, --ntp, --http-port, --services, --services-buffer, --congestion-control, --https-port, --tls-cert, --tls-key, --pcap, --mac, --chip-emulator, --tap-offload, --spin-us, --spi-bus, --spi-cs, --spi-hz, --int-pin, --reset-pin, --emulator-fault, --wifi-ssid, --wifi-pass, --firmware, --nvram, --clm, --wifi-transport, --gspi-clk-pin, --gspi-data-pin, --gspi-cs-pin, --wl-on-pin, --host-wake-pin, --emulator-ap, --serial-port, --baud, --forward, --led-pin, --access-token, --token-file, --public-status, --mqtt-broker, --mqtt-tls, --ca-file, --mqtt-user, --mqtt-pass, --mqtt-pass-file, --mqtt-client-id, --mqtt-topic, --mqtt-interval, --mqtt-keepalive.")]
    [TestCase(new[] { "tap" }, "Unexpected argument 'tap': options start with --, such as --nic tap.")]
    [TestCase(new[] { "--nic", "wifi" }, "Unknown NIC 'wifi' for --nic; the known NICs are sim, tap, enc28j60, cyw43, serial.")]
    [TestCase(new[] { "--nic", "tap" }, "--nic tap needs --tap-name NAME, such as --tap-name tap0 (create it with: sudo ip tuntap add dev tap0 mode tap user $USER).")]
    [TestCase(new[] { "--tap-name", "tap0" }, "--tap-name applies only to --nic tap and to --nic enc28j60 or cyw43 with --chip-emulator, not to --nic sim.")]
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
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0" }, "--nic tap needs --ip A.B.C.D/N (for example --ip 10.0.0.2/24) or --dhcp.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--dhcp" }, "--ip 10.0.0.2/24 and --dhcp exclude each other; give a static --ip or --dhcp, not both.")]
    [TestCase(new[] { "--dhcp" }, "--dhcp needs a real link, --nic tap, enc28j60, cyw43 or serial; the simulated LAN has fixed addresses.")]
    [TestCase(new[] { "--nic", "enc28j60", "--chip-emulator", "--dhcp" }, "--dhcp needs a real link, --nic tap, enc28j60, cyw43 or serial; the simulated LAN has fixed addresses.")]
    [TestCase(new[] { "--dhcp=yes" }, "--dhcp is a switch and takes no value; write just --dhcp.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--dhcp", "--gateway", "10.0.0.1" }, "--gateway 10.0.0.1 cannot be combined with --dhcp: the DHCP server names the router; drop --gateway.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--http-port", "0" }, "--http-port '0' is not a TCP port; give 1 to 65535, such as --http-port 8080.")]
    [TestCase(new[] { "--services", "echo,telnet" }, "--services 'telnet' is not a service; name some of echo, discard, chargen and iperf, such as --services echo,discard, or none.")]
    [TestCase(new[] { "--hostname", "seqs" }, "--hostname names the device on a real link, --nic tap, enc28j60, cyw43 or serial; the simulated LAN has no mDNS peers.")]
    [TestCase(new[] { "--ntp", "10.0.0.1" }, "--ntp needs a real link, --nic tap, enc28j60, cyw43 or serial; the simulated LAN has no time server.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--ntp", "not a host!" }, "--ntp 'not a host!' is neither an IPv4 address nor a host name; give one such as 192.168.1.1 or pool.ntp.org.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--ntp", "pool.ntp.org" }, "--ntp pool.ntp.org is a name, which needs DNS servers from --dhcp; with a static --ip give the server's address.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--dhcp", "--hostname", "-seqs" }, "--hostname '-seqs' is not a host name; use 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen (RFC 1123), such as seqs-device.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--dhcp", "--hostname", "seqs-" }, "--hostname 'seqs-' is not a host name; use 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen (RFC 1123), such as seqs-device.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--dhcp", "--hostname", "seqs_device" }, "--hostname 'seqs_device' is not a host name; use 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen (RFC 1123), such as seqs-device.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--dhcp", "--hostname", "seqs.local" }, "--hostname 'seqs.local' is not a host name; use 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen (RFC 1123), such as seqs-device.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--dhcp", "--hostname", "a123456789b123456789c123456789d123456789e123456789f123456789g123" }, "--hostname 'a123456789b123456789c123456789d123456789e123456789f123456789g123' is not a host name; use 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen (RFC 1123), such as seqs-device.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--dhcp", "--dhcp-server", "10.0.0.100-10.0.0.199" }, "--dhcp-server needs the device's static --ip, not --dhcp: a DHCP server must not depend on a lease of its own.")]
    [TestCase(new[] { "--ip", "10.0.0.1/24", "--dhcp-server", "10.0.0.100-10.0.0.199" }, "--dhcp-server needs a real link, --nic tap, enc28j60, cyw43 or serial; the simulated LAN has fixed addresses.")]
    [TestCase(new[] { "--nic", "enc28j60", "--chip-emulator", "--dhcp-server", "10.0.0.100-10.0.0.199" }, "--dhcp-server needs a real link, --nic tap, enc28j60, cyw43 or serial; the simulated LAN has fixed addresses.")]
    [TestCase(new[] { "--nic", "enc28j60", "--dhcp-server", "10.0.0.100-10.0.0.199" }, "--dhcp-server needs the device's static --ip, such as --ip 10.0.0.1/24.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.1/24", "--dhcp-server", "10.0.0.100" }, "--dhcp-server '10.0.0.100' is not an address range; write it like 10.0.0.100-10.0.0.199.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.1/24", "--dhcp-server", "10.0.0.100-10.0.0" }, "--dhcp-server '10.0.0.100-10.0.0' is not an address range; write it like 10.0.0.100-10.0.0.199.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.1/24", "--dhcp-server", "10.0.0.199-10.0.0.100" }, "--dhcp-server 10.0.0.199-10.0.0.100 runs backwards; put the lower address first: 10.0.0.100-10.0.0.199.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.1/24", "--dhcp-server", "10.0.0.100-10.0.1.10" }, "--dhcp-server 10.0.0.100-10.0.1.10 is not inside the --ip subnet 10.0.0.0/24; pick addresses of that subnet.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.1/24", "--dhcp-server", "192.168.1.10-192.168.1.20" }, "--dhcp-server 192.168.1.10-192.168.1.20 is not inside the --ip subnet 10.0.0.0/24; pick addresses of that subnet.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.200/24", "--dhcp-server", "10.0.0.0-10.0.0.99" }, "--dhcp-server 10.0.0.0-10.0.0.99 contains the subnet's network address 10.0.0.0; leave it out of the range.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.1/24", "--dhcp-server", "10.0.0.100-10.0.0.255" }, "--dhcp-server 10.0.0.100-10.0.0.255 contains the subnet's broadcast address 10.0.0.255; leave it out of the range.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.150/24", "--dhcp-server", "10.0.0.100-10.0.0.199" }, "--dhcp-server 10.0.0.100-10.0.0.199 contains the device's own address 10.0.0.150; start or end the range past it.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.1.0.1/16", "--dhcp-server", "10.1.0.2-10.1.16.2" }, "--dhcp-server 10.1.0.2-10.1.16.2 holds 4097 addresses; a pool holds at most 4096.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.1/24", "--dhcp-leases", "l.txt" }, "--dhcp-leases l.txt names the lease file of --dhcp-server; add --dhcp-server START-END or drop it.")]
    [TestCase(new[] { "--dhcp-server" }, "--dhcp-server needs a value, such as --dhcp-server 10.0.0.100-10.0.0.199.")]
    [TestCase(new[] { "--hostname" }, "--hostname needs a value, such as --hostname seqs-device.")]
    [TestCase(new[] { "--nic", "tap", "--chip-emulator" }, "--chip-emulator applies only to --nic enc28j60 and --nic cyw43, not to --nic tap.")]
    [TestCase(new[] { "--nic", "enc28j60", "--tap-name", "tap0", "--ip", "10.0.0.2/24" }, "--tap-name applies only to --nic tap and to --nic enc28j60 or cyw43 with --chip-emulator, not to --nic enc28j60 on real hardware.")]
    [TestCase(new[] { "--nic", "enc28j60" }, "--nic enc28j60 needs --ip A.B.C.D/N (for example --ip 10.0.0.2/24) or --dhcp.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--spi-bus", "0" }, "--spi-bus applies only to --nic enc28j60 and --nic cyw43, not to --nic tap.")]
    [TestCase(new[] { "--int-pin", "25" }, "--int-pin applies only to --nic enc28j60, not to --nic sim.")]
    [TestCase(new[] { "--nic", "enc28j60", "--chip-emulator", "--reset-pin", "24" }, "--reset-pin wires a real ENC28J60; the --chip-emulator has no SPI bus or pins, so drop --reset-pin.")]
    [TestCase(new[] { "--nic", "enc28j60", "--ip", "10.0.0.2/24", "--spi-bus", "zero" }, "--spi-bus 'zero' is not an SPI bus number; give a whole number of 0 or more, such as --spi-bus 0.")]
    [TestCase(new[] { "--nic", "enc28j60", "--ip", "10.0.0.2/24", "--spi-cs", "-1" }, "--spi-cs '-1' is not a chip select number; give a whole number of 0 or more, such as --spi-cs 0.")]
    [TestCase(new[] { "--nic", "enc28j60", "--ip", "10.0.0.2/24", "--spi-hz", "0" }, "--spi-hz '0' is not an SPI clock in Hz; give a whole number of 1 or more, such as --spi-hz 20000000.")]
    [TestCase(new[] { "--nic", "enc28j60", "--ip", "10.0.0.2/24", "--spi-hz", "25000000" }, "--spi-hz 25000000 is above the ENC28J60's 20000000 Hz (DS39662E §4.1); give at most 20000000.")]
    [TestCase(new[] { "--nic", "enc28j60", "--ip", "10.0.0.2/24", "--int-pin", "4.5" }, "--int-pin '4.5' is not a GPIO number; give a whole number of 0 or more, such as --int-pin 25.")]
    [TestCase(new[] { "--nic", "enc28j60", "--ip", "10.0.0.2/24", "--int-pin", "25", "--reset-pin", "25" }, "--int-pin and --reset-pin are both GPIO 25; INT and RESET need a pin each.")]
    [TestCase(new[] { "--access-token", "short" }, "--access-token is too weak or has spaces; give at least 32 visible ASCII characters (openssl rand -hex 16 makes one), or leave it out to have one generated.")]
    [TestCase(new[] { "--access-token", "0123456789abcdef0123456789abcdef", "--token-file", "t" }, "--token-file keeps a generated token; with --access-token there is none to keep, so give one of the two.")]
    [TestCase(new[] { "--led-pin", "17" }, "--led-pin drives a real GPIO; the simulated network has a simulated LED, so drop --led-pin.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--led-pin", "x" }, "--led-pin 'x' is not a GPIO number; give a whole number of 0 or more, such as --led-pin 17.")]
    [TestCase(new[] { "--public-status", "maybe" }, "--public-status 'maybe' is not true or false.")]
    [TestCase(new[] { "--https-port", "0" }, "--https-port '0' is not a TCP port; give 1 to 65535, such as --https-port 443.")]
    [TestCase(new[] { "--https-port", "80" }, "--https-port 80 is also the HTTP port; give HTTP and HTTPS different ports, such as --http-port 80 --https-port 443.")]
    [TestCase(new[] { "--https-port", "443", "--tls-cert", "device.crt" }, "--tls-cert needs --tls-key too: give the PEM certificate and its key, or neither for a self-signed certificate.")]
    [TestCase(new[] { "--tls-cert", "device.crt", "--tls-key", "device.key" }, "--tls-cert is for HTTPS; add --https-port 443 to serve it.")]
    [TestCase(new[] { "--forward", "8080" }, "--forward '8080' is not an address and port; write it like 127.0.0.1:8080 (port 0 for any free port), or off.")]
    [TestCase(new[] { "--forward", "localhost:8080" }, "--forward 'localhost:8080' is not an address and port; write it like 127.0.0.1:8080 (port 0 for any free port), or off.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--forward", "127.0.0.1:8080" }, "--forward applies to the simulated network only; on --nic tap reach the device at its own address.")]
    [TestCase(new[] { "--nic", "enc28j60", "--chip-emulator", "--chip-emulator" }, "--chip-emulator is given twice; give it once.")]
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

    /// <summary>The test services answer anyone: the device runs none unless <c>--services</c> names them.</summary>
    [Test]
    public void Services_AreOffByDefault_AndTurnedOnByName()
    {
        Assert.That(DeviceOptions.TryParse([], out DeviceOptions defaults, out _), Is.True);
        Assert.That(defaults.Services, Is.EqualTo(ClassicServices.None));
        Assert.That(DeviceOptions.TryParse(["--services", "echo, iperf"], out DeviceOptions some, out _), Is.True);
        Assert.That(some.Services, Is.EqualTo(ClassicServices.Echo | ClassicServices.Iperf));
        Assert.That(DeviceOptions.TryParse(["--services", "none"], out DeviceOptions none, out _), Is.True);
        Assert.That(none.Services, Is.EqualTo(ClassicServices.None));
    }

    /// <summary>
    /// The test services' TCP buffers: 256 KiB on a TAP, where the host's kernel sends at gigabits, 16 KiB (the stack's
    /// default) on the SPI NICs and the simulated LAN; <c>--services-buffer</c> sets them in octets, K or M.
    /// </summary>
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--services", "discard" }, 256 * 1024)]
    [TestCase(new[] { "--nic", "enc28j60", "--chip-emulator", "--ip", "10.0.0.2/24", "--services", "discard" }, 16 * 1024)]
    [TestCase(new[] { "--services", "discard" }, 16 * 1024)]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--services", "discard", "--services-buffer", "16K" }, 16 * 1024)]
    [TestCase(new[] { "--nic", "enc28j60", "--chip-emulator", "--ip", "10.0.0.2/24", "--services", "echo", "--services-buffer", "65536" }, 64 * 1024)]
    [TestCase(new[] { "--services", "iperf", "--services-buffer", "1m" }, 1024 * 1024)]
    [TestCase(new[] { "--services", "iperf", "--services-buffer=4K" }, 4 * 1024)]
    public void ServicesBuffer_Is256KiBOnATap_TheStacksDefaultElsewhere_OrAsGiven(string[] args, int expected)
    {
        Assert.That(DeviceOptions.TryParse(args, out DeviceOptions options, out string error), Is.True, error);
        Assert.That(options.ServicesBufferSize, Is.EqualTo(expected));
    }

    [Test]
    public void ServicesBuffer_ComesFromConfigurationLikeTheOthers()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Services"] = "discard",
            ["ServicesBuffer"] = "512K",
        }).Build();
        Assert.That(DeviceOptions.TryRead(configuration, out DeviceOptions options, out string error), Is.True, error);
        Assert.That(options.ServicesBufferSize, Is.EqualTo(512 * 1024));
    }

    [TestCase("-4096", "--services-buffer '-4096' is not a size; give 4K to 1M (4096 to 1048576 octets), such as --services-buffer 256K.")]
    [TestCase("256KB", "--services-buffer '256KB' is not a size; give 4K to 1M (4096 to 1048576 octets), such as --services-buffer 256K.")]
    [TestCase("big", "--services-buffer 'big' is not a size; give 4K to 1M (4096 to 1048576 octets), such as --services-buffer 256K.")]
    [TestCase("0", "--services-buffer '0' is too small; give 4K to 1M (4096 to 1048576 octets), such as --services-buffer 256K.")]
    [TestCase("1K", "--services-buffer '1K' is too small; give 4K to 1M (4096 to 1048576 octets), such as --services-buffer 256K.")]
    [TestCase("4095", "--services-buffer '4095' is too small; give 4K to 1M (4096 to 1048576 octets), such as --services-buffer 256K.")]
    [TestCase("2M", "--services-buffer '2M' is too large; give 4K to 1M (4096 to 1048576 octets), such as --services-buffer 256K.")]
    [TestCase("1048577", "--services-buffer '1048577' is too large; give 4K to 1M (4096 to 1048576 octets), such as --services-buffer 256K.")]
    [TestCase("4194304M", "--services-buffer '4194304M' is too large; give 4K to 1M (4096 to 1048576 octets), such as --services-buffer 256K.")]
    public void BadServicesBuffer_IsRefusedWithOneLineThatSaysWhatToFix(string value, string expected)
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--services", "discard", "--services-buffer", value], out _, out string error), Is.False);
        Assert.That(error, Is.EqualTo(expected));
    }

    [Test]
    public void ServicesBuffer_WithoutServices_IsRefused()
    {
        Assert.That(DeviceOptions.TryParse(["--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--services-buffer", "256K"], out _, out string error), Is.False);
        Assert.That(error, Is.EqualTo("--services-buffer sizes the test services' TCP buffers, and none is on; name them with --services, such as --services echo,discard, or drop --services-buffer."));
    }
}
