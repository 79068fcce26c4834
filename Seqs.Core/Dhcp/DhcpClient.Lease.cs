using Microsoft.Extensions.Logging;
using Seqs.Wire;

namespace Seqs.Dhcp;

/// <summary>Keeping a lease: applying it, BOUND, RENEWING, REBINDING and expiry (RFC 2131 §4.4.5).</summary>
public sealed partial class DhcpClient
{
    /// <summary>RFC 2131 §4.4.5: "T1 defaults to (0.5 * duration_of_lease). T2 defaults to (0.875 * duration_of_lease)".</summary>
    private const double DefaultRenewalFraction = 0.5;
    private const double DefaultRebindingFraction = 0.875;

    /// <summary>
    /// Reads the configuration of a DHCPACK. Lists and names equal to the current lease's are reused, so that a
    /// renewal that changes nothing allocates nothing.
    /// </summary>
    private DhcpClientLease ReadLease(DhcpMessage ack, Ipv4Address server)
    {
        Ipv4Address address = ack.YourAddress;
        var cidr = new Ipv4Cidr(address, PrefixLength(ack, address));
        Ipv4Address router = default;
        if (ack.TryGetOption(DhcpOptionCode.Router, out ReadOnlySpan<byte> routers))
        {
            // RFC 2132 §3.5: routers in order of preference; the first on the subnet is the default route.
            for (int i = 0; i + Ipv4Address.Length <= routers.Length; i += Ipv4Address.Length)
            {
                Ipv4Address candidate = Ipv4Address.Read(routers[i..]);
                if (cidr.Contains(candidate) && candidate != address && IsUsableAddress(candidate))
                {
                    router = candidate;
                    break;
                }
            }
        }
        ack.TryGetUInt32(DhcpOptionCode.IpAddressLeaseTime, out uint leaseSeconds);
        TimeSpan leaseTime = TimeSpan.FromSeconds(leaseSeconds);
        if (leaseTime < _options.MinimumLeaseTime)
            leaseTime = _options.MinimumLeaseTime;
        TimeSpan renewal = TimeSpan.FromTicks((long)(leaseTime.Ticks * DefaultRenewalFraction));
        TimeSpan rebinding = TimeSpan.FromTicks((long)(leaseTime.Ticks * DefaultRebindingFraction));
        // RFC 2132 §9.11, §9.12: T1 and T2 as the server gives them, if they are in order (T1 < T2 < lease).
        if (ack.TryGetUInt32(DhcpOptionCode.RenewalTime, out uint t1) && ack.TryGetUInt32(DhcpOptionCode.RebindingTime, out uint t2)
            && t1 > 0 && t1 < t2 && TimeSpan.FromSeconds(t2) < leaseTime)
        {
            renewal = TimeSpan.FromSeconds(t1);
            rebinding = TimeSpan.FromSeconds(t2);
        }
        else if (ack.TryGetUInt32(DhcpOptionCode.RenewalTime, out t1) && t1 > 0 && TimeSpan.FromSeconds(t1) < rebinding)
        {
            renewal = TimeSpan.FromSeconds(t1);
        }
        return new DhcpClientLease(cidr, router, server, ReadDnsServers(ack), ReadDomainName(ack), leaseTime, renewal, rebinding, _requestStart);
    }

    /// <summary>RFC 2132 §3.3: a subnet mask must be contiguous; without a usable one, the address's class decides (RFC 1122 §3.3.1.1 era default).</summary>
    private static int PrefixLength(DhcpMessage ack, Ipv4Address address)
    {
        if (ack.TryGetAddress(DhcpOptionCode.SubnetMask, out Ipv4Address mask))
        {
            uint inverted = ~mask.Value;
            bool contiguous = (inverted & (inverted + 1)) == 0;
            int prefix = 32 - BitCount(inverted);
            if (contiguous && prefix is >= 1 and <= 30)
                return prefix;
        }
        return (address.Value >> 30) switch
        {
            0 or 1 => 8,
            2 => 16,
            _ => 24,
        };
    }

    private static int BitCount(uint value)
    {
        int count = 0;
        for (; value != 0; value &= value - 1)
            count++;
        return count;
    }

    private IReadOnlyList<Ipv4Address> ReadDnsServers(DhcpMessage ack)
    {
        IReadOnlyList<Ipv4Address> current = _hasLease ? _lease.DnsServers : [];
        if (!ack.TryGetOption(DhcpOptionCode.DomainNameServer, out ReadOnlySpan<byte> list))
            return current.Count == 0 ? current : [];
        int count = Math.Min(list.Length / Ipv4Address.Length, MaxDnsServers);
        bool same = current.Count == count;
        for (int i = 0; same && i < count; i++)
            same = current[i] == Ipv4Address.Read(list[(i * Ipv4Address.Length)..]);
        if (same)
            return current;
        var servers = new Ipv4Address[count];
        for (int i = 0; i < count; i++)
            servers[i] = Ipv4Address.Read(list[(i * Ipv4Address.Length)..]);
        return servers;
    }

