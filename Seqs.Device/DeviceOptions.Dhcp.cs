using Seqs.Device.Nics;
using Seqs.Dhcp;
using Seqs.Wire;

namespace Seqs.Device;

public sealed partial class DeviceOptions
{
    private const string DhcpOption = "--dhcp", HostNameOption = "--hostname", DhcpServerOption = "--dhcp-server", DhcpLeasesOption = "--dhcp-leases";

    /// <summary>RFC 1123 §2.1: a host name label is at most 63 characters.</summary>
    private const int MaxHostNameLength = 63;

    /// <summary>True with <c>--dhcp</c>: the stack obtains its address, router and DNS servers with DHCP and keeps them renewed.</summary>
    public bool UseDhcp { get; private set; }

    /// <summary>
    /// The device's name, one RFC 1123 label: sent as the DHCP host name option (RFC 2132 §3.14) with <c>--dhcp</c>
    /// and answered over mDNS as NAME.local (RFC 6762); null when <c>--hostname</c> is not given.
    /// </summary>
    public string? HostName { get; private set; }

    /// <summary>First address the DHCP server hands out; set exactly when <c>--dhcp-server</c> is given.</summary>
    public Ipv4Address? DhcpPoolStart { get; private set; }

    /// <summary>Last address the DHCP server hands out, inclusive.</summary>
    public Ipv4Address? DhcpPoolEnd { get; private set; }

    /// <summary>The DHCP server's lease file: <c>--dhcp-leases</c>, else <see cref="DefaultDhcpLeasesPath"/>; null without a server.</summary>
    public string? DhcpLeasesPath { get; private set; }

    private bool TryReadDhcp(GivenSwitches values, out string error)
    {
        error = "";
        bool useDhcp = values.ContainsKey(DhcpOption);
        if (useDhcp && Address is { } address)
            return Fail($"--ip {address} and --dhcp exclude each other; give a static --ip or --dhcp, not both.", out error);
        if (useDhcp && IsSimulated)
            return Fail($"--dhcp needs a real link, {RealLinks}; the simulated LAN has fixed addresses.", out error);
        if (values.TryGetValue(HostNameOption, out string? hostName))
        {
            if (IsSimulated)
                return Fail($"--hostname names the device on a real link, {RealLinks}; the simulated LAN has no mDNS peers.", out error);
            if (!IsHostNameLabel(hostName))
                return Fail($"--hostname '{hostName}' is not a host name; use 1 to {MaxHostNameLength} letters, digits and hyphens, not starting or ending with a hyphen (RFC 1123), such as seqs-device.", out error);
            HostName = hostName;
        }
        UseDhcp = useDhcp;
        return TryReadDhcpServer(values, out error);
    }

    private bool TryReadDhcpServer(GivenSwitches values, out string error)
    {
        error = "";
        bool hasLeases = values.TryGetValue(DhcpLeasesOption, out string? leasesPath);
        if (!values.TryGetValue(DhcpServerOption, out string? rangeText))
            return !hasLeases || Fail($"--dhcp-leases {leasesPath} names the lease file of --dhcp-server; add --dhcp-server START-END or drop it.", out error);
        if (UseDhcp)
            return Fail("--dhcp-server needs the device's static --ip, not --dhcp: a DHCP server must not depend on a lease of its own.", out error);
        if (IsSimulated)
            return Fail($"--dhcp-server needs a real link, {RealLinks}; the simulated LAN has fixed addresses.", out error);
        if (Address is not { } subnet)
            return Fail("--dhcp-server needs the device's static --ip, such as --ip 10.0.0.1/24.", out error);
        int dash = rangeText.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !Ipv4Address.TryParse(rangeText.AsSpan(0, dash), out Ipv4Address start) || !Ipv4Address.TryParse(rangeText.AsSpan(dash + 1), out Ipv4Address end))
            return Fail($"--dhcp-server '{rangeText}' is not an address range; write it like 10.0.0.100-10.0.0.199.", out error);
        string range = $"{start}-{end}";
        if (end.Value < start.Value)
            return Fail($"--dhcp-server {range} runs backwards; put the lower address first: {end}-{start}.", out error);
        if (!subnet.Contains(start) || !subnet.Contains(end))
            return Fail($"--dhcp-server {range} is not inside the --ip subnet {subnet.Network}/{subnet.PrefixLength}; pick addresses of that subnet.", out error);
        if (subnet.PrefixLength <= 30 && (start == subnet.Network || end == subnet.DirectedBroadcast))
            return Fail($"--dhcp-server {range} contains the subnet's {(start == subnet.Network ? $"network address {subnet.Network}" : $"broadcast address {subnet.DirectedBroadcast}")}; leave it out of the range.", out error);
        if (start.Value <= subnet.Address.Value && subnet.Address.Value <= end.Value)
            return Fail($"--dhcp-server {range} contains the device's own address {subnet.Address}; start or end the range past it.", out error);
        long size = (long)end.Value - start.Value + 1;
        if (size > DhcpServerOptions.MaxPoolSize)
            return Fail($"--dhcp-server {range} holds {size} addresses; a pool holds at most {DhcpServerOptions.MaxPoolSize}.", out error);
        DhcpPoolStart = start;
        DhcpPoolEnd = end;
        DhcpLeasesPath = leasesPath ?? DefaultDhcpLeasesPath;
        return true;
    }

    /// <summary>RFC 1123 §2.1 (relaxing RFC 952): letters, digits and hyphens, a letter or digit at either end.</summary>
    private static bool IsHostNameLabel(string name)
    {
        if (name.Length is 0 or > MaxHostNameLength || name[0] == '-' || name[^1] == '-')
            return false;
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
                return false;
        }
        return true;
    }
}
