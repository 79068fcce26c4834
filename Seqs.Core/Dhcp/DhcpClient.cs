using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Diagnostics;
using Seqs.Scheduling;
using Seqs.Stack;
using Seqs.Wire;
using UdpReceiveResult = Seqs.Stack.UdpReceiveResult;

namespace Seqs.Dhcp;

/// <summary>
/// A DHCP client (RFC 2131) that configures a <see cref="NetStack"/>: it obtains a lease, checks the address with
/// ARP (RFC 5227), applies address, prefix, router and DNS servers, renews at T1, rebinds at T2, drops the address
/// when the lease runs out and starts over, and releases the lease on <see cref="StopAsync"/>. It runs on the stack's
/// loop with one timer and one receive buffer; a renewal allocates nothing. Its progress is in <see cref="State"/>
/// and the <see cref="Bound"/>, <see cref="Renewed"/> and <see cref="Lost"/> events, raised on the loop.
/// </summary>
public sealed partial class DhcpClient : IDisposable
{
    /// <summary>RFC 2131 §4.1: the first retransmission after 4 s, doubling up to 64 s, each ±1 s.</summary>
    private const int FirstRetransmissionSeconds = 4;
    private const int MaxBackoffDoublings = 4;

    /// <summary>RFC 2131 §4.4.5: in RENEWING and REBINDING, retransmit after half the time left, "down to a minimum of 60 seconds".</summary>
    private static readonly TimeSpan MinRenewRetransmission = TimeSpan.FromSeconds(60);

    /// <summary>RFC 2131 §3.1 step 5 / §4.4.1: after DHCPDECLINE, "wait a minimum of ten seconds before restarting".</summary>
    private static readonly TimeSpan DeclineRestartDelay = TimeSpan.FromSeconds(10);

    /// <summary>RFC 5227 §1.1: PROBE_WAIT, PROBE_MIN, PROBE_MAX and ANNOUNCE_WAIT.</summary>
    private static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeMin = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeMax = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AnnounceWait = TimeSpan.FromSeconds(2);

    /// <summary>DNS servers kept from option 6; more are ignored.</summary>
    public const int MaxDnsServers = 4;

    /// <summary>
    /// RFC 2131 §2: a client "must be prepared to receive DHCP messages with an 'options' field of at least length
    /// 312 octets": 236 + 312 = 548, which with the IP and UDP headers is the 576 of option 57 (RFC 2132 §9.10).
    /// Longer messages arrive truncated and are dropped.
    /// </summary>
    public const int ReceiveBufferLength = DhcpMessage.FixedLength + 312;

    /// <summary>Our messages carry a handful of short options; this leaves room for a 63-octet host name.</summary>
    private const int TransmitBufferLength = 400;

    /// <summary>RFC 2132 §9.14: type 1 (Ethernet) followed by the hardware address.</summary>
    private const byte ClientIdentifierEthernet = 1;

    private static readonly byte[] s_parameterRequestList =
    [
        (byte)DhcpOptionCode.SubnetMask, (byte)DhcpOptionCode.Router, (byte)DhcpOptionCode.DomainNameServer,
        (byte)DhcpOptionCode.DomainName, (byte)DhcpOptionCode.IpAddressLeaseTime, (byte)DhcpOptionCode.RenewalTime,
        (byte)DhcpOptionCode.RebindingTime,
    ];