    /// <summary>RFC 2132 §3.17; only printable ASCII is taken, anything else is ignored as hostile.</summary>
    private string? ReadDomainName(DhcpMessage ack)
    {
        string? current = _hasLease ? _lease.DomainName : null;
        if (!ack.TryGetOption(DhcpOptionCode.DomainName, out ReadOnlySpan<byte> name))
            return null;
        // Some servers count a terminating NUL in the length.
        if (name.Length > 0 && name[^1] == 0)
            name = name[..^1];
        if (name.IsEmpty)
            return null;
        foreach (byte b in name)
        {
            if (b is < 0x21 or > 0x7E)
                return null;
        }
        bool same = current is not null && current.Length == name.Length;
        for (int i = 0; same && i < name.Length; i++)
            same = current![i] == name[i];
        if (same)
            return current;
        var chars = new char[name.Length];
        for (int i = 0; i < name.Length; i++)
            chars[i] = (char)name[i];
        return new string(chars);
    }

    /// <summary>Configures the stack with <paramref name="lease"/> (only what changed) and enters BOUND until T1.</summary>
    private void Apply(DhcpClientLease lease, bool renewal)
    {
        _lease = lease;
        _hasLease = true;
        RememberedAddress = lease.Address.Address;
        if (_stack.Address != lease.Address || _stack.Gateway != lease.Router || !ReferenceEquals(_stack.DnsServers, lease.DnsServers))
            _stack.Configure(lease.Address, lease.Router, lease.DnsServers);
        State = DhcpClientState.Bound;
        _attempts = 0;
        _timer.Schedule(lease.RenewAt);
        long seconds = (long)lease.LeaseTime.TotalSeconds;
        if (renewal)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
                Log.LeaseRenewed(_logger, lease.Address.ToString(), seconds);
            Renewed?.Invoke(this, EventArgs.Empty);
            return;
        }
        if (_logger.IsEnabled(LogLevel.Information))
            Log.LeaseBound(_logger, lease.Address.ToString(), lease.ServerIdentifier.ToString(), lease.Router.ToString(), seconds);
        Bound?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>RFC 2131 §4.4.5: at T1, DHCPREQUEST unicast to the server that gave the lease.</summary>
    private void BeginRenewing()
    {
        State = DhcpClientState.Renewing;
        _transactionId = NewTransactionId();
        _transactionStart = _stack.Loop.Now;
        _attempts = 0;
        SendRequest();
        ScheduleLeaseRetransmission(_lease.RebindAt);
    }

    private void OnRenewingTimer()
    {
        if (_stack.Loop.Now >= _lease.RebindAt)
        {
            BeginRebinding();
            return;
        }
        SendRequest();
        ScheduleLeaseRetransmission(_lease.RebindAt);
    }

    /// <summary>RFC 2131 §4.4.5: at T2, DHCPREQUEST broadcast to any server.</summary>
    private void BeginRebinding()
    {
        State = DhcpClientState.Rebinding;
        _transactionId = NewTransactionId();
        _transactionStart = _stack.Loop.Now;
        _attempts = 0;
        SendRequest();
        ScheduleLeaseRetransmission(_lease.ExpiresAt);
    }

    private void OnRebindingTimer()
    {
        if (_stack.Loop.Now >= _lease.ExpiresAt)
        {
            // RFC 2131 §4.4.5: "If the lease expires before the client receives a DHCPACK, the client moves to INIT
            // state, MUST immediately stop any other network processing and requests network initialization parameters".
            LoseLease("expired");
            Restart(TimeSpan.Zero);
            return;
        }
        SendRequest();
        ScheduleLeaseRetransmission(_lease.ExpiresAt);
    }

    /// <summary>RFC 2131 §4.4.5: retransmit after half the time left to <paramref name="deadline"/>, at least 60 s, never past it.</summary>
    private void ScheduleLeaseRetransmission(TimeSpan deadline)
    {
        TimeSpan now = _stack.Loop.Now;
        TimeSpan wait = TimeSpan.FromTicks(Math.Max((deadline - now).Ticks / 2, MinRenewRetransmission.Ticks));
        _timer.Schedule(now + wait < deadline ? now + wait : deadline);
    }
}
