using Microsoft.Extensions.Configuration;
using Seqs.Wire;

namespace Seqs.Device;

/// <summary>
/// The device's settings, from the command line (<see cref="Switches"/>), the SEQS_ environment and appsettings.json
/// alike (<see cref="TryRead"/>): <c>--nic tap --tap-name NAME (--ip A.B.C.D/N | --dhcp) [--hostname NAME] [--gateway A.B.C.D]
/// [--dhcp-server START-END [--dhcp-leases FILE]] [--ntp SERVER] [--http-port N] [--pcap FILE] [--mac xx:xx:xx:xx:xx:xx]</c>, or
/// <c>--nic enc28j60</c> with the SPI and pin options of <see cref="SpiBus"/> to <see cref="ResetPin"/> (real chip)
/// or <c>--chip-emulator</c> (the chip emulated, on <c>--tap-name</c> or the simulated network); <c>--nic cyw43</c>
/// with <c>--wifi-ssid</c>, <c>--wifi-pass</c>, the firmware files and the transport of <see cref="WifiTransport"/>, or
/// <c>--chip-emulator</c> with <c>--emulator-ap</c>; <c>--nic serial --serial-port PATH [--baud N]</c>
/// (<see cref="SerialPortPath"/>); the web interface's
/// <c>--led-pin</c>, <c>--access-token</c>, <c>--token-file</c> and <c>--public-status</c>; and <c>--forward</c> for
/// the simulated network, which is what no <c>--nic</c> selects. Each option with a value also accepts
/// <c>--option=value</c>. A new NIC kind adds its name to <see cref="KnownNics"/>, its switches to
/// <see cref="Switches"/> and a partial file with its reader, as <c>DeviceOptions.Enc28j60.cs</c> does.
/// </summary>
public sealed partial class DeviceOptions
{
    public const string SimulatedNicName = "sim";
    public const string TapNicName = "tap";
    public const string Enc28j60NicName = "enc28j60";
    public const string SerialNicName = "serial";

    /// <summary>The lease file of <c>--dhcp-server</c> when <c>--dhcp-leases</c> is not given, in the working directory.</summary>
    public const string DefaultDhcpLeasesPath = "seqs-dhcp.leases";

    private const int MaxInterfaceNameLength = 15; // IFNAMSIZ - 1
    private const string NicOption = "--nic", TapNameOption = "--tap-name", IpOption = "--ip", GatewayOption = "--gateway", PcapOption = "--pcap", MacOption = "--mac";

