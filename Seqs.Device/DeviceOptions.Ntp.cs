using Seqs.Device.Nics;
using Seqs.Wire;

namespace Seqs.Device;

public sealed partial class DeviceOptions
{
    private const string NtpOption = "--ntp";

    /// <summary>
    /// The NTP server of <c>--ntp</c>: an IPv4 address, or a host name resolved through the DNS servers the stack
    /// has (from DHCP); null when time is not synchronised.
    /// </summary>
    public string? NtpServer { get; private set; }

    private bool TryReadNtp(GivenSwitches values, out string error)
    {
        error = "";
        if (!values.TryGetValue(NtpOption, out string? server))
            return true;
        if (IsSimulated)
            return Fail($"--ntp needs a real link, {RealLinks}; the simulated LAN has no time server.", out error);
        if (!Ipv4Address.TryParse(server.AsSpan(), out _))
        {
            if (DnsName.Encode(server) is null || server.Split('.').Any(label => !IsHostNameLabel(label)))
                return Fail($"--ntp '{server}' is neither an IPv4 address nor a host name; give one such as 192.168.1.1 or pool.ntp.org.", out error);
            if (!UseDhcp)
                return Fail($"--ntp {server} is a name, which needs DNS servers from --dhcp; with a static --ip give the server's address.", out error);
        }
        NtpServer = server;
        return true;
    }
}
