using System.Collections.ObjectModel;
using Seqs.Wire;

namespace Seqs.Dns;

/// <summary>
/// A fixed number of answers, looked up by name without regard to ASCII case or a trailing dot (RFC 1035 §2.3.3)
/// and without allocating. An entry lives until its TTL runs out; when the cache is full, the entry that would
/// expire first is replaced.
/// </summary>
internal sealed class DnsCache(int capacity)
{
    private readonly DnsCacheEntry?[] _entries = new DnsCacheEntry?[capacity];

    public DnsCacheEntry? Find(ReadOnlySpan<char> name, TimeSpan now)
    {
        name = WithoutTrailingDot(name);
        foreach (DnsCacheEntry? entry in _entries)
        {
            if (entry is not null && entry.Expires > now && name.Equals(WithoutTrailingDot(entry.Name.AsSpan()), StringComparison.OrdinalIgnoreCase))
                return entry;
        }
        return null;
    }

    public void Add(string name, ReadOnlyCollection<Ipv4Address> addresses, DnsResolveError? error, TimeSpan expires, TimeSpan now)
    {
        if (_entries.Length == 0)
            return;
        int slot = 0;
        for (int i = 0; i < _entries.Length; i++)
        {
            DnsCacheEntry? entry = _entries[i];
            if (entry is null || entry.Expires <= now || WithoutTrailingDot(name.AsSpan()).Equals(WithoutTrailingDot(entry.Name.AsSpan()), StringComparison.OrdinalIgnoreCase))
            {
                slot = i;
                break;
            }
            if (entry.Expires < _entries[slot]!.Expires)
                slot = i;
        }
        _entries[slot] = new DnsCacheEntry(name, addresses, error, expires);
    }

    public void Clear() => Array.Clear(_entries, 0, _entries.Length);

    private static ReadOnlySpan<char> WithoutTrailingDot(ReadOnlySpan<char> name) =>
        name.Length > 0 && name[^1] == '.' ? name[..^1] : name;
}