    /// <summary>Every switch, in the order the help and the unknown-option message list them.</summary>
    public static IReadOnlyList<CommandLineSwitch> Switches { get; } =
    [
        new(NicOption, "Nic", "--nic tap"),
        new(TapNameOption, "TapName", "--tap-name tap0"),
        new(IpOption, "Ip", "--ip 10.0.0.2/24"),
        new(DhcpOption, "Dhcp", null),
        new(HostNameOption, "HostName", "--hostname seqs-device"),
        new(GatewayOption, "Gateway", "--gateway 10.0.0.1"),
        new(DhcpServerOption, "DhcpServer", "--dhcp-server 10.0.0.100-10.0.0.199"),
        new(DhcpLeasesOption, "DhcpLeases", "--dhcp-leases /var/lib/seqs/dhcp.leases"),
        new(NtpOption, "Ntp", "--ntp pool.ntp.org"),
        new(HttpPortOption, "HttpPort", "--http-port 8080"),
        new(PcapOption, "Pcap", "--pcap seqs.pcap"),
        new(MacOption, "Mac", "--mac 02:00:00:00:00:01"),
        new(ChipEmulatorOption, "ChipEmulator", null),
        new(SpiBusOption, "SpiBus", "--spi-bus 0"),
        new(SpiChipSelectOption, "SpiChipSelect", "--spi-cs 0"),
        new(SpiClockOption, "SpiClockHz", "--spi-hz 20000000"),
        new(InterruptPinOption, "InterruptPin", "--int-pin 25"),
        new(ResetPinOption, "ResetPin", "--reset-pin 24"),
        new(SerialPortOption, "SerialPort", "--serial-port /dev/ttyUSB0"),
        new(BaudOption, "Baud", "--baud 115200"),
        new(ForwardOption, "Forward", "--forward 127.0.0.1:8080"),
        new(LedPinOption, "LedPin", "--led-pin 17"),
        new(AccessTokenOption, "AccessToken", "--access-token 5f0c2a9e81b34d6f8e27c1a0b9d4e3f2"),
        new(TokenFileOption, "TokenFile", "--token-file /var/lib/seqs/access-token"),
        new(PublicStatusOption, "PublicStatus", "--public-status false"),
        new(WifiSsidOption, "WifiSsid", "--wifi-ssid seqs-sim"),
        new(WifiPassOption, "WifiPass", "--wifi-pass seqs-sim-pass"),
        new(FirmwareOption, "Firmware", "--firmware 43439A0.bin"),
        new(NvramOption, "Nvram", "--nvram nvram_rp2040.bin"),
        new(ClmOption, "Clm", "--clm 43439A0_clm.bin"),
        new(WifiTransportOption, "WifiTransport", "--wifi-transport spidev"),
        new(GspiClockPinOption, "GspiClockPin", "--gspi-clk-pin 11"),
        new(GspiDataPinOption, "GspiDataPin", "--gspi-data-pin 10"),
        new(GspiChipSelectPinOption, "GspiChipSelectPin", "--gspi-cs-pin 8"),
        new(PowerPinOption, "WlOnPin", "--wl-on-pin 23"),
        new(HostWakePinOption, "HostWakePin", "--host-wake-pin 24"),
        new(EmulatorAccessPointOption, "EmulatorAp", "--emulator-ap seqs-sim:seqs-sim-pass") { IsRepeatable = true },
    ];

    private DeviceOptions()
    {
    }

    /// <summary>The known NIC kinds, as given to <c>--nic</c>.</summary>
    public static IReadOnlyList<string> KnownNics { get; } = [SimulatedNicName, TapNicName, Enc28j60NicName, Cyw43NicName, SerialNicName];

    /// <summary>One of <see cref="KnownNics"/>; <see cref="SimulatedNicName"/> unless <c>--nic</c> says otherwise.</summary>
    public string Nic { get; private set; } = SimulatedNicName;

    /// <summary>
    /// The TAP device to create or attach to: the stack's NIC with <c>--nic tap</c>, the emulated chip's wire with
    /// <c>--nic enc28j60 --chip-emulator</c>; null otherwise.
    /// </summary>
    public string? TapName { get; private set; }

    /// <summary>True when the device runs on the simulated LAN: no TAP and no hardware.</summary>
    public bool IsSimulated => TapName is null && (Nic == SimulatedNicName || ChipEmulator);

    /// <summary>The stack's static address and subnet (<c>--ip</c>), or null when none was given.</summary>
    public Ipv4Cidr? Address { get; private set; }

    /// <summary>The default gateway, inside the <see cref="Address"/> subnet, or null.</summary>
    public Ipv4Address? Gateway { get; private set; }

    /// <summary>The file to write a pcap capture of every frame to, or null for none.</summary>
    public string? PcapPath { get; private set; }

    /// <summary>The stack's unicast MAC, or null for the NIC's default.</summary>
    public MacAddress? MacAddress { get; private set; }

    /// <summary>
    /// Parses <paramref name="args"/> alone, with no file or environment. On false, <paramref name="error"/> has one
    /// line per problem, each saying what to fix, and <paramref name="options"/> holds the defaults.
    /// </summary>
    public static bool TryParse(string[] args, out DeviceOptions options, out string error)
    {
        options = new DeviceOptions();
        if (!DeviceCommandLine.TryRead(args, Switches, out Dictionary<string, string?> keys, out error))
            return false;
        return TryRead(new ConfigurationBuilder().AddInMemoryCollection(keys).Build(), out options, out error);
    }

