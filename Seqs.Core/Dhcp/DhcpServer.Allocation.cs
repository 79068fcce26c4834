using Microsoft.Extensions.Logging;
using Seqs.Diagnostics;
using Seqs.Wire;

namespace Seqs.Dhcp;

/// <summary>Choosing an address for a DISCOVER (RFC 2131 §4.3.1) and checking it with ARP before offering it.</summary>
public sealed partial class DhcpServer
{
    private void Allocate(in ReplyTarget target, string key, Ipv4Address requested, TimeSpan lease, int attempts)
    {
        DateTimeOffset now = UtcNow;
        bool known = IsKnown(key, target.HardwareAddress);
        if (!TryChooseAddress(target.HardwareAddress, key, requested, now, out Ipv4Address address, out bool probe))
        {
            Counters.PoolExhausted++;
            if (_logger.IsEnabled(LogLevel.Warning) && _poolExhaustedLog.TryEnter(Stack.Loop.Now, out int suppressed))
                Log.PoolExhausted(_logger, target.HardwareAddress.ToString(), LogGate.Note(suppressed));
            return;
        }
        // A retry after a probe found an address in use was admitted with the first try.
        if (!known && attempts == 0 && !_newClients.TryAdmit(target.HardwareAddress, Stack.Loop.Now))
        {
            Counters.NewClientsRefused++;
            if (_logger.IsEnabled(LogLevel.Warning) && _refusedLog.TryEnter(Stack.Loop.Now, out int suppressed))
                Log.NewClientRefused(_logger, target.HardwareAddress.ToString(), LogGate.Note(suppressed));
            return;
        }
        if (probe && _options.ConflictProbeWait > TimeSpan.Zero)
        {
            StartProbe(target, key, address, lease, attempts);
            return;
        }
        Offer(target, key, address, lease);
    }

    /// <summary>
    /// RFC 2131 §4.3.1: the server SHOULD reserve the offered address for the client. It is reserved once the offer
    /// is out, not while it is probed or when no offer could be sent, and for <see cref="DhcpServerOptions.OfferHoldTime"/>
    /// only: an offer nobody takes up gives its address back to the pool.
    /// </summary>
    private void Offer(in ReplyTarget target, string key, Ipv4Address address, TimeSpan lease)
    {
        if (!SendReply(target, DhcpMessageType.Offer, address, lease))
            return;
        DateTimeOffset now = UtcNow;
        if (!_entries.TryGetValue(address, out Entry? entry))
            _entries[address] = entry = new Entry { Address = address };
        if (!(entry.Key == key && entry.State == DhcpLeaseState.Bound && entry.ExpiresAt > now))
        {
            entry.Key = key;
            entry.HardwareAddress = target.HardwareAddress;
            entry.State = DhcpLeaseState.Offered;
            entry.ExpiresAt = now + _options.OfferHoldTime;
        }
    }

    /// <summary>A client with a record of any state, or a reservation: not new, so not rate-limited.</summary>
    private bool IsKnown(string key, MacAddress mac)
    {
        if (_options.Reservations.ContainsKey(mac))
            return true;
        foreach (Entry entry in _entries.Values)
        {
            if (entry.Key == key)
                return true;
        }
        return false;
    }

    /// <summary>An address held by a probe in progress, for this or another client.</summary>
    private bool IsProbing(Ipv4Address address)
    {
        foreach (Pending? pending in _pending)
        {
            if (pending is not null && pending.Address == address)
                return true;
        }
        return false;
    }

