using Seqs.Wire;

namespace Seqs.Dhcp;

/// <summary>Settings of a <see cref="DhcpClient"/>; the defaults follow RFC 2131 and RFC 5227.</summary>
public sealed class DhcpClientOptions
{
    /// <summary>Option 12 (RFC 2132 §3.14), sent in every message when set: letters, digits, '-' and '.', at most 63 characters.</summary>
    public string? HostName { get; set; }

    /// <summary>
    /// An address from an earlier lease: the client starts in INIT-REBOOT and asks for it (RFC 2131 §3.2).
    /// <see cref="DhcpClient.RememberedAddress"/> is the value to keep for the next start.
    /// </summary>
    public Ipv4Address RememberedAddress { get; set; }

    /// <summary>Seeds every random delay, so that a simulation replays; random when null. Transaction IDs come from the stack.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>RFC 2131 §4.4.1: "wait a random time between one and ten seconds" before the first message.</summary>
    public TimeSpan MinStartDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxStartDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>RFC 5227 §1.1 PROBE_NUM: ARP probes before an acknowledged address is used; 0 skips the check.</summary>
    public int ProbeCount { get; set; } = 3;

    /// <summary>DHCPREQUESTs sent in REQUESTING or REBOOTING before the client starts over in INIT (RFC 2131 §3.1 step 5).</summary>
    public int MaxRequestAttempts { get; set; } = 4;

    /// <summary>Sets the BROADCAST flag (RFC 2131 §4.1). Not needed: an unconfigured Seqs stack accepts unicast replies.</summary>
    public bool RequestBroadcast { get; set; }

    /// <summary>Shorter leases are treated as this long, so that a hostile or broken server cannot make the client spin.</summary>
    public TimeSpan MinimumLeaseTime { get; set; } = TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        if (MinStartDelay < TimeSpan.Zero || MaxStartDelay < MinStartDelay)
            throw new ArgumentException("DhcpClientOptions: need 0 <= MinStartDelay <= MaxStartDelay.", nameof(MaxStartDelay));
        if (ProbeCount is < 0 or > 10)
            throw new ArgumentException("DhcpClientOptions.ProbeCount must be 0 to 10.", nameof(ProbeCount));
        if (MaxRequestAttempts is < 1 or > 16)
            throw new ArgumentException("DhcpClientOptions.MaxRequestAttempts must be 1 to 16.", nameof(MaxRequestAttempts));
        if (MinimumLeaseTime <= TimeSpan.Zero)
            throw new ArgumentException("DhcpClientOptions.MinimumLeaseTime must be positive.", nameof(MinimumLeaseTime));
        if (HostName is { } name && !IsValidHostName(name))
            throw new ArgumentException($"'{name}' is not a host name: 1 to 63 letters, digits, '-' and '.'.", nameof(HostName));
    }

    private static bool IsValidHostName(string name)
    {
        if (name.Length is 0 or > 63)
            return false;
        foreach (char c in name)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '.'))
                return false;
        }
        return true;
    }
}
