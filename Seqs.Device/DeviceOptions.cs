using Microsoft.Extensions.Configuration;
using Seqs.Device.Nics;
using Seqs.Wire;

namespace Seqs.Device;

/// <summary>
/// The device's settings, from the command line (<see cref="Switches"/>), the SEQS_ environment and appsettings.json
/// alike (<see cref="TryRead"/>): <c>--nic tap --tap-name NAME (--ip A.B.C.D/N | --dhcp) [--hostname NAME] [--gateway A.B.C.D]
/// [--dhcp-server START-END [--dhcp-leases FILE]] [--ntp SERVER] [--http-port N] [--https-port N [--tls-cert FILE --tls-key FILE]] [--pcap FILE] [--mac xx:xx:xx:xx:xx:xx]</c>,
/// or another <c>--nic</c> of <see cref="NicKinds.All"/> with the switches of its own (<see cref="INicKind.Switches"/>),
/// which that kind reads into <see cref="NicOptions{T}"/>; <c>--chip-emulator</c> for a chip's emulator, on
/// <c>--tap-name</c> or the simulated network; the web interface's <c>--led-pin</c>, <c>--access-token</c>,
/// <c>--token-file</c> and <c>--public-status</c>; the MQTT client's <c>--mqtt-*</c> and <c>--ca-file</c>; and <c>--forward</c> for the simulated network, which is what no
/// <c>--nic</c> selects. Each option with a value also accepts <c>--option=value</c>.
/// </summary>
public sealed partial class DeviceOptions
{
    /// <summary>The lease file of <c>--dhcp-server</c> when <c>--dhcp-leases</c> is not given, in the working directory.</summary>
    public const string DefaultDhcpLeasesPath = "seqs-dhcp.leases";

    internal const string ChipEmulatorOption = "--chip-emulator", MacOption = "--mac";

    private const int MaxInterfaceNameLength = 15; // IFNAMSIZ - 1
    private const string NicOption = "--nic", TapNameOption = "--tap-name", IpOption = "--ip", GatewayOption = "--gateway", PcapOption = "--pcap";

    /// <summary>"--nic tap, enc28j60, cyw43 or serial": the kinds that are a real link, for the options that need one.</summary>
    private static readonly string RealLinks = $"--nic {NicKinds.Either(NicKinds.All.Where(kind => kind != NicKinds.Simulated))}";

    private object? _nicOptions;

