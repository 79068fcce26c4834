using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Diagnostics;
using Seqs.Scheduling;
using Seqs.Services;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Dhcp;

/// <summary>
/// A DHCP server (RFC 2131 §4.3) for the subnet of the stack it runs on: a pool, reservations by MAC, the options
/// of <see cref="DhcpServerOptions"/>, and a lease table bounded by the pool and the reservations, persisted
/// through an <see cref="ILeaseStore"/> off the loop thread when a lease is bound or released (see
/// <see cref="LeaseWriter"/>). A new address is probed with ARP before it is offered and held only once the offer
/// is sent; an address is never offered to two clients, new clients are rate-limited (<see cref="NewClientLimit"/>),
/// and a full pool gets no offer and a log line. Runs on the stack's loop (start it with
/// <see cref="UdpServer.RunAsync"/>); <see cref="NetService.Dispose()"/> writes what is still pending.
/// </summary>
public sealed partial class DhcpServer : UdpServer
{
    private readonly DhcpServerOptions _options;
    private readonly ILeaseStore _store;
    private readonly ILogger _logger;
    private readonly Ipv4Cidr _subnet;
    private readonly Ipv4Address _serverIdentifier;
    private readonly Dictionary<Ipv4Address, Entry> _entries = [];
    private readonly Pending?[] _pending = new Pending?[NetStack.MaxArpWatches];
    private readonly NetTimer _probeTimer;
    private readonly byte[] _transmitBuffer;
    private readonly Ipv4Address[] _dnsServers;
    private readonly byte[]? _domainName;
    private readonly LeaseWriter _writer;
    private readonly NewClientLimit _newClients;
    private LogGate _poolExhaustedLog;
    private LogGate _refusedLog;
    private LogGate _inUseLog;
    private LogGate _leasedLog = new(LogGate.InformationLinesPerMinute);
    private LogGate _releasedLog = new(LogGate.InformationLinesPerMinute);
    private LogGate _failureLog;
    private LogGate _storeLog;

