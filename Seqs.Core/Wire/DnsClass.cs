namespace Seqs.Wire;

/// <summary>
/// DNS CLASS values (RFC 1035 §3.2.4). In mDNS the top bit of the 16-bit field is borrowed: the unicast-response
/// bit in questions (RFC 6762 §5.4) and the cache-flush bit in records (RFC 6762 §10.2); see <see cref="DnsQuestion"/>
/// and <see cref="DnsRecord"/>.
/// </summary>
public enum DnsClass : ushort
{
    /// <summary>IN, the Internet.</summary>
    Internet = 1,

    /// <summary>QCLASS "*".</summary>
    Any = 255,
}
