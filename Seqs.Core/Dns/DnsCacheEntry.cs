using System.Collections.ObjectModel;
using Seqs.Wire;

namespace Seqs.Dns;

/// <summary>One remembered answer: the addresses of a name, or why it has none, until <see cref="Expires"/> (loop time).</summary>
internal sealed class DnsCacheEntry(string name, ReadOnlyCollection<Ipv4Address> addresses, DnsResolveError? error, TimeSpan expires)
{
    public string Name { get; } = name;

    public ReadOnlyCollection<Ipv4Address> Addresses { get; } = addresses;

    /// <summary>Set for a negative answer (RFC 2308): NXDOMAIN or NODATA.</summary>
    public DnsResolveError? Error { get; } = error;

    public TimeSpan Expires { get; } = expires;
}