    /// <summary>The stack must be configured: its address is the server identifier and its subnet the one served.</summary>
    public DhcpServer(NetStack stack, DhcpServerOptions options, ILeaseStore? store = null, ILogger<DhcpServer>? logger = null)
        : base(stack, DhcpMessage.ServerPort)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _subnet = stack.Address ?? throw new InvalidOperationException("Configure the stack's address before starting a DHCP server on it.");
        options.Validate(_subnet);
        _serverIdentifier = _subnet.Address;
        _store = store ?? new MemoryLeaseStore();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _transmitBuffer = new byte[stack.MaxUdpPayload];
        _dnsServers = [.. options.DnsServers];
        if (options.DomainName is { } domain)
        {
            _domainName = new byte[domain.Length];
            for (int i = 0; i < domain.Length; i++)
                _domainName[i] = (byte)domain[i];
        }
        Socket.EnableBroadcast = true;
        _probeTimer = stack.Loop.CreateTimer(OnProbeTimer);
        _newClients = new NewClientLimit(options.PoolSize, options.OfferHoldTime);
        stack.ArpConflict += OnArpConflict;
        LoadLeases();
        _writer = new LeaseWriter(_store, stack.Loop, OnStoreFailed);
    }

    public DhcpServerCounters Counters { get; } = new();

    /// <summary>A copy of the lease table (offers included); for diagnostics and tests, it allocates.</summary>
    public IReadOnlyList<DhcpLease> Leases => [.. _entries.Values.Select(e => e.ToLease())];

    internal LeaseWriter LeaseWriter => _writer;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Stack.ArpConflict -= OnArpConflict;
            _probeTimer.Cancel();
            foreach (Pending? pending in _pending)
            {
                if (pending is not null)
                    Stack.UnwatchArp(pending.Address);
            }
            _writer.Dispose();
        }
        base.Dispose(disposing);
    }

    protected override void OnDatagram(ReadOnlySpan<byte> datagram, Ipv4EndPoint sender)
    {
        try
        {
            Dispatch(datagram, sender);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug must cost one message, never the server.
            Counters.Ignored++;
            if (_failureLog.TryEnter(Stack.Loop.Now, out int suppressed))
                Log.MessageHandlingFailed(_logger, LogGate.Note(suppressed), e);
        }
    }

    private DateTimeOffset UtcNow => Stack.Loop.TimeProvider.GetUtcNow();

    private void Dispatch(ReadOnlySpan<byte> datagram, Ipv4EndPoint sender)
    {
        if (!DhcpMessage.TryParse(datagram, out DhcpMessage message, out _))
        {
            Counters.Malformed++;
            return;
        }
        // One pool, one subnet: a relayed request from another subnet is not ours to answer.
        if (message.Operation != DhcpOperation.BootRequest || (!message.RelayAgentAddress.IsUnspecified && !_subnet.Contains(message.RelayAgentAddress)))
        {
            Counters.Ignored++;
            return;
        }
        string key = ClientKey(message);
        switch (message.MessageType)
        {
            case DhcpMessageType.Discover:
                OnDiscover(message, key);
                break;
            case DhcpMessageType.Request:
                OnRequest(message, key);
                break;
            case DhcpMessageType.Decline:
                OnDecline(message, key);
                break;
            case DhcpMessageType.Release:
                OnRelease(message, key);
                break;
            case DhcpMessageType.Inform:
                OnInform(message, sender);
                break;
            default:
                Counters.Ignored++;
                break;
        }
    }

    /// <summary>RFC 2131 §4.2: the client identifier when sent, else 'chaddr' in the same form (RFC 2132 §9.14 type 1).</summary>
    private static string ClientKey(DhcpMessage message)
    {
        const string Hex = "0123456789ABCDEF";
        Span<byte> ethernet = stackalloc byte[1 + MacAddress.Length];
        scoped ReadOnlySpan<byte> id;
        if (!message.TryGetOption(DhcpOptionCode.ClientIdentifier, out id))
        {
            ethernet[0] = 1;
            message.ClientHardwareAddress.Write(ethernet[1..]);
            id = ethernet;
        }
        var chars = new char[id.Length * 2];
        for (int i = 0; i < id.Length; i++)
        {
            chars[2 * i] = Hex[id[i] >> 4];
            chars[2 * i + 1] = Hex[id[i] & 0xF];
        }
        return new string(chars);
    }

    /// <summary>RFC 2131 §4.3.1: the lease the client asked for, if shorter than the server's.</summary>
    private TimeSpan LeaseFor(DhcpMessage message) =>
        message.TryGetUInt32(DhcpOptionCode.IpAddressLeaseTime, out uint asked) && asked > 0 && TimeSpan.FromSeconds(asked) < _options.LeaseTime
            ? TimeSpan.FromSeconds(Math.Max(asked, 10))
            : _options.LeaseTime;

    /// <summary>
    /// Builds and sends a reply with the fields of RFC 2131 Table 3 and picks where it goes by §4.1: the relay if
    /// 'giaddr' is set; a DHCPNAK broadcast; 'ciaddr' if set; broadcast if the client asked for it; else unicast to
    /// 'yiaddr' at 'chaddr'. A null <paramref name="leaseTime"/> leaves out the lease options (DHCPINFORM).
    /// </summary>
    private bool SendReply(in ReplyTarget to, DhcpMessageType type, Ipv4Address yourAddress, TimeSpan? leaseTime)
    {
        var writer = new DhcpMessageWriter(_transmitBuffer, DhcpOperation.BootReply, type, to.TransactionId, to.HardwareAddress);
        writer.SetFlags(to.Flags);
        writer.SetRelayAgentAddress(to.RelayAgent);
        if (type == DhcpMessageType.Ack)
            writer.SetClientAddress(to.ClientAddress);
        writer.SetYourAddress(yourAddress);
        writer.WriteAddress(DhcpOptionCode.ServerIdentifier, _serverIdentifier);
        if (type != DhcpMessageType.Nak)
        {
            if (leaseTime is TimeSpan lease)
            {
                writer.WriteUInt32(DhcpOptionCode.IpAddressLeaseTime, (uint)lease.TotalSeconds);
                TimeSpan renewal = _options.RenewalTime is { } t1 && t1 < lease ? t1 : TimeSpan.FromTicks(lease.Ticks / 2);
                TimeSpan rebinding = _options.RebindingTime is { } t2 && t2 < lease && t2 > renewal ? t2 : TimeSpan.FromTicks(lease.Ticks / 8 * 7);
                writer.WriteUInt32(DhcpOptionCode.RenewalTime, (uint)renewal.TotalSeconds);
                writer.WriteUInt32(DhcpOptionCode.RebindingTime, (uint)rebinding.TotalSeconds);
            }
            writer.WriteAddress(DhcpOptionCode.SubnetMask, _subnet.Netmask);
            if (!_options.Router.IsUnspecified)
                writer.WriteAddress(DhcpOptionCode.Router, _options.Router);
            writer.WriteAddresses(DhcpOptionCode.DomainNameServer, _dnsServers);
            if (_domainName is not null)
                writer.Write(DhcpOptionCode.DomainName, _domainName);
        }
        int length = writer.Finish();

        Ipv4EndPoint destination;
        if (!to.RelayAgent.IsUnspecified)
            destination = new Ipv4EndPoint(to.RelayAgent, DhcpMessage.ServerPort);
        else if (type == DhcpMessageType.Nak || (to.Flags & DhcpMessage.BroadcastFlag) != 0 || (to.ClientAddress.IsUnspecified && yourAddress.IsUnspecified))
            destination = new Ipv4EndPoint(Ipv4Address.Broadcast, DhcpMessage.ClientPort);
        else if (!to.ClientAddress.IsUnspecified)
            destination = new Ipv4EndPoint(to.ClientAddress, DhcpMessage.ClientPort);
        else
        {
            // The client cannot answer ARP for an address it does not have yet.
            Stack.AddNeighbor(yourAddress, to.HardwareAddress);
            destination = new Ipv4EndPoint(yourAddress, DhcpMessage.ClientPort);
        }
        try
        {
            Socket.SendTo(_transmitBuffer.AsSpan(0, length), destination);
        }
        catch (SocketException)
        {
            Counters.Ignored++;
            return false;
        }
        switch (type)
        {
            case DhcpMessageType.Offer:
                Counters.Offers++;
                break;
            case DhcpMessageType.Ack:
                Counters.Acks++;
                break;
            default:
                Counters.Naks++;
                break;
        }
        return true;
    }

    private void LoadLeases()
    {
        IReadOnlyList<DhcpLease> stored;
        try
        {
            stored = _store.Load();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Counters.StoreFailures++;
            Log.StoreFailed(_logger, "", e);
            return;
        }
        foreach (DhcpLease lease in stored)
        {
            if (!_subnet.Contains(lease.Address) || lease.Address == _serverIdentifier || lease.State == DhcpLeaseState.Offered)
                continue;
            // One record per address: the one that lasts longer wins.
            if (_entries.TryGetValue(lease.Address, out Entry? existing) && existing.ExpiresAt >= lease.ExpiresAt)
                continue;
            _entries[lease.Address] = Entry.From(lease);
        }
        // One bound address per client: keep the one that lasts longer.
        foreach (Entry entry in _entries.Values)
        {
            if (entry.State != DhcpLeaseState.Bound)
                continue;
            foreach (Entry other in _entries.Values)
            {
                if (other != entry && other.State == DhcpLeaseState.Bound && other.Key == entry.Key && other.ExpiresAt <= entry.ExpiresAt)
                    other.State = DhcpLeaseState.Released;
            }
        }
    }

    /// <summary>Hands the table, offers left out, to the writer. Called when a lease is bound or released, never per message.</summary>
    private void WriteLeases()
    {
        var leases = new List<DhcpLease>(_entries.Count);
        foreach (Entry entry in _entries.Values)
        {
            if (entry.State == DhcpLeaseState.Offered)
                continue;
            leases.Add(entry.ToLease());
            entry.WrittenExpiresAt = entry.ExpiresAt;
        }
        _writer.Submit(leases);
    }

    /// <summary>On the writer's thread.</summary>
    private void OnStoreFailed(Exception e)
    {
        if (_storeLog.TryEnter(Stack.Loop.TimeProvider, out int suppressed))
            Log.StoreFailed(_logger, LogGate.Note(suppressed), e);
        Stack.Loop.Post(_ => Counters.StoreFailures++, null);
    }

    /// <summary>The fields of a request that its reply needs (RFC 2131 Table 3), kept while an offer waits for its probe.</summary>
    private readonly record struct ReplyTarget(uint TransactionId, ushort Flags, Ipv4Address RelayAgent, Ipv4Address ClientAddress, MacAddress HardwareAddress)
    {
        public static ReplyTarget Of(DhcpMessage message) =>
            new(message.TransactionId, message.Flags, message.RelayAgentAddress, message.ClientAddress, message.ClientHardwareAddress);
    }

    private sealed class Entry
    {
        public Ipv4Address Address;
        public MacAddress HardwareAddress;
        public string Key = "";
        public DhcpLeaseState State;
        public DateTimeOffset ExpiresAt;

        /// <summary>The expiry in the last snapshot handed to the writer: what a restart would read.</summary>
        public DateTimeOffset WrittenExpiresAt;

        public static Entry From(DhcpLease lease) => new()
        {
            Address = lease.Address,
            HardwareAddress = lease.HardwareAddress,
            Key = lease.ClientKey,
            State = lease.State,
            ExpiresAt = lease.ExpiresAt,
            WrittenExpiresAt = lease.ExpiresAt,
        };

        public DhcpLease ToLease() => new(Address, HardwareAddress, Key, State, ExpiresAt);

        /// <summary>Free for anyone: released, or past its time whatever it was.</summary>
        public bool IsFree(DateTimeOffset now) => State == DhcpLeaseState.Released || ExpiresAt <= now;
    }

    private sealed class Pending
    {
        public ReplyTarget Target;
        public string Key = "";
        public Ipv4Address Address;
        public TimeSpan Lease;
        public TimeSpan Deadline;
        public int Attempts;
        public bool Conflict;
        public MacAddress ConflictMac;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "DHCP pool full: no address to offer {Mac}{Suppressed}")]
        public static partial void PoolExhausted(ILogger logger, string mac, string suppressed);

        [LoggerMessage(2, LogLevel.Information, "DHCP lease {Address} to {Mac} for {LeaseSeconds} s{Suppressed}")]
        public static partial void Leased(ILogger logger, string address, string mac, long leaseSeconds, string suppressed);

        [LoggerMessage(3, LogLevel.Warning, "DHCP address {Address} is in use by {Mac}; kept out of the pool (RFC 2131 §4.3.3){Suppressed}")]
        public static partial void AddressInUse(ILogger logger, string address, string mac, string suppressed);

        [LoggerMessage(4, LogLevel.Information, "DHCP lease {Address} released by {Mac}{Suppressed}")]
        public static partial void Released(ILogger logger, string address, string mac, string suppressed);

        [LoggerMessage(5, LogLevel.Error, "DHCP lease store failed; leases are kept in memory{Suppressed}")]
        public static partial void StoreFailed(ILogger logger, string suppressed, Exception exception);

        [LoggerMessage(6, LogLevel.Error, "Handling a DHCP message failed; the message was dropped{Suppressed}")]
        public static partial void MessageHandlingFailed(ILogger logger, string suppressed, Exception exception);

        [LoggerMessage(7, LogLevel.Warning, "DHCP new client {Mac} refused: too many new clients at once; it is answered when it asks again{Suppressed}")]
        public static partial void NewClientRefused(ILogger logger, string mac, string suppressed);
    }
}
