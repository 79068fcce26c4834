using Seqs.Wire;

namespace Seqs.Dhcp;

/// <summary>
/// A DHCP server's record of one address. <see cref="ClientKey"/> identifies the client (RFC 2131 §4.2: the
/// client identifier option if sent, else 'chaddr'), as hex of option 61 or "01" + the MAC, which is the form a
/// client identifier for Ethernet takes (RFC 2132 §9.14). Times are wall-clock UTC, so that a stored lease survives
/// a restart.
/// </summary>
public readonly record struct DhcpLease(
    Ipv4Address Address,
    MacAddress HardwareAddress,
    string ClientKey,
    DhcpLeaseState State,
    DateTimeOffset ExpiresAt);
