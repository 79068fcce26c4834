namespace Seqs.Wire;

/// <summary>IEEE 802.3 Length/Type values (IEEE Registration Authority EtherType registry) that Seqs knows.</summary>
public enum EtherType : ushort
{
    /// <summary>IPv4, RFC 894.</summary>
    Ipv4 = 0x0800,

    /// <summary>ARP, RFC 826.</summary>
    Arp = 0x0806,

    /// <summary>IEEE 802.1Q customer VLAN tag (TPID).</summary>
    Vlan = 0x8100,

    /// <summary>IPv6, RFC 8200; recognised only to be counted and dropped.</summary>
    Ipv6 = 0x86DD,
}
