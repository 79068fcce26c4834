namespace Seqs.Wire;

/// <summary>IPv4 Protocol field values (IANA "Assigned Internet Protocol Numbers") that Seqs handles.</summary>
public enum IpProtocol : byte
{
    /// <summary>ICMP, RFC 792.</summary>
    Icmp = 1,

    /// <summary>TCP, RFC 9293.</summary>
    Tcp = 6,

    /// <summary>UDP, RFC 768.</summary>
    Udp = 17,
}
