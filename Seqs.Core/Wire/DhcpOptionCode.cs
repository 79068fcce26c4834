namespace Seqs.Wire;

/// <summary>The DHCP options Seqs reads or writes, with their RFC 2132 codes.</summary>
public enum DhcpOptionCode : byte
{
    /// <summary>RFC 2132 §3.1: one octet of padding, no length.</summary>
    Pad = 0,

    /// <summary>RFC 2132 §3.3: 4 octets.</summary>
    SubnetMask = 1,

    /// <summary>RFC 2132 §3.5: a list of addresses, in order of preference.</summary>
    Router = 3,

    /// <summary>RFC 2132 §3.8: a list of addresses, in order of preference.</summary>
    DomainNameServer = 6,

    /// <summary>RFC 2132 §3.14: the client's name, at least one octet.</summary>
    HostName = 12,

    /// <summary>RFC 2132 §3.17: the domain name for DNS resolution.</summary>
    DomainName = 15,

    /// <summary>RFC 2132 §5.3: 4 octets.</summary>
    BroadcastAddress = 28,

    /// <summary>RFC 2132 §9.1: 4 octets.</summary>
    RequestedIpAddress = 50,

    /// <summary>RFC 2132 §9.2: seconds, 4 octets; 0xFFFFFFFF means infinity (RFC 2131 §3.3).</summary>
    IpAddressLeaseTime = 51,

    /// <summary>RFC 2132 §9.3: 1 = 'file' holds options, 2 = 'sname' does, 3 = both.</summary>
    OptionOverload = 52,

    /// <summary>RFC 2132 §9.6: 1 octet, a <see cref="Wire.DhcpMessageType"/>.</summary>
    DhcpMessageType = 53,

    /// <summary>RFC 2132 §9.7: 4 octets.</summary>
    ServerIdentifier = 54,

    /// <summary>RFC 2132 §9.8: option codes, at least one.</summary>
    ParameterRequestList = 55,

    /// <summary>RFC 2132 §9.9: an NVT ASCII error message.</summary>
    Message = 56,

    /// <summary>RFC 2132 §9.10: 2 octets, at least 576.</summary>
    MaximumMessageSize = 57,

    /// <summary>RFC 2132 §9.11: T1 in seconds, 4 octets.</summary>
    RenewalTime = 58,

    /// <summary>RFC 2132 §9.12: T2 in seconds, 4 octets.</summary>
    RebindingTime = 59,

    /// <summary>RFC 2132 §9.13.</summary>
    VendorClassIdentifier = 60,

    /// <summary>RFC 2132 §9.14: a type octet and the identifier, at least 2 octets.</summary>
    ClientIdentifier = 61,

    /// <summary>RFC 2132 §3.2: ends the options.</summary>
    End = 255,
}
