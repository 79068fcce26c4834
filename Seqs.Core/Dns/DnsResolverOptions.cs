using Seqs.Wire;

namespace Seqs.Dns;

/// <summary>Settings of a <see cref="DnsResolver"/>.</summary>
public sealed class DnsResolverOptions
{
    /// <summary>The servers to ask, in order; when null, the stack's <c>DnsServers</c> at the time of each lookup.</summary>
    public IReadOnlyList<Ipv4Address>? Servers { get; set; }

    /// <summary>How long to wait for each server's answer before trying the next one (the resolv.conf "timeout").</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Rounds over the whole server list before giving up (the resolv.conf "attempts").</summary>
    public int Attempts { get; set; } = 2;

    /// <summary>
    /// CNAME records followed for one lookup, across answers and restarted queries (RFC 1034 §3.6.2 expects
    /// chains to be short; the bound stops loops).
    /// </summary>
    public int MaxCnameHops { get; set; } = 8;

    /// <summary>Names remembered; when full, the entry that expires first makes room.</summary>
    public int CacheSize { get; set; } = 16;

    /// <summary>The longest a positive answer is kept, whatever its TTL says.</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The longest a negative answer is kept. RFC 2308 §5: "Values of one to three hours have been found to work
    /// well and would make sensible a default."
    /// </summary>
    public TimeSpan MaxNegativeTtl { get; set; } = TimeSpan.FromHours(3);

    internal void Validate()
    {
        if (Timeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "The timeout must be positive.");
        if (Attempts < 1)
            throw new ArgumentOutOfRangeException(nameof(Attempts), Attempts, "At least one attempt is needed.");
        if (MaxCnameHops < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxCnameHops), MaxCnameHops, "The CNAME bound cannot be negative.");
        if (CacheSize < 0)
            throw new ArgumentOutOfRangeException(nameof(CacheSize), CacheSize, "The cache size cannot be negative.");
        if (MaxTtl < TimeSpan.Zero || MaxNegativeTtl < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaxTtl), "TTL limits cannot be negative.");
    }
}
