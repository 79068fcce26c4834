namespace Seqs.Dns;

/// <summary>Why <see cref="DnsResolver.ResolveAsync"/> gave no address.</summary>
public enum DnsResolveError
{
    /// <summary>NXDOMAIN (RFC 1035 §4.1.1 RCODE 3): the name does not exist.</summary>
    NameError,

    /// <summary>The name exists but has no A record (RFC 2308 §2.2, "NODATA").</summary>
    NoData,

    /// <summary>
    /// The server set TC (RFC 1035 §4.1.1): the answer did not fit in UDP. RFC 7766 would retry over TCP; Seqs
    /// reports it instead, and never uses or caches the partial answer (RFC 2181 §9).
    /// </summary>
    Truncated,

    /// <summary>Every server answered SERVFAIL, REFUSED, NOTIMP or FORMERR.</summary>
    ServerFailure,

    /// <summary>No acceptable answer from any server within the attempts allowed.</summary>
    TimedOut,

    /// <summary>No DNS server is configured, neither in the options nor on the stack.</summary>
    NoServers,

    /// <summary>The CNAME chain was longer than <see cref="DnsResolverOptions.MaxCnameHops"/> (or looped).</summary>
    CnameChainTooLong,
}
