using Microsoft.Extensions.Logging;
using Seqs.Diagnostics;
using Seqs.Wire;

namespace Seqs.Dhcp;

/// <summary>One method per client message (RFC 2131 §4.3.1 to §4.3.5).</summary>
public sealed partial class DhcpServer
{
    /// <summary>Addresses tried for one DISCOVER when probes keep finding them in use.</summary>
    private const int MaxProbeAttempts = 3;

    /// <summary>RFC 2131 §4.3.1: choose an address, check it is unused, offer it.</summary>
    private void OnDiscover(DhcpMessage discover, string key)
    {
        Counters.Discovers++;
        var target = ReplyTarget.Of(discover);
        foreach (Pending? pending in _pending)
        {
            // A retransmitted DISCOVER while its address is being probed: answer the latest transaction.
            if (pending is not null && pending.Key == key)
            {
                pending.Target = target;
                return;
            }
        }
        discover.TryGetAddress(DhcpOptionCode.RequestedIpAddress, out Ipv4Address requested);
        Allocate(target, key, requested, LeaseFor(discover), attempts: 0);
    }

    /// <summary>RFC 2131 §4.3.2: SELECTING, INIT-REBOOT, RENEWING and REBINDING are told apart by the options and 'ciaddr'.</summary>
    private void OnRequest(DhcpMessage request, string key)
    {
        Counters.Requests++;
        var target = ReplyTarget.Of(request);
        DateTimeOffset now = UtcNow;
        bool hasRequested = request.TryGetAddress(DhcpOptionCode.RequestedIpAddress, out Ipv4Address requested);
        if (request.TryGetAddress(DhcpOptionCode.ServerIdentifier, out Ipv4Address server))
        {
            // SELECTING. Another server's identifier means the client declined our offer.
            if (server != _serverIdentifier || !hasRequested)
            {
                DropOffer(key);
                Counters.Ignored++;
                return;
            }
            if (_entries.TryGetValue(requested, out Entry? offered) && offered.Key == key
                && offered.State is DhcpLeaseState.Offered or DhcpLeaseState.Bound && offered.ExpiresAt > now)
                Bind(target, offered, LeaseFor(request));
            else
                SendReply(target, DhcpMessageType.Nak, default, null);
            return;
        }
        if (hasRequested && request.ClientAddress.IsUnspecified)
        {
            // INIT-REBOOT: "DHCPNAK if the requested IP address is incorrect, or is on the wrong network";
            // silent when the server has no record of the client.
            OnVerify(target, key, requested, LeaseFor(request), now);
            return;
        }
        if (!request.ClientAddress.IsUnspecified)
        {
            // RENEWING (unicast) or REBINDING (broadcast): extend the client's own lease.
            OnVerify(target, key, request.ClientAddress, LeaseFor(request), now);
            return;
        }
        Counters.Ignored++;
    }

    private void OnVerify(in ReplyTarget target, string key, Ipv4Address address, TimeSpan lease, DateTimeOffset now)
    {
        bool reservedElsewhere = _options.Reservations.TryGetValue(target.HardwareAddress, out Ipv4Address reserved) && reserved != address;
        if (!_subnet.Contains(address) || reservedElsewhere || ReservedForOther(address, target.HardwareAddress))
        {
            SendReply(target, DhcpMessageType.Nak, default, null);
            return;
        }
        if (!_entries.TryGetValue(address, out Entry? entry))
        {
            Counters.Ignored++;
            return;
        }
        if (entry.Key == key && entry.State != DhcpLeaseState.Declined)
        {
            Bind(target, entry, lease);
            return;
        }
        if (entry.IsFree(now))
        {
            Counters.Ignored++;
            return;
        }
        SendReply(target, DhcpMessageType.Nak, default, null);
    }

    /// <summary>RFC 2131 §4.3.3: "the server MUST mark the network address as not available".</summary>
    private void OnDecline(DhcpMessage decline, string key)
    {
        Counters.Declines++;
        if ((decline.TryGetAddress(DhcpOptionCode.ServerIdentifier, out Ipv4Address server) && server != _serverIdentifier)
            || !decline.TryGetAddress(DhcpOptionCode.RequestedIpAddress, out Ipv4Address address)
            || !_entries.TryGetValue(address, out Entry? entry) || entry.Key != key)
        {
            Counters.Ignored++;
            return;
        }
        MarkInUse(entry, MacAddress.Zero);
        WriteLeases();
    }