    /// <summary>
    /// Reads the options from <paramref name="configuration"/>, whose keys are <see cref="CommandLineSwitch.Key"/>s. On
    /// false, <paramref name="error"/> has one line per problem, and <paramref name="options"/> holds the defaults.
    /// </summary>
    public static bool TryRead(IConfiguration configuration, out DeviceOptions options, out string error)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        options = new DeviceOptions();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (CommandLineSwitch option in Switches)
        {
            string? value = option.IsRepeatable ? RepeatedValue(configuration, option.Key) : configuration[option.Key];
            if (string.IsNullOrWhiteSpace(value))
                continue;
            if (!option.IsFlag)
            {
                values[option.Name] = value;
            }
            else if (bool.TryParse(value, out bool on))
            {
                if (on)
                    values[option.Name] = option.Name;
            }
            else
            {
                problems.Add($"{option.Key} '{value}' is not true or false; {option.Name} is a switch ({option.Key}: true in appsettings.json, SEQS_{option.Key.ToUpperInvariant()}=true).");
            }
        }
        if (problems.Count == 0 && TryBuild(values, out DeviceOptions parsed, problems))
        {
            options = parsed;
            error = "";
            return true;
        }
        error = string.Join('\n', problems);
        return false;
    }

    /// <summary>
    /// A repeatable switch's values, one a line: from <c>Key:0</c>, <c>Key:1</c>… (the command line, a JSON array) or
    /// from <c>Key</c> alone (one value); null when there are none.
    /// </summary>
    private static string? RepeatedValue(IConfiguration configuration, string key)
    {
        if (configuration[key] is string single)
            return single;
        string[] values = configuration.GetSection(key).GetChildren().Select(child => child.Value).OfType<string>().ToArray();
        return values.Length == 0 ? null : string.Join('\n', values);
    }

    /// <summary>
    /// Checks each group of options that does not depend on another, so that one run names every problem; within
    /// a group the first problem stops the checks that would only repeat it.
    /// </summary>
    private static bool TryBuild(Dictionary<string, string> values, out DeviceOptions options, List<string> problems)
    {
        options = new DeviceOptions();
        var parsed = new DeviceOptions();
        string error;
        if (!parsed.TryReadNic(values, out error))
        {
            problems.Add(error);
            return false;
        }
        OptionReader[][] groups =
        [
            [parsed.TryReadAddress, parsed.TryReadDhcp, parsed.TryReadGateway, parsed.TryReadNtp, parsed.TryReadAddressing],
            [parsed.TryReadMac],
            [parsed.TryReadEnc28j60],
            [parsed.TryReadCyw43],
            [parsed.TryReadSerial],
            [parsed.TryReadHttp],
            [parsed.TryReadForward],
            [parsed.TryReadWeb],
        ];
        foreach (OptionReader[] group in groups)
        {
            foreach (OptionReader read in group)
            {
                if (!read(values, out error))
                {
                    problems.Add(error);
                    break;
                }
            }
        }
        if (problems.Count > 0)
            return false;
        parsed.PcapPath = values.GetValueOrDefault(PcapOption);
        options = parsed;
        return true;
    }

    private delegate bool OptionReader(Dictionary<string, string> values, out string error);

    /// <summary>A real link needs an address from somewhere.</summary>
    private bool TryReadAddressing(Dictionary<string, string> values, out string error)
    {
        error = "";
        if (!IsSimulated && Address is null && !UseDhcp)
            return Fail($"--nic {Nic} needs --ip A.B.C.D/N (for example --ip 10.0.0.2/24) or --dhcp.", out error);
        return true;
    }

    private bool TryReadNic(Dictionary<string, string> values, out string error)
    {
        error = "";
        string nic = values.GetValueOrDefault(NicOption, SimulatedNicName);
        if (!KnownNics.Contains(nic))
            return Fail($"Unknown NIC '{nic}' for --nic; the known NICs are {string.Join(", ", KnownNics)}.", out error);
        bool chipEmulator = values.ContainsKey(ChipEmulatorOption);
        if (chipEmulator && nic is not (Enc28j60NicName or Cyw43NicName))
            return Fail($"--chip-emulator applies only to --nic enc28j60 and --nic cyw43, not to --nic {nic}.", out error);
        string? tapName = values.GetValueOrDefault(TapNameOption);
        if (nic == TapNicName && tapName is null)
            return Fail("--nic tap needs --tap-name NAME, such as --tap-name tap0 (create it with: sudo ip tuntap add dev tap0 mode tap user $USER).", out error);
        if (tapName is not null && nic != TapNicName && !chipEmulator)
            return Fail($"--tap-name applies only to --nic tap and to --nic enc28j60 or cyw43 with --chip-emulator, not to --nic {nic}{(nic is Enc28j60NicName or Cyw43NicName ? " on real hardware" : "")}.", out error);
        if (tapName is not null && (tapName.Length > MaxInterfaceNameLength || tapName.Contains('/') || tapName.Any(char.IsWhiteSpace)))
            return Fail($"--tap-name '{tapName}' is not a Linux interface name; use 1 to {MaxInterfaceNameLength} characters without '/' or spaces, such as tap0.", out error);
        Nic = nic;
        ChipEmulator = chipEmulator;
        TapName = tapName;
        return true;
    }

    private bool TryReadAddress(Dictionary<string, string> values, out string error)
    {
        error = "";
        if (!values.TryGetValue(IpOption, out string? ipText))
            return true;
        if (!Ipv4Cidr.TryParse(ipText, out Ipv4Cidr cidr))
            return Fail($"--ip '{ipText}' is not an IPv4 address with a prefix length; write it like 10.0.0.2/24.", out error);
        // RFC 1122 §3.2.1.3: the all-zeros and all-ones host numbers are not host addresses, except in a /31 (RFC 3021).
        if (cidr.PrefixLength <= 30 && (cidr.Address == cidr.Network || cidr.Address == cidr.DirectedBroadcast))
            return Fail($"--ip {cidr} is the subnet's {(cidr.Address == cidr.Network ? "network" : "broadcast")} address; give a host address such as {new Ipv4Cidr(new Ipv4Address(cidr.Network.Value + 2), cidr.PrefixLength)}.", out error);
        Address = cidr;
        return true;
    }

    private bool TryReadGateway(Dictionary<string, string> values, out string error)
    {
        error = "";
        if (!values.TryGetValue(GatewayOption, out string? gatewayText))
            return true;
        if (!Ipv4Address.TryParse(gatewayText, out Ipv4Address parsed))
            return Fail($"--gateway '{gatewayText}' is not an IPv4 address; write it like 10.0.0.1.", out error);
        if (UseDhcp)
            return Fail($"--gateway {parsed} cannot be combined with --dhcp: the DHCP server names the router; drop --gateway.", out error);
        if (Address is not { } subnet)
            return Fail($"--gateway {parsed} needs --ip, to say which subnet the gateway is on, such as --ip 10.0.0.2/24.", out error);
        if (!subnet.Contains(parsed))
            return Fail($"--gateway {parsed} is outside the --ip subnet {subnet.Network}/{subnet.PrefixLength}; a gateway must be on the stack's own subnet.", out error);
        if (parsed == subnet.Address)
            return Fail($"--gateway {parsed} is the stack's own --ip address; give the router's address.", out error);
        Gateway = parsed;
        return true;
    }

    private bool TryReadMac(Dictionary<string, string> values, out string error)
    {
        error = "";
        if (!values.TryGetValue(MacOption, out string? macText))
            return true;
        if (!Wire.MacAddress.TryParse(macText.AsSpan(), out Wire.MacAddress parsed))
            return Fail($"--mac '{macText}' is not a MAC address; write six hex octets like 02:00:00:00:00:01.", out error);
        if (parsed.IsMulticast)
            return Fail($"--mac {parsed} is a group address (first octet odd); give a unicast MAC such as 02:00:00:00:00:01.", out error);
        MacAddress = parsed;
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
