using Seqs.Wire;

namespace Seqs.Stack;

/// <summary>
/// The bounded IPv4-to-MAC translation table of RFC 826, with the timeouts and retransmission limits of
/// RFC 1122 §2.3.2.1. It holds no clock and sends nothing: the stack passes the time in and sends the requests
/// the cache asks for. Entries being resolved are at most a quarter of the table (at least one): a host that is
/// made to look up many unused addresses (pings from spoofed senders) recycles those entries among themselves and
/// never pushes out resolved neighbours; the default router's entry is never the one evicted.
/// </summary>
internal sealed class ArpCache
{
    private readonly Entry[] _entries;
    private readonly TimeSpan _lifetime;
    private readonly TimeSpan _requestInterval;
    private readonly int _requestAttempts;

    public ArpCache(int size, TimeSpan lifetime, TimeSpan requestInterval, int requestAttempts)
    {
        _entries = new Entry[size];
        _lifetime = lifetime;
        _requestInterval = requestInterval;
        _requestAttempts = requestAttempts;
    }

    /// <summary>Entries being resolved at once: a quarter of the table, at least one.</summary>
    private int MaxUnresolved => Math.Max(1, _entries.Length / 4);

    /// <summary>The default router: its entry is kept when another must make room.</summary>
    public Ipv4Address Gateway { get; set; }

    public int Capacity => _entries.Length;

    public int Count
    {
        get
        {
            int count = 0;
            foreach (Entry entry in _entries)
                count += entry.State == ArpEntryState.Free ? 0 : 1;
            return count;
        }
    }

    /// <summary>
    /// Looks up the MAC of <paramref name="address"/> for a packet about to be sent. A resolved entry past its
    /// lifetime is still used while it is refreshed (like Linux's STALE state), so traffic does not stall every
    /// lifetime; an unknown address gets an incomplete entry. When that entry takes the place of the oldest entry
    /// being resolved, <paramref name="displaced"/> is the address that was given up (its held packets are
    /// dropped); otherwise it is unspecified.
    /// </summary>
    public ArpLookup Lookup(Ipv4Address address, TimeSpan now, out MacAddress mac, out Ipv4Address displaced)
    {
        displaced = default;
        int index = IndexOf(address);
        if (index >= 0)
        {
            ref Entry entry = ref _entries[index];
            entry.LastUsed = now;
            mac = entry.Mac;
            switch (entry.State)
            {
                case ArpEntryState.Reachable when now < entry.ExpiresAt:
                    return ArpLookup.Resolved;
                case ArpEntryState.Reachable:
                    entry.State = ArpEntryState.Refreshing;
                    entry.RequestsLeft = _requestAttempts - 1;
                    entry.NextRequestAt = now + _requestInterval;
                    return ArpLookup.ResolvedSendRequest;
                case ArpEntryState.Refreshing:
                    return ArpLookup.Resolved;
                default:
                    return ArpLookup.Pending;
            }
        }
        mac = default;
        index = AllocateUnresolved();
        if (index < 0)
            return ArpLookup.TableFull;
        if (_entries[index].State == ArpEntryState.Incomplete)
            displaced = _entries[index].Address;
        _entries[index] = new Entry
        {
            Address = address,
            State = ArpEntryState.Incomplete,
            RequestsLeft = _requestAttempts - 1,
            NextRequestAt = now + _requestInterval,
            LastUsed = now,
        };
        return ArpLookup.PendingSendRequest;
    }

    /// <summary>
    /// Records that <paramref name="address"/> is at <paramref name="mac"/>. RFC 826 merges into an existing
    /// entry always, and creates one only when this host was the target (<paramref name="create"/>).
    /// Returns true when the entry was waiting for resolution, so that held packets can now go.
    /// </summary>
    public bool Update(Ipv4Address address, MacAddress mac, TimeSpan now, bool create)
    {
        int index = IndexOf(address);
        if (index < 0)
        {
            if (!create)
                return false;
            index = Allocate();
            if (index < 0)
                return false;
            _entries[index] = new Entry { Address = address, LastUsed = now };
        }
        ref Entry entry = ref _entries[index];
        bool wasIncomplete = entry.State == ArpEntryState.Incomplete;
        entry.State = ArpEntryState.Reachable;
        entry.Mac = mac;
        entry.ExpiresAt = now + _lifetime;
        return wasIncomplete;
    }

