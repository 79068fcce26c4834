namespace Seqs.Dhcp;

/// <summary>What a DHCP server's record of an address says.</summary>
public enum DhcpLeaseState
{
    /// <summary>Held for a client between DHCPOFFER and DHCPREQUEST (RFC 2131 §4.3.1: "SHOULD reserve"); never stored.</summary>
    Offered,

    /// <summary>Leased until <see cref="DhcpLease.ExpiresAt"/>.</summary>
    Bound,

    /// <summary>Given back with DHCPRELEASE (or expired); free, but kept to give the same client the same address again.</summary>
    Released,

    /// <summary>Found in use by another station (DHCPDECLINE or the server's own ARP probe); not offered until <see cref="DhcpLease.ExpiresAt"/>.</summary>
    Declined,
}