    /// <summary>
    /// RFC 2131 §4.3.1's order: the client's reservation, its current or previous address, the address it asked
    /// for, an address never used, then the one free the longest. <paramref name="probe"/> says whether the
    /// address is new to the client and must be checked first.
    /// </summary>
    private bool TryChooseAddress(MacAddress mac, string key, Ipv4Address requested, DateTimeOffset now, out Ipv4Address address, out bool probe)
    {
        probe = false;
        if (_options.Reservations.TryGetValue(mac, out address))
            return true;
        Entry? previous = null;
        foreach (Entry entry in _entries.Values)
        {
            if (entry.Key == key && entry.State != DhcpLeaseState.Declined && InPool(entry.Address)
                && (previous is null || entry.ExpiresAt > previous.ExpiresAt))
                previous = entry;
        }
        if (previous is not null && !ReservedForOther(previous.Address, mac) && !IsProbing(previous.Address))
        {
            address = previous.Address;
            probe = previous.IsFree(now);
            return true;
        }
        probe = true;
        if (InPool(requested) && IsAvailable(requested, mac, now))
        {
            address = requested;
            return true;
        }
        for (uint value = _options.PoolStart.Value; value <= _options.PoolEnd.Value && value != 0; value++)
        {
            var candidate = new Ipv4Address(value);
            if (!_entries.ContainsKey(candidate) && candidate != _serverIdentifier && !ReservedForOther(candidate, mac) && !IsProbing(candidate))
            {
                address = candidate;
                return true;
            }
        }
        Entry? oldest = null;
        foreach (Entry entry in _entries.Values)
        {
            if (InPool(entry.Address) && IsAvailable(entry.Address, mac, now) && (oldest is null || entry.ExpiresAt < oldest.ExpiresAt))
                oldest = entry;
        }
        address = oldest?.Address ?? default;
        return oldest is not null;
    }

    private bool InPool(Ipv4Address address) =>
        address.Value >= _options.PoolStart.Value && address.Value <= _options.PoolEnd.Value && address != _serverIdentifier;

    private bool IsAvailable(Ipv4Address address, MacAddress mac, DateTimeOffset now) =>
        !ReservedForOther(address, mac) && !IsProbing(address) && (!_entries.TryGetValue(address, out Entry? entry) || entry.IsFree(now));

    private bool ReservedForOther(Ipv4Address address, MacAddress mac)
    {
        foreach (KeyValuePair<MacAddress, Ipv4Address> reservation in _options.Reservations)
        {
            if (reservation.Value == address && reservation.Key != mac)
                return true;
        }
        return false;
    }

    /// <summary>
    /// An ARP probe (RFC 5227 §2.1.1) instead of RFC 2131's suggested ICMP echo: every IPv4 host on the link answers
    /// ARP, firewalled or not. With no probe slot free the DISCOVER goes unanswered; the client will send it again.
    /// </summary>
    private void StartProbe(in ReplyTarget target, string key, Ipv4Address address, TimeSpan lease, int attempts)
    {
        int slot = Array.IndexOf(_pending, null);
        if (slot < 0 || !Stack.WatchArp(address))
        {
            Counters.Ignored++;
            return;
        }
        _pending[slot] = new Pending
        {
            Target = target,
            Key = key,
            Address = address,
            Lease = lease,
            Deadline = Stack.Loop.Now + _options.ConflictProbeWait,
            Attempts = attempts,
        };
        Stack.SendArpProbe(address);
        ScheduleProbeTimer();
    }

    private void OnArpConflict(Ipv4Address address, MacAddress mac)
    {
        foreach (Pending? pending in _pending)
        {
            if (pending is not null && pending.Address == address)
            {
                // Handled on the timer, this turn, rather than inside the stack's frame handling.
                pending.Conflict = true;
                pending.ConflictMac = mac;
                _probeTimer.Schedule(Stack.Loop.Now);
            }
        }
    }

    private void OnProbeTimer()
    {
        TimeSpan now = Stack.Loop.Now;
        for (int i = 0; i < _pending.Length; i++)
        {
            Pending? pending = _pending[i];
            if (pending is null || !(pending.Conflict || pending.Deadline <= now))
                continue;
            _pending[i] = null;
            Stack.UnwatchArp(pending.Address);
            if (!pending.Conflict)
            {
                Offer(pending.Target, pending.Key, pending.Address, pending.Lease);
                continue;
            }
            Counters.Conflicts++;
            if (!_entries.TryGetValue(pending.Address, out Entry? entry))
                _entries[pending.Address] = entry = new Entry { Address = pending.Address };
            // Kept in memory only: no lease was bound or released, and after a restart the probe finds the station again.
            MarkInUse(entry, pending.ConflictMac);
            if (pending.Attempts + 1 < MaxProbeAttempts)
                Allocate(pending.Target, pending.Key, default, pending.Lease, pending.Attempts + 1);
        }
        ScheduleProbeTimer();
    }

    private void ScheduleProbeTimer()
    {
        TimeSpan? next = null;
        foreach (Pending? pending in _pending)
        {
            if (pending is not null && (next is null || pending.Deadline < next))
                next = pending.Deadline;
        }
        if (next is TimeSpan deadline)
            _probeTimer.Schedule(deadline);
        else
            _probeTimer.Cancel();
    }
}