    /// <summary>
    /// Takes the next entry whose request timer is due: either a request to send again (<paramref name="failed"/>
    /// false) or an address that did not answer any request and was removed (<paramref name="failed"/> true).
    /// </summary>
    public bool TryTakeDue(TimeSpan now, out Ipv4Address address, out bool failed)
    {
        for (int i = 0; i < _entries.Length; i++)
        {
            ref Entry entry = ref _entries[i];
            if (entry.State is not (ArpEntryState.Incomplete or ArpEntryState.Refreshing) || entry.NextRequestAt > now)
                continue;
            address = entry.Address;
            if (entry.RequestsLeft > 0)
            {
                entry.RequestsLeft--;
                entry.NextRequestAt = now + _requestInterval;
                failed = false;
                return true;
            }
            failed = entry.State == ArpEntryState.Incomplete;
            entry = default;
            if (failed)
                return true;
        }
        address = default;
        failed = false;
        return false;
    }

    /// <summary>When the next request timer is due, or null when no entry is being resolved.</summary>
    public TimeSpan? NextRequestDeadline
    {
        get
        {
            TimeSpan? next = null;
            foreach (Entry entry in _entries)
            {
                if (entry.State is ArpEntryState.Incomplete or ArpEntryState.Refreshing && (next is null || entry.NextRequestAt < next))
                    next = entry.NextRequestAt;
            }
            return next;
        }
    }

    public bool TryGet(Ipv4Address address, out MacAddress mac)
    {
        int index = IndexOf(address);
        bool found = index >= 0 && _entries[index].State is ArpEntryState.Reachable or ArpEntryState.Refreshing;
        mac = found ? _entries[index].Mac : default;
        return found;
    }

    /// <summary>
    /// RFC 1122 §2.3.2.1 "higher-layer advice": a transport saw no answer, so the entry is refreshed on its next use
    /// (still used meanwhile) instead of being trusted until its lifetime ends.
    /// </summary>
    public void MarkStale(Ipv4Address address, TimeSpan now)
    {
        int index = IndexOf(address);
        if (index >= 0 && _entries[index].State == ArpEntryState.Reachable && _entries[index].ExpiresAt > now)
            _entries[index].ExpiresAt = now;
    }

    public void Clear() => Array.Clear(_entries, 0, _entries.Length);

    private int IndexOf(Ipv4Address address)
    {
        for (int i = 0; i < _entries.Length; i++)
        {
            if (_entries[i].State != ArpEntryState.Free && _entries[i].Address == address)
                return i;
        }
        return -1;
    }

    /// <summary>
    /// A slot for an address to resolve: while fewer than the cap are being resolved, a free slot or the least recently
    /// used resolved entry (<see cref="Allocate"/>); at the cap, the entry being resolved the longest.
    /// </summary>
    private int AllocateUnresolved()
    {
        int unresolved = 0;
        int oldest = -1;
        for (int i = 0; i < _entries.Length; i++)
        {
            if (_entries[i].State != ArpEntryState.Incomplete)
                continue;
            unresolved++;
            if (oldest < 0 || _entries[i].LastUsed < _entries[oldest].LastUsed)
                oldest = i;
        }
        return unresolved >= MaxUnresolved ? oldest : Allocate();
    }

    /// <summary>A free slot, else the least recently used resolved entry other than the gateway's; -1 when there is none.</summary>
    private int Allocate()
    {
        int victim = -1;
        for (int i = 0; i < _entries.Length; i++)
        {
            ref Entry entry = ref _entries[i];
            if (entry.State == ArpEntryState.Free)
                return i;
            if (entry.State == ArpEntryState.Reachable && entry.Address != Gateway && (victim < 0 || entry.LastUsed < _entries[victim].LastUsed))
                victim = i;
        }
        return victim;
    }

    private enum ArpEntryState : byte
    {
        Free,
        Incomplete,
        Reachable,
        Refreshing,
    }

    private struct Entry
    {
        public Ipv4Address Address;
        public MacAddress Mac;
        public ArpEntryState State;
        public int RequestsLeft;
        public TimeSpan ExpiresAt;
        public TimeSpan NextRequestAt;
        public TimeSpan LastUsed;
    }
}
