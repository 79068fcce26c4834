using Seqs.Wire;

namespace Seqs.Dhcp;

/// <summary>
/// What a DHCPACK gave the client (RFC 2131 §4.4.1, RFC 2132). Times are loop times (<c>NetLoop.Now</c>) and
/// durations from <see cref="ObtainedAt"/>, the moment the acknowledged DHCPREQUEST was first sent (RFC 2131 §4.4.1).
/// </summary>
public readonly record struct DhcpClientLease(
    Ipv4Cidr Address,
    Ipv4Address Router,
    Ipv4Address ServerIdentifier,
    IReadOnlyList<Ipv4Address> DnsServers,
    string? DomainName,
    TimeSpan LeaseTime,
    TimeSpan RenewalTime,
    TimeSpan RebindingTime,
    TimeSpan ObtainedAt)
{
    /// <summary>T1: when RENEWING starts.</summary>
    public TimeSpan RenewAt => ObtainedAt + RenewalTime;

    /// <summary>T2: when REBINDING starts.</summary>
    public TimeSpan RebindAt => ObtainedAt + RebindingTime;

    /// <summary>When the address must stop being used.</summary>
    public TimeSpan ExpiresAt => ObtainedAt + LeaseTime;
}