    /// <summary>
    /// Every switch, in the order the help and the unknown-option message list them: the device's, each NIC kind's,
    /// then the simulated network's and the web interface's.
    /// </summary>
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
        new(ServicesOption, "Services", "--services echo,discard,chargen,iperf"),
        new(ServicesBufferOption, "ServicesBuffer", "--services-buffer 256K"),
        new(CongestionControlOption, "CongestionControl", "--congestion-control newreno"),
        new(HttpsPortOption, "HttpsPort", "--https-port 443"),
        new(TlsCertificateOption, "TlsCert", "--tls-cert /etc/seqs/device.crt"),
        new(TlsKeyOption, "TlsKey", "--tls-key /etc/seqs/device.key"),
        new(PcapOption, "Pcap", "--pcap seqs.pcap"),
        new(MacOption, "Mac", "--mac 02:00:00:00:00:01"),
        new(ChipEmulatorOption, "ChipEmulator", null),
        .. NicKinds.All.SelectMany(kind => kind.Switches).DistinctBy(option => option.Name),
        new(ForwardOption, "Forward", "--forward 127.0.0.1:8080"),
        new(LedPinOption, "LedPin", "--led-pin 17"),
        new(AccessTokenOption, "AccessToken", "--access-token 5f0c2a9e81b34d6f8e27c1a0b9d4e3f2"),
        new(TokenFileOption, "TokenFile", "--token-file /var/lib/seqs/access-token"),
        new(PublicStatusOption, "PublicStatus", "--public-status false"),
        new(MqttBrokerOption, "MqttBroker", "--mqtt-broker 10.0.0.1:1883"),
        new(MqttTlsOption, "MqttTls", null),
        new(CaFileOption, "CaFile", "--ca-file /etc/seqs/ca.pem"),
        new(MqttUserOption, "MqttUser", "--mqtt-user seqs"),
        new(MqttPasswordOption, "MqttPass", "--mqtt-pass secret"),
        new(MqttPasswordFileOption, "MqttPassFile", "--mqtt-pass-file /etc/seqs/mqtt-pass"),
        new(MqttClientIdOption, "MqttClientId", "--mqtt-client-id kitchen-sensor"),
        new(MqttTopicOption, "MqttTopic", "--mqtt-topic seqs/kitchen"),
        new(MqttIntervalOption, "MqttInterval", "--mqtt-interval 60"),
        new(MqttKeepAliveOption, "MqttKeepAlive", "--mqtt-keepalive 30"),
    ];

    private DeviceOptions()
    {
    }

    /// <summary>The name of <see cref="NicKind"/>, as given to <c>--nic</c>.</summary>
    public string Nic => NicKind.Name;

    /// <summary>One of <see cref="NicKinds.All"/>; <see cref="NicKinds.Simulated"/> unless <c>--nic</c> says otherwise.</summary>
    internal INicKind NicKind { get; private set; } = NicKinds.Simulated;

    /// <summary>True with <c>--chip-emulator</c>: the NIC's driver runs against the chip's emulator instead of the chip.</summary>
    public bool ChipEmulator { get; private set; }

    /// <summary>
    /// The TAP device to create or attach to: the stack's NIC with <c>--nic tap</c>, the emulated chip's wire with
    /// <c>--nic enc28j60 --chip-emulator</c>; null otherwise.
    /// </summary>
    public string? TapName { get; private set; }

    /// <summary>True when the device runs on the simulated LAN: no TAP and no hardware.</summary>
    public bool IsSimulated => TapName is null && (NicKind == NicKinds.Simulated || ChipEmulator);

    /// <summary>The stack's static address and subnet (<c>--ip</c>), or null when none was given.</summary>
    public Ipv4Cidr? Address { get; private set; }

    /// <summary>The default gateway, inside the <see cref="Address"/> subnet, or null.</summary>
    public Ipv4Address? Gateway { get; private set; }

    /// <summary>The file to write a pcap capture of every frame to, or null for none.</summary>
    public string? PcapPath { get; private set; }

    /// <summary>The stack's unicast MAC, or null for the NIC's default.</summary>
    public MacAddress? MacAddress { get; private set; }

    /// <summary>The options <see cref="NicKind"/> read from its switches, as its own record <typeparamref name="T"/>.</summary>
    internal T NicOptions<T>() where T : class => (T)_nicOptions!;

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
    /// <param name="chipOnly">
    /// True for a command that only talks to the chip (<c>scan</c>, <c>doctor</c>): no address is needed.
    /// </param>
    public static bool TryRead(IConfiguration configuration, out DeviceOptions options, out string error, bool chipOnly = false)
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
        if (problems.Count == 0 && TryBuild(values, chipOnly, out DeviceOptions parsed, problems))
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
    private static bool TryBuild(Dictionary<string, string> values, bool chipOnly, out DeviceOptions options, List<string> problems)
    {
        options = new DeviceOptions();
        var parsed = new DeviceOptions { _chipOnly = chipOnly };
        var given = new GivenSwitches(values);
        if (!parsed.TryReadNic(given, out string error))
        {
            problems.Add(error);
            return false;
        }
        List<OptionReader[]> groups =
        [
            [parsed.TryReadAddress, parsed.TryReadDhcp, parsed.TryReadGateway, parsed.TryReadNtp, parsed.TryReadAddressing],
            [parsed.TryReadMac],
            .. NicKinds.All.Select(kind => new OptionReader[] { kind == parsed.NicKind ? parsed.TryReadNicOptions : parsed.RefuserOfSwitchesOf(kind) }),
            [parsed.TryReadHttp, parsed.TryReadHttps],
            [parsed.TryReadServices],
            [parsed.TryReadTcp],
            [parsed.TryReadForward],
            [parsed.TryReadWeb],
            [parsed.TryReadMqtt],
        ];
        foreach (OptionReader[] group in groups)
        {
            foreach (OptionReader read in group)
            {
                if (!read(given, out error))
                {
                    problems.Add(error);
                    break;
                }
            }
        }
        if (problems.Count > 0)
            return false;
        parsed.PcapPath = given.GetValueOrDefault(PcapOption);
        options = parsed;
        return true;
    }

    private delegate bool OptionReader(GivenSwitches values, out string error);

    private bool TryReadNicOptions(GivenSwitches values, out string error)
    {
        if (!NicKind.TryReadOptions(values, out object? nicOptions, out error))
            return false;
        _nicOptions = nicOptions;
        return true;
    }

    /// <summary>
    /// Refuses the switches of <paramref name="kind"/>, which <c>--nic</c> did not pick, that the picked kind does not
    /// read either; a switch of several kinds is refused once, with the first of them.
    /// </summary>
    private OptionReader RefuserOfSwitchesOf(INicKind kind) => (GivenSwitches values, out string error) =>
    {
        error = "";
        string? given = values.FirstGiven(kind.Switches.Select(option => option.Name)
            .Where(name => !NicKind.Switches.Any(option => option.Name == name) && ReadersOf(name).First() == kind));
        return given is null || Fail($"{given} applies only to {NicKinds.Selecting(ReadersOf(given))}, not to --nic {Nic}.", out error);
    };

    private static IEnumerable<INicKind> ReadersOf(string switchName) =>
        NicKinds.All.Where(kind => kind.Switches.Any(option => option.Name == switchName));

    private bool _chipOnly;

    /// <summary>A real link needs an address from somewhere; a command that only talks to the chip does not.</summary>
    private bool TryReadAddressing(GivenSwitches values, out string error)
    {
        error = "";
        if (!IsSimulated && !_chipOnly && Address is null && !UseDhcp)
            return Fail($"--nic {Nic} needs --ip A.B.C.D/N (for example --ip 10.0.0.2/24) or --dhcp.", out error);
        return true;
    }

    private bool TryReadNic(GivenSwitches values, out string error)
    {
        error = "";
        string nic = values.GetValueOrDefault(NicOption, NicKinds.Simulated.Name);
        if (NicKinds.Find(nic) is not { } kind)
            return Fail($"Unknown NIC '{nic}' for --nic; the known NICs are {string.Join(", ", NicKinds.All.Select(known => known.Name))}.", out error);
        INicKind[] emulated = [.. NicKinds.All.Where(known => known.HasChipEmulator)];
        bool chipEmulator = values.ChipEmulator;
        if (chipEmulator && !kind.HasChipEmulator)
            return Fail($"--chip-emulator applies only to {NicKinds.Selecting(emulated)}, not to --nic {nic}.", out error);
        string? tapName = values.GetValueOrDefault(TapNameOption);
        if (kind == NicKinds.Tap && tapName is null)
            return Fail($"--nic {nic} needs --tap-name NAME, such as --tap-name tap0 (create it with: sudo ip tuntap add dev tap0 mode tap user $USER).", out error);
        if (tapName is not null && kind != NicKinds.Tap && !chipEmulator)
            return Fail($"--tap-name applies only to --nic {NicKinds.Tap.Name} and to --nic {NicKinds.Either(emulated)} with --chip-emulator, not to --nic {nic}{(kind.HasChipEmulator ? " on real hardware" : "")}.", out error);
        if (tapName is not null && (tapName.Length > MaxInterfaceNameLength || tapName.Contains('/') || tapName.Any(char.IsWhiteSpace)))
            return Fail($"--tap-name '{tapName}' is not a Linux interface name; use 1 to {MaxInterfaceNameLength} characters without '/' or spaces, such as tap0.", out error);
        NicKind = kind;
        ChipEmulator = chipEmulator;
        TapName = tapName;
        return true;
    }

    private bool TryReadAddress(GivenSwitches values, out string error)
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

    private bool TryReadGateway(GivenSwitches values, out string error)
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

    private bool TryReadMac(GivenSwitches values, out string error)
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

    /// <summary>Sets <paramref name="error"/> to <paramref name="message"/> and returns false, for the readers' one-line refusals.</summary>
    internal static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
