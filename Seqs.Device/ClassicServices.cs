namespace Seqs.Device;

/// <summary>
/// The test services <c>--services</c> turns on: they answer anyone, and chargen and iperf send for as long as a
/// client reads, so the device runs none of them unless asked.
/// </summary>
[Flags]
public enum ClassicServices
{
    None = 0,
    /// <summary>Echo (RFC 862) on UDP and TCP port 7.</summary>
    Echo = 1,
    /// <summary>Discard (RFC 863) on UDP and TCP port 9.</summary>
    Discard = 2,
    /// <summary>Chargen (RFC 864) on TCP port 19.</summary>
    Chargen = 4,
    /// <summary>An iperf 2 server on TCP port 5001.</summary>
    Iperf = 8,
}
