using Seqs.Device.Nics;
using Seqs.Dhcp;
using Seqs.Drivers.Enc28j60;
using Seqs.Http;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device.Web;

/// <summary>
/// Refreshes <see cref="Status"/> and <see cref="Stats"/> from the stack and the services, on the stack's loop.
/// Strings are rebuilt only when the value they spell changed, so a refresh allocates nothing once warm.
/// </summary>
internal sealed class DeviceStatusCollector
{
    private readonly NetStack _stack;
    private readonly OpenedNic _nic;
    private readonly HttpServerCounters _http;
    private readonly ILed _led;
    private readonly NetworkTimeService? _time;
    private readonly Func<DhcpClientLease?> _lease;
    private readonly TimeSpan _started;
    private readonly LeaseStatus _leaseStatus = new();
    private Ipv4Cidr? _address;
    private Ipv4Address _gateway;
    private IReadOnlyList<Ipv4Address>? _dnsServers;
    private Ipv4Address _leaseServer;

    public DeviceStatusCollector(NetStack stack, string name, OpenedNic nic, HttpServerCounters http, ILed led, NetworkTimeService? time, Func<DhcpClientLease?> lease)
    {
        _stack = stack;
        _nic = nic;
        _http = http;
        _led = led;
        _time = time;
        _lease = lease;
        _started = stack.Loop.Now;
        Status.Name = name;
        Status.Mac = stack.MacAddress.ToString();
        Status.Led = led.Description;
        Status.TimeServer = time?.Server;
        Traffic = new TrafficHistory(stack);
        Stats = new DeviceStats { Stack = stack.Counters, Tcp = stack.Tcp.Counters, Http = http, Enc28j60 = nic.Nic is Enc28j60 chip ? chip.Counters : null };
    }

    public DeviceStatus Status { get; } = new();

    public DeviceStats Stats { get; }

    /// <summary>The bytes in and out over the last minutes, for the status page's chart.</summary>
    public TrafficHistory Traffic { get; }

    /// <summary>The stack's loop time, for rate limits.</summary>
    public TimeSpan Now => _stack.Loop.Now;

    public long UptimeSeconds => (long)(_stack.Loop.Now - _started).TotalSeconds;

    public DeviceStatus RefreshStatus()
    {
        DeviceStatus s = Status;
        if (_stack.Address != _address)
        {
            _address = _stack.Address;
            s.Address = _address?.Address.ToString();
            s.PrefixLength = _address?.PrefixLength;
        }
        if (_stack.Gateway != _gateway || s.Gateway is null && !_gateway.IsUnspecified)
        {
            _gateway = _stack.Gateway;
            s.Gateway = _gateway.IsUnspecified ? null : _gateway.ToString();
        }
        if (!ReferenceEquals(_stack.DnsServers, _dnsServers))
        {
            _dnsServers = _stack.DnsServers;
            s.DnsServers = [.. _dnsServers.Select(a => a.ToString())];
        }
        RefreshLease(s);
        s.LinkUp = _stack.IsLinkUp;
        s.Time = _time?.Now ?? _stack.Loop.TimeProvider.GetUtcNow();
        s.TimeSynchronized = _time?.IsSynchronized ?? false;
        s.TimeOffsetMs = _time?.LastSample?.Offset.TotalMilliseconds;
        s.UptimeSeconds = UptimeSeconds;
        s.LedOn = _led.IsOn;
        NetStackCounters c = _stack.Counters;
        TrafficCounters t = s.Counters;
        t.FramesReceived = c.FramesReceived;
        t.FramesTransmitted = c.FramesTransmitted;
        t.BytesReceived = c.BytesReceived;
        t.BytesTransmitted = c.BytesTransmitted;
        t.Malformed = c.Malformed;
        t.TcpConnections = _stack.Tcp.ConnectionCount;
        t.TcpSegmentsReceived = _stack.Tcp.Counters.SegmentsReceived;
        t.UdpDatagramsReceived = c.UdpDatagramsReceived;
        t.IcmpEchoRepliesSent = c.IcmpEchoRepliesSent;
        t.HttpRequests = _http.Requests;
        _nic.ReadStatus(s.Nic);
        return s;
    }

    public DeviceStats RefreshStats()
    {
        Stats.UptimeSeconds = UptimeSeconds;
        _nic.ReadStatus(Stats.Nic);
        ProcessStats process = Stats.Process;
        process.ManagedHeapBytes = GC.GetTotalMemory(forceFullCollection: false);
        process.AllocatedBytes = GC.GetTotalAllocatedBytes();
        process.Gen0Collections = GC.CollectionCount(0);
        process.Gen1Collections = GC.CollectionCount(1);
        process.Gen2Collections = GC.CollectionCount(2);
        return Stats;
    }

    private void RefreshLease(DeviceStatus s)
    {
        if (_lease() is not { } lease)
        {
            s.Lease = null;
            return;
        }
        if (lease.ServerIdentifier != _leaseServer || _leaseStatus.Server is null)
        {
            _leaseServer = lease.ServerIdentifier;
            _leaseStatus.Server = _leaseServer.ToString();
        }
        _leaseStatus.LeaseSeconds = (long)lease.LeaseTime.TotalSeconds;
        _leaseStatus.RemainingSeconds = Math.Max(0, (long)(lease.ExpiresAt - _stack.Loop.Now).TotalSeconds);
        s.Lease = _leaseStatus;
    }
}
