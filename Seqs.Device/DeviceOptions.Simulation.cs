using System.Net;
using Seqs.Device.Nics;
using Seqs.Wire;

namespace Seqs.Device;

public sealed partial class DeviceOptions
{
    private const string ForwardOption = "--forward";

    /// <summary>The host bridge's kernel address in the simulated network unless <c>--forward</c> says otherwise.</summary>
    public static readonly IPEndPoint DefaultForward = new(IPAddress.Loopback, 8080);

    /// <summary>
    /// In the simulated network, the local kernel TCP address whose connections reach the device's web pages
    /// (<c>--forward 127.0.0.1:8080</c>, port 0 for any free port); null with <c>--forward off</c> or on a real link.
    /// </summary>
    public IPEndPoint? Forward { get; private set; }

    private bool TryReadForward(GivenSwitches values, out string error)
    {
        error = "";
        if (!values.TryGetValue(ForwardOption, out string? text))
        {
            Forward = IsSimulated ? DefaultForward : null;
            return true;
        }
        if (!IsSimulated)
            return Fail($"--forward applies to the simulated network only; on --nic {Nic} reach the device at its own address.", out error);
        if (text == "off")
            return true;
        if (!IPEndPoint.TryParse(text, out IPEndPoint? endPoint) || text.IndexOf(':', StringComparison.Ordinal) < 0)
            return Fail($"--forward '{text}' is not an address and port; write it like 127.0.0.1:8080 (port 0 for any free port), or off.", out error);
        Forward = endPoint;
        return true;
    }

    /// <summary>
    /// Whether the DHCP client checks a leased address with RFC 5227 ARP probes before using it (about five
    /// seconds); true but in the simulated network, where the router is the only other station.
    /// </summary>
    internal bool ProbeLeasedAddress { get; private set; } = true;

    /// <summary>
    /// The options of the device inside the simulated network: its address by DHCP and its time by NTP, both from
    /// the simulated router at <paramref name="router"/>.
    /// </summary>
    internal DeviceOptions OnSimulatedNetwork(Ipv4Address router)
    {
        var inside = (DeviceOptions)MemberwiseClone();
        inside.Address = null;
        inside.Gateway = null;
        inside.UseDhcp = true;
        inside.ProbeLeasedAddress = false;
        inside.NtpServer = router.ToString();
        return inside;
    }

    /// <summary>
    /// The options of a diagnostic subcommand's device: no host bridge, and an access token of its own that no file
    /// keeps, since nobody will use the web interface.
    /// </summary>
    internal DeviceOptions ForDiagnostic()
    {
        var diagnostic = (DeviceOptions)MemberwiseClone();
        diagnostic.Forward = null;
        diagnostic.HttpsPort = null;
        diagnostic.AccessToken = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        return diagnostic;
    }
}
