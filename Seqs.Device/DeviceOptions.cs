using Seqs.Wire;

namespace Seqs.Device;

/// <summary>
/// The device service's command line:
/// <c>--nic tap --tap-name NAME --ip A.B.C.D/N [--gateway A.B.C.D] [--pcap FILE] [--mac xx:xx:xx:xx:xx:xx]</c>.
/// Each option also accepts <c>--option=value</c>. With no arguments the NIC is the simulated network.
/// </summary>
public sealed class DeviceOptions
{
    public const string SimulatedNicName = "sim";
    public const string TapNicName = "tap";

    private const int MaxInterfaceNameLength = 15; // IFNAMSIZ - 1
    private const string NicOption = "--nic", TapNameOption = "--tap-name", IpOption = "--ip", GatewayOption = "--gateway", PcapOption = "--pcap", MacOption = "--mac";
    private static readonly string[] Options = [NicOption, TapNameOption, IpOption, GatewayOption, PcapOption, MacOption];
    private static readonly Dictionary<string, string> ValueExamples = new()
    {
        [NicOption] = "--nic tap",
        [TapNameOption] = "--tap-name tap0",
        [IpOption] = "--ip 10.0.0.2/24",
        [GatewayOption] = "--gateway 10.0.0.1",
        [PcapOption] = "--pcap seqs.pcap",
        [MacOption] = "--mac 02:00:00:00:00:01",
    };

    private DeviceOptions()
    {
    }

    /// <summary>The known NIC kinds, as given to <c>--nic</c>.</summary>
    public static IReadOnlyList<string> KnownNics { get; } = [SimulatedNicName, TapNicName];

    /// <summary>One of <see cref="KnownNics"/>; <see cref="SimulatedNicName"/> unless <c>--nic</c> says otherwise.</summary>
    public string Nic { get; private init; } = SimulatedNicName;

    /// <summary>The TAP device to create or attach to; set exactly when <see cref="Nic"/> is <see cref="TapNicName"/>.</summary>
    public string? TapName { get; private init; }

    /// <summary>The stack's static address and subnet (<c>--ip</c>), or null when none was given.</summary>
    public Ipv4Cidr? Address { get; private init; }

    /// <summary>The default gateway, inside the <see cref="Address"/> subnet, or null.</summary>
    public Ipv4Address? Gateway { get; private init; }

    /// <summary>The file to write a pcap capture of every frame to, or null for none.</summary>
    public string? PcapPath { get; private init; }

    /// <summary>The stack's unicast MAC, or null for the NIC's default.</summary>
    public MacAddress? MacAddress { get; private init; }

    /// <summary>
    /// Parses <paramref name="args"/>. On false, <paramref name="error"/> is one line that says what to fix, and
    /// <paramref name="options"/> holds the defaults.
    /// </summary>
    public static bool TryParse(string[] args, out DeviceOptions options, out string error)
    {
        if (args is null)
            throw new ArgumentNullException(nameof(args));
        options = new DeviceOptions();
        if (!TryCollect(args, out Dictionary<string, string> values, out error) || !TryBuild(values, out DeviceOptions parsed, out error))
            return false;
        options = parsed;
        return true;
    }

    private static bool TryCollect(string[] args, out Dictionary<string, string> values, out string error)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        error = "";
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                return Fail($"Unexpected argument '{arg}': options start with --, such as --nic tap.", out error);
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? arg : arg[..equals];
            if (!Options.Contains(name))
                return Fail($"Unknown option '{name}'; the options are {string.Join(", ", Options)}.", out error);
            string? value = equals >= 0 ? arg[(equals + 1)..]
                : i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i]
                : null;
            if (string.IsNullOrWhiteSpace(value))
                return Fail($"{name} needs a value, such as {ValueExamples[name]}.", out error);
            if (!values.TryAdd(name, value))
                return Fail($"{name} is given twice; give it once.", out error);
        }
        return true;
    }

    private static bool TryBuild(Dictionary<string, string> values, out DeviceOptions options, out string error)
    {
        options = new DeviceOptions();
        error = "";
        string nic = values.GetValueOrDefault(NicOption, SimulatedNicName);
        if (!KnownNics.Contains(nic))
            return Fail($"Unknown NIC '{nic}' for --nic; the known NICs are {string.Join(", ", KnownNics)}.", out error);

        string? tapName = values.GetValueOrDefault(TapNameOption);
        if (nic == TapNicName && tapName is null)
            return Fail("--nic tap needs --tap-name NAME, such as --tap-name tap0 (create it with: sudo ip tuntap add dev tap0 mode tap user $USER).", out error);
        if (nic != TapNicName && tapName is not null)
            return Fail($"--tap-name applies only to --nic tap, not --nic {nic}.", out error);
        if (tapName is not null && (tapName.Length > MaxInterfaceNameLength || tapName.Contains('/') || tapName.Any(char.IsWhiteSpace)))
            return Fail($"--tap-name '{tapName}' is not a Linux interface name; use 1 to {MaxInterfaceNameLength} characters without '/' or spaces, such as tap0.", out error);

        Ipv4Cidr? address = null;
        if (values.TryGetValue(IpOption, out string? ipText))
        {
            if (!Ipv4Cidr.TryParse(ipText, out Ipv4Cidr cidr))
                return Fail($"--ip '{ipText}' is not an IPv4 address with a prefix length; write it like 10.0.0.2/24.", out error);
            // RFC 1122 §3.2.1.3: the all-zeros and all-ones host numbers are not host addresses, except in a /31 (RFC 3021).
            if (cidr.PrefixLength <= 30 && (cidr.Address == cidr.Network || cidr.Address == cidr.DirectedBroadcast))
                return Fail($"--ip {cidr} is the subnet's {(cidr.Address == cidr.Network ? "network" : "broadcast")} address; give a host address such as {new Ipv4Cidr(new Ipv4Address(cidr.Network.Value + 2), cidr.PrefixLength)}.", out error);
            address = cidr;
        }

        Ipv4Address? gateway = null;
        if (values.TryGetValue(GatewayOption, out string? gatewayText))
        {
            if (!Ipv4Address.TryParse(gatewayText, out Ipv4Address parsed))
                return Fail($"--gateway '{gatewayText}' is not an IPv4 address; write it like 10.0.0.1.", out error);
            if (address is not { } subnet)
                return Fail($"--gateway {parsed} needs --ip, to say which subnet the gateway is on, such as --ip 10.0.0.2/24.", out error);
            if (!subnet.Contains(parsed))
                return Fail($"--gateway {parsed} is outside the --ip subnet {subnet.Network}/{subnet.PrefixLength}; a gateway must be on the stack's own subnet.", out error);
            if (parsed == subnet.Address)
                return Fail($"--gateway {parsed} is the stack's own --ip address; give the router's address.", out error);
            gateway = parsed;
        }

        MacAddress? mac = null;
        if (values.TryGetValue(MacOption, out string? macText))
        {
            if (!Wire.MacAddress.TryParse(macText.AsSpan(), out Wire.MacAddress parsed))
                return Fail($"--mac '{macText}' is not a MAC address; write six hex octets like 02:00:00:00:00:01.", out error);
            if (parsed.IsMulticast)
                return Fail($"--mac {parsed} is a group address (first octet odd); give a unicast MAC such as 02:00:00:00:00:01.", out error);
            mac = parsed;
        }

        options = new DeviceOptions
        {
            Nic = nic,
            TapName = tapName,
            Address = address,
            Gateway = gateway,
            PcapPath = values.GetValueOrDefault(PcapOption),
            MacAddress = mac,
        };
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