    private readonly NetStack _stack;
    private readonly DhcpClientOptions _options;
    private readonly ILogger _logger;
    private readonly UdpSocket _socket;
    private readonly NetTimer _timer;
    private readonly Random _random;
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferLength];
    private readonly byte[]? _hostName;
    private LogGate _lostLog;
    private LogGate _declinedLog;
    private LogGate _nakLog = new(LogGate.InformationLinesPerMinute);
    private LogGate _failureLog;
    private bool _receiving;
    private uint _transactionId;
    private int _attempts;
    private TimeSpan _transactionStart;
    private TimeSpan _requestStart;
    private Ipv4Address _offeredAddress;
    private Ipv4Address _offerServer;
    private DhcpClientLease _lease;
    private bool _hasLease;
    private DhcpClientLease _candidate;
    private int _probesSent;
    private bool _conflict;
    private MacAddress _conflictMac;

    public DhcpClient(NetStack stack, DhcpClientOptions? options = null, ILogger<DhcpClient>? logger = null)
    {
        _stack = stack ?? throw new ArgumentNullException(nameof(stack));
        _options = options ?? new DhcpClientOptions();
        _options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _random = _options.RandomSeed is int seed ? new Random(seed) : new Random();
        if (_options.HostName is { } name)
        {
            _hostName = new byte[name.Length];
            for (int i = 0; i < name.Length; i++)
                _hostName[i] = (byte)name[i];
        }
        RememberedAddress = _options.RememberedAddress;
        _socket = new UdpSocket(stack) { EnableBroadcast = true };
        _socket.Bind(DhcpMessage.ClientPort);
        _timer = stack.Loop.CreateTimer(OnTimer);
        stack.ArpConflict += OnArpConflict;
    }

    /// <summary>Raised on the loop when the client has configured the stack with a new lease.</summary>
    public event EventHandler? Bound;

    /// <summary>Raised on the loop when a renewal or rebinding extended the lease.</summary>
    public event EventHandler? Renewed;

    /// <summary>Raised on the loop when the lease ran out or a server refused it, after the address was removed.</summary>
    public event EventHandler? Lost;

    public DhcpClientState State { get; private set; }

    /// <summary>The lease in use, or null when the client holds none.</summary>
    public DhcpClientLease? Lease => _hasLease ? _lease : null;

    /// <summary>The last address the client was given; pass it back in <see cref="DhcpClientOptions.RememberedAddress"/>.</summary>
    public Ipv4Address RememberedAddress { get; private set; }

    public DhcpClientCounters Counters { get; } = new();

    /// <summary>Starts (or restarts) the client: INIT-REBOOT when an address is remembered, else INIT. Safe from any thread.</summary>
    public void Start()
    {
        if (!_stack.Loop.IsOnLoopThread)
        {
            _stack.Loop.Post(static s => ((DhcpClient)s!).Start(), this);
            return;
        }
        if (State != DhcpClientState.Stopped)
            return;
        if (!_receiving)
        {
            _receiving = true;
            _ = ReceiveAsync();
        }
        Restart(StartDelay(), reboot: !RememberedAddress.IsUnspecified);
    }

    /// <summary>
    /// Stops the client. A held lease is given back with DHCPRELEASE (RFC 2131 §4.4.6) and the address removed.
    /// Safe from any thread; completes on the loop once done.
    /// </summary>
    public Task StopAsync() => _stack.Loop.InvokeAsync(() =>
    {
        Stop(release: true);
        return Task.CompletedTask;
    });

    /// <summary>Stops without releasing (the lease stays the server's record until it expires) and frees the port.</summary>
    public void Dispose()
    {
        if (!_stack.Loop.IsOnLoopThread)
        {
            _stack.Loop.Post(static s => ((DhcpClient)s!).Dispose(), this);
            return;
        }
        Stop(release: false);
        _stack.ArpConflict -= OnArpConflict;
        _socket.Dispose();
    }

    private void Stop(bool release)
    {
        _timer.Cancel();
        if (State == DhcpClientState.Probing)
            _stack.UnwatchArp(_candidate.Address.Address);
        if (_hasLease && release && State is DhcpClientState.Bound or DhcpClientState.Renewing or DhcpClientState.Rebinding)
        {
            SendRelease();
            if (_logger.IsEnabled(LogLevel.Information))
                Log.Released(_logger, _lease.Address.ToString());
        }
        if (_hasLease)
        {
            _hasLease = false;
            _stack.Deconfigure();
        }
        State = DhcpClientState.Stopped;
    }

    private async Task ReceiveAsync()
    {
        while (true)
        {
            UdpReceiveResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(_receiveBuffer);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            Counters.MessagesReceived++;
            if (received.Truncated)
            {
                Counters.Malformed++;
                continue;
            }
            try
            {
                OnDatagram(_receiveBuffer.AsSpan(0, received.ReceivedBytes));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A bug must cost one message, never the client.
                Counters.Unexpected++;
                if (_failureLog.TryEnter(_stack.Loop.Now, out int suppressed))
                    Log.MessageHandlingFailed(_logger, LogGate.Note(suppressed), e);
            }
        }
    }

    private void OnTimer()
    {
        switch (State)
        {
            case DhcpClientState.Init:
                BeginSelecting();
                break;
            case DhcpClientState.Selecting:
                SendDiscover();
                break;
            case DhcpClientState.InitReboot:
                BeginRebooting();
                break;
            case DhcpClientState.Requesting:
            case DhcpClientState.Rebooting:
                OnRequestTimeout();
                break;
            case DhcpClientState.Probing:
                OnProbeTimer();
                break;
            case DhcpClientState.Bound:
                BeginRenewing();
                break;
            case DhcpClientState.Renewing:
                OnRenewingTimer();
                break;
            case DhcpClientState.Rebinding:
                OnRebindingTimer();
                break;
            case DhcpClientState.Stopped:
                break;
            default:
                throw new InvalidOperationException($"Unknown DHCP client state {State}.");
        }
    }

    /// <summary>Goes back to INIT (or INIT-REBOOT) and sends the first message after <paramref name="delay"/>.</summary>
    private void Restart(TimeSpan delay, bool reboot = false)
    {
        State = reboot ? DhcpClientState.InitReboot : DhcpClientState.Init;
        _attempts = 0;
        _timer.Schedule(_stack.Loop.Now + delay);
    }

    /// <summary>Removes the address of a lease that can no longer be used and tells the application.</summary>
    private void LoseLease(string reason)
    {
        if (!_hasLease)
            return;
        _hasLease = false;
        _stack.Deconfigure();
        Counters.LeasesLost++;
        if (_logger.IsEnabled(LogLevel.Warning) && _lostLog.TryEnter(_stack.Loop.Now, out int suppressed))
            Log.LeaseLost(_logger, _lease.Address.ToString(), reason, LogGate.Note(suppressed));
        Lost?.Invoke(this, EventArgs.Empty);
    }

    private TimeSpan StartDelay() => RandomBetween(_options.MinStartDelay, _options.MaxStartDelay);

    private TimeSpan RandomBetween(TimeSpan min, TimeSpan max) =>
        min + TimeSpan.FromTicks((long)(_random.NextDouble() * (max - min).Ticks));

    /// <summary>RFC 2131 §4.1: 4, 8, 16, 32, 64, 64 ... seconds, each randomised by ±1 s.</summary>
    private TimeSpan NextBackoff()
    {
        int doublings = Math.Min(_attempts - 1, MaxBackoffDoublings);
        var delay = TimeSpan.FromSeconds(FirstRetransmissionSeconds << Math.Max(doublings, 0));
        return delay + TimeSpan.FromTicks((long)((_random.NextDouble() * 2 - 1) * TimeSpan.TicksPerSecond));
    }

    // RFC 2131 §4.1: a client MUST choose xids so as to minimise the chance of another client's; a random one from
    // the stack's cryptographic source is also one an off-path attacker cannot guess to forge an offer.
    private uint NewTransactionId() => _stack.Nonces.NextUInt32();

    private static string RfcName(DhcpClientState state) => state switch
    {
        DhcpClientState.Init => "INIT",
        DhcpClientState.Selecting => "SELECTING",
        DhcpClientState.Requesting => "REQUESTING",
        DhcpClientState.InitReboot => "INIT-REBOOT",
        DhcpClientState.Rebooting => "REBOOTING",
        DhcpClientState.Probing => "PROBING",
        DhcpClientState.Bound => "BOUND",
        DhcpClientState.Renewing => "RENEWING",
        DhcpClientState.Rebinding => "REBINDING",
        _ => "STOPPED",
    };

    /// <summary>Sends a message built in a pooled buffer; a refused send is counted, never thrown.</summary>
    private void Send(ReadOnlySpan<byte> message, Ipv4Address destination)
    {
        try
        {
            _socket.SendTo(message, new Ipv4EndPoint(destination, DhcpMessage.ServerPort));
            Counters.MessagesSent++;
        }
        catch (SocketException)
        {
            Counters.SendFailures++;
        }
    }

    private DhcpMessageWriter StartMessage(byte[] buffer, DhcpMessageType type)
    {
        var writer = new DhcpMessageWriter(buffer, DhcpOperation.BootRequest, type, _transactionId, _stack.MacAddress);
        long seconds = (long)(_stack.Loop.Now - _transactionStart).TotalSeconds;
        writer.SetSeconds((ushort)Math.Min(Math.Max(seconds, 0), ushort.MaxValue));
        if (_options.RequestBroadcast && type is DhcpMessageType.Discover or DhcpMessageType.Request)
            writer.SetFlags(DhcpMessage.BroadcastFlag);
        Span<byte> clientId = stackalloc byte[1 + MacAddress.Length];
        clientId[0] = ClientIdentifierEthernet;
        _stack.MacAddress.Write(clientId[1..]);
        writer.Write(DhcpOptionCode.ClientIdentifier, clientId);
        return writer;
    }

    /// <summary>Options every DISCOVER and REQUEST carries: host name, parameter list, maximum size (RFC 2131 §4.4.1).</summary>
    private void WriteRequestOptions(ref DhcpMessageWriter writer)
    {
        if (_hostName is not null)
            writer.Write(DhcpOptionCode.HostName, _hostName);
        writer.Write(DhcpOptionCode.ParameterRequestList, s_parameterRequestList);
        writer.WriteUInt16(DhcpOptionCode.MaximumMessageSize, DhcpMessage.MinimumMaximumMessageSize);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "DHCP lease {Address} from {Server}, router {Router}, lease {LeaseSeconds} s")]
        public static partial void LeaseBound(ILogger logger, string address, string server, string router, long leaseSeconds);

        [LoggerMessage(2, LogLevel.Debug, "DHCP lease {Address} renewed for {LeaseSeconds} s")]
        public static partial void LeaseRenewed(ILogger logger, string address, long leaseSeconds);

        [LoggerMessage(3, LogLevel.Warning, "DHCP lease {Address} lost: {Reason}{Suppressed}")]
        public static partial void LeaseLost(ILogger logger, string address, string reason, string suppressed);

        [LoggerMessage(4, LogLevel.Warning, "DHCP address {Address} is in use by {Mac}; DHCPDECLINE sent (RFC 2131 §4.4.1){Suppressed}")]
        public static partial void Declined(ILogger logger, string address, string mac, string suppressed);

        [LoggerMessage(5, LogLevel.Information, "DHCP NAK from {Server} in {State}{Suppressed}")]
        public static partial void Nak(ILogger logger, string server, string state, string suppressed);

        [LoggerMessage(6, LogLevel.Information, "DHCP lease {Address} released")]
        public static partial void Released(ILogger logger, string address);

        [LoggerMessage(7, LogLevel.Debug, "DHCP {State}: no answer after {Attempts} requests; starting over")]
        public static partial void RequestTimedOut(ILogger logger, string state, int attempts);

        [LoggerMessage(8, LogLevel.Error, "Handling a DHCP message failed; the message was dropped{Suppressed}")]
        public static partial void MessageHandlingFailed(ILogger logger, string suppressed, Exception exception);
    }
}