    /// <summary>RFC 2131 §4.3.4: the address is free again; the record is kept so that the client gets it back.</summary>
    private void OnRelease(DhcpMessage release, string key)
    {
        Counters.Releases++;
        if ((release.TryGetAddress(DhcpOptionCode.ServerIdentifier, out Ipv4Address server) && server != _serverIdentifier)
            || !_entries.TryGetValue(release.ClientAddress, out Entry? entry) || entry.Key != key || entry.State != DhcpLeaseState.Bound)
        {
            Counters.Ignored++;
            return;
        }
        entry.State = DhcpLeaseState.Released;
        entry.ExpiresAt = UtcNow;
        if (_logger.IsEnabled(LogLevel.Information) && _releasedLog.TryEnter(Stack.Loop.Now, out int suppressed))
            Log.Released(_logger, entry.Address.ToString(), entry.HardwareAddress.ToString(), LogGate.Note(suppressed));
        WriteLeases();
    }

    /// <summary>
    /// RFC 2131 §4.3.5: DHCPACK with the options and no lease, unicast to 'ciaddr'; only to a client on the served
    /// subnet. The options are "as defined in section 4.3.1", those of the client's network, and the only network
    /// this server knows is its own; answering any 'ciaddr' would also make it a reflector aimed at hosts off the link.
    /// </summary>
    private void OnInform(DhcpMessage inform, Ipv4EndPoint sender)
    {
        Counters.Informs++;
        var target = ReplyTarget.Of(inform);
        if (target.ClientAddress.IsUnspecified)
            target = target with { ClientAddress = sender.Address };
        if (!_subnet.Contains(target.ClientAddress) || target.ClientAddress == _subnet.Network || target.ClientAddress == _subnet.DirectedBroadcast)
        {
            Counters.Ignored++;
            return;
        }
        SendReply(target, DhcpMessageType.Ack, default, null);
    }

    /// <summary>
    /// Binds <paramref name="entry"/> to its client and acknowledges. RFC 2131 §3.1 step 4 has the server commit the
    /// binding to persistent storage and then send the DHCPACK; here the DHCPACK goes first and the
    /// <see cref="LeaseWriter"/> writes within a second, off the loop. Writing first would stall every connection
    /// of the device for an fsync (tens of milliseconds on an SD card) per message, and a client in a loop would
    /// wear the card out. A crash in that second loses the record of the bindings of that second only: the
    /// conflict probe keeps their addresses from other clients while they are in use, and each such client gets
    /// an address again when its lease runs out.
    /// </summary>
    private void Bind(in ReplyTarget target, Entry entry, TimeSpan lease)
    {
        DateTimeOffset now = UtcNow;
        bool renewal = entry.State == DhcpLeaseState.Bound && entry.ExpiresAt > now;
        bool releasedOther = ReleaseOthers(entry.Key, entry);
        entry.State = DhcpLeaseState.Bound;
        entry.HardwareAddress = target.HardwareAddress;
        entry.ExpiresAt = now + lease;
        // A renewal is written only once the record on disk is a whole lease behind: a client renewing at T1 costs
        // one write every other renewal, one renewing in a loop one write per lease time. A record a restart reads
        // out of date still names the client, so its next renewal is acknowledged (OnVerify), and the conflict
        // probe keeps the address from another client while it is in use.
        if (!renewal || releasedOther || entry.ExpiresAt - entry.WrittenExpiresAt >= lease)
            WriteLeases();
        if (_logger.IsEnabled(LogLevel.Information) && !renewal && _leasedLog.TryEnter(Stack.Loop.Now, out int suppressed))
            Log.Leased(_logger, entry.Address.ToString(), entry.HardwareAddress.ToString(), (long)lease.TotalSeconds, LogGate.Note(suppressed));
        SendReply(target, DhcpMessageType.Ack, entry.Address, lease);
    }

    /// <summary>A client holds at most one address: any other offer or lease of the same client is let go; true if a lease was.</summary>
    private bool ReleaseOthers(string key, Entry keep)
    {
        bool releasedLease = false;
        foreach (Entry other in _entries.Values)
        {
            if (other != keep && other.Key == key && other.State is DhcpLeaseState.Offered or DhcpLeaseState.Bound)
            {
                releasedLease |= other.State == DhcpLeaseState.Bound;
                other.State = DhcpLeaseState.Released;
                other.ExpiresAt = UtcNow;
            }
        }
        return releasedLease;
    }

    private void DropOffer(string key)
    {
        foreach (Entry entry in _entries.Values)
        {
            if (entry.Key == key && entry.State == DhcpLeaseState.Offered)
            {
                entry.State = DhcpLeaseState.Released;
                entry.ExpiresAt = UtcNow;
            }
        }
    }

    private void MarkInUse(Entry entry, MacAddress by)
    {
        entry.State = DhcpLeaseState.Declined;
        entry.Key = "00";
        entry.HardwareAddress = by;
        entry.ExpiresAt = UtcNow + _options.DeclineHoldTime;
        if (_logger.IsEnabled(LogLevel.Warning) && _inUseLog.TryEnter(Stack.Loop.Now, out int suppressed))
            Log.AddressInUse(_logger, entry.Address.ToString(), by.ToString(), LogGate.Note(suppressed));
    }
}
