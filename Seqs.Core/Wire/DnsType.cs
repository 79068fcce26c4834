namespace Seqs.Wire;

/// <summary>DNS TYPE and QTYPE values (RFC 1035 §3.2.2, §3.2.3; IANA "Resource Record (RR) TYPEs").</summary>
public enum DnsType : ushort
{
    A = 1,
    NS = 2,
    Cname = 5,
    Soa = 6,
    Ptr = 12,
    Txt = 16,

    /// <summary>RFC 3596 §2.1: an IPv6 address, 16 octets of RDATA.</summary>
    Aaaa = 28,
    Srv = 33,
    Opt = 41,
    Nsec = 47,

    /// <summary>RFC 1035 §3.2.3 QTYPE "*": all records. mDNS probes ask for it (RFC 6762 §8.1).</summary>
    Any = 255,
}
