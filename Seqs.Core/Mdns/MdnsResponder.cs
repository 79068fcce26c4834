using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Diagnostics;
using Seqs.Scheduling;
using Seqs.Services;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Mdns;

/// <summary>
/// A Multicast DNS responder (RFC 6762) for one name, HOSTNAME.local, and the stack's IPv4 address. It probes
/// for the name (§8.1), renames itself "HOSTNAME-2", "-3", … on a conflict (§9), announces (§8.3), answers A
/// queries by multicast, by unicast when asked (QU, §5.4) and to legacy resolvers such as dig (§6.7), and
/// announces again when told the address changed (§8.4). A goodbye (TTL 0, §10.1) goes out when it is disposed
/// on the loop.
/// </summary>
public sealed partial class MdnsResponder : UdpServer
{
    /// <summary>RFC 6762 §3: UDP port 5353.</summary>
    public const ushort MdnsPort = 5353;

    /// <summary>RFC 6762 §3: the IPv4 link-local multicast address 224.0.0.251.</summary>
    public static readonly Ipv4Address MulticastGroup = new(224, 0, 0, 251);

    /// <summary>RFC 6762 §10: records with a host name in their RDATA or owner name use 120 seconds.</summary>
    public const uint HostRecordTtl = 120;

    /// <summary>RFC 6762 §6.7: legacy unicast answers carry a TTL of no more than ten seconds.</summary>
    private const uint LegacyUnicastTtl = 10;

    private const int ProbeCount = 3;
    private const int AnnouncementCount = 2;

    /// <summary>RFC 6762 §8.1: fifteen conflicts in ten seconds make each further probe wait at least five seconds.</summary>
    private const int ConflictLimit = 15;

    private static readonly Ipv4EndPoint s_multicast = new(MulticastGroup, MdnsPort);

    /// <summary>RFC 6762 §8.1: probes go 250 ms apart, the first after a random 0–250 ms.</summary>
    private static readonly TimeSpan s_probeInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>RFC 6762 §8.3: at least two unsolicited responses, one second apart.</summary>
    private static readonly TimeSpan s_announceInterval = TimeSpan.FromSeconds(1);

    /// <summary>RFC 6762 §8.2: a host that loses a tiebreak waits one second, then probes again.</summary>
    private static readonly TimeSpan s_tiebreakDelay = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan s_conflictWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_conflictBackoff = TimeSpan.FromSeconds(5);

    private readonly string _baseName;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly NetTimer _timer;
    private LogGate _claimedLog = new(LogGate.InformationLinesPerMinute);
    private LogGate _renamedLog;
    private readonly NetTimer _heldAnswerTimer;
    private byte[] _name;
    private int _suffix = 1;
    private int _step;
    private Ipv4Address _announced;
    private int _recentConflicts;
    private TimeSpan _conflictWindowStart;
    private readonly EventHandler _onAddressChanged;

    /// <param name="hostName">One DNS label, without ".local".</param>
    /// <param name="random">Source of the probe delay; inject a seeded one for replayable simulations.</param>
    public MdnsResponder(NetStack stack, string hostName, Random? random = null, ILogger<MdnsResponder>? logger = null)
        : base(stack, MdnsPort)
    {
        if (hostName is null)
            throw new ArgumentNullException(nameof(hostName));
        if (hostName.Contains('.', StringComparison.Ordinal) || DnsName.Encode(hostName + ".local") is null)
            throw new ArgumentException($"'{hostName}' is not a single DNS label.", nameof(hostName));
        _baseName = hostName;
        HostName = hostName;
        _name = DnsName.Encode(FullName)!;
        _random = random ?? new Random();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _timer = stack.Loop.CreateTimer(OnTimer);
        _heldAnswerTimer = stack.Loop.CreateTimer(OnHeldAnswerDue);
        _onAddressChanged = (_, _) => NotifyAddressChanged();
        // RFC 6762 §11: multicast DNS messages are sent with IP TTL 255.
        Socket.TimeToLive = 255;
    }

    /// <summary>The name claimed: the one given, or a renamed one after a conflict.</summary>
    public string HostName { get; private set; }

    public string FullName => HostName + ".local";

    public MdnsResponderState State { get; private set; }

    public MdnsResponderCounters Counters { get; } = new();

    /// <summary>Joins 224.0.0.251, starts serving and probes for the name. Safe from any thread.</summary>
    public void Start(CancellationToken cancellationToken = default)
    {
        if (!Stack.Loop.IsOnLoopThread)
        {
            Stack.Loop.Post(static s =>
            {
                var (responder, token) = ((MdnsResponder, CancellationToken))s!;
                responder.Start(token);
            }, (this, cancellationToken));
            return;
        }
        if (State != MdnsResponderState.Stopped)
            return;
        if (!Stack.JoinMulticastGroup(MulticastGroup))
            throw new InvalidOperationException("The stack's multicast group table is full.");
        Stack.AddressChanged += _onAddressChanged;
        _ = RunAsync(cancellationToken);
        BeginProbing(RandomProbeDelay());
    }

    /// <summary>
    /// RFC 6762 §8.4: records with new data are announced again. The responder calls this itself when the stack's
    /// <see cref="NetStack.AddressChanged"/> fires. Safe from any thread.
    /// </summary>
    public void NotifyAddressChanged()
    {
        if (!Stack.Loop.IsOnLoopThread)
        {
            Stack.Loop.Post(static s => ((MdnsResponder)s!).NotifyAddressChanged(), this);
            return;
        }
        if (State is MdnsResponderState.Announcing or MdnsResponderState.Ready)
            BeginAnnouncing();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timer.Cancel();
            _heldAnswerTimer.Cancel();
            Stack.AddressChanged -= _onAddressChanged;
            if (Stack.Loop.IsOnLoopThread)
            {
                if (State is MdnsResponderState.Announcing or MdnsResponderState.Ready && OwnAddress is { } address)
                    MulticastRecord(ttl: 0, address);
                Stack.LeaveMulticastGroup(MulticastGroup);
            }
            State = MdnsResponderState.Stopped;
        }
        base.Dispose(disposing);
    }

    private Ipv4Address? OwnAddress => Stack.Address?.Address;

    private void BeginProbing(TimeSpan delay)
    {
        State = MdnsResponderState.Probing;
        _step = 0;
        _timer.Schedule(Stack.Loop.Now + delay);
    }

    private void BeginAnnouncing()
    {
        State = MdnsResponderState.Announcing;
        _step = 0;
        _timer.Schedule(Stack.Loop.Now);
    }

    private TimeSpan RandomProbeDelay() => TimeSpan.FromTicks(_random.Next((int)s_probeInterval.Ticks));

    private void OnTimer()
    {
        if (OwnAddress is not { } address)
        {
            // Nothing to claim without an address; look again later.
            _timer.Schedule(Stack.Loop.Now + s_announceInterval);
            return;
        }
        switch (State)
        {
            case MdnsResponderState.Probing when _step < ProbeCount:
                SendProbe(address);
                _step++;
                _timer.Schedule(Stack.Loop.Now + s_probeInterval);
                break;
            case MdnsResponderState.Probing:
                // RFC 6762 §8.1: 250 ms after the third probe without a conflict, the name is ours.
                if (_claimedLog.TryEnter(Stack.Loop.Now, out int suppressed))
                    Log.NameClaimed(_logger, FullName, address, LogGate.Note(suppressed));
                BeginAnnouncing();
                break;
            case MdnsResponderState.Announcing:
                MulticastRecord(HostRecordTtl, address);
                _announced = address;
                Counters.AnnouncementsSent++;
                if (++_step < AnnouncementCount)
                    _timer.Schedule(Stack.Loop.Now + s_announceInterval);
                else
                    State = MdnsResponderState.Ready;
                break;
            default:
                break;
        }
    }

    /// <summary>RFC 6762 §8.1: a query for the name, type ANY, asking for unicast replies, with the proposed record in the authority section.</summary>
    private void SendProbe(Ipv4Address address)
    {
        Span<byte> buffer = stackalloc byte[DnsMessage.MaxUdpLength];
        var probe = new DnsMessageWriter(buffer, 0, DnsMessage.ComposeFlags(response: false));
        probe.TryWriteQuestion(_name, DnsType.Any, (ushort)DnsClass.Internet | DnsQuestion.UnicastResponseBit);
        probe.TryWriteAddressRecord(DnsSection.Authority, _name, (ushort)DnsClass.Internet, HostRecordTtl, address);
        Send(buffer[..probe.Length], s_multicast);
        Counters.ProbesSent++;
    }

    /// <summary>One A record for the name; with the question for legacy unicast (§6.7), otherwise none (§6).</summary>
    private void SendResponse(Ipv4EndPoint destination, ushort id, bool question, uint ttl, bool cacheFlush, Ipv4Address address)
    {
        Span<byte> buffer = stackalloc byte[DnsMessage.MaxUdpLength];
        var response = new DnsMessageWriter(buffer, id, DnsMessage.ComposeFlags(response: true, authoritativeAnswer: true));
        if (question)
            response.TryWriteQuestion(_name, DnsType.A);
        ushort rawClass = (ushort)((ushort)DnsClass.Internet | (cacheFlush ? DnsRecord.CacheFlushBit : 0));
        response.TryWriteAddressRecord(DnsSection.Answer, _name, rawClass, ttl, address);
        Send(buffer[..response.Length], destination);
    }

    private void Send(ReadOnlySpan<byte> message, Ipv4EndPoint destination)
    {
        try
        {
            Socket.SendTo(message, destination);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // No route (the address went away): the next probe or query tries again.
        }
    }

    private void OnConflict()
    {
        Counters.Conflicts++;
        TimeSpan now = Stack.Loop.Now;
        if (now - _conflictWindowStart > s_conflictWindow)
        {
            _conflictWindowStart = now;
            _recentConflicts = 0;
        }
        _recentConflicts++;
        if (State == MdnsResponderState.Probing)
        {
            // RFC 6762 §9: choose a new name and probe for it.
            _suffix++;
            HostName = _baseName + "-" + _suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _name = DnsName.Encode(FullName) ?? DnsName.Encode(_baseName + ".local")!;
            if (_renamedLog.TryEnter(Stack.Loop.Now, out int suppressed))
                Log.Renamed(_logger, FullName, LogGate.Note(suppressed));
        }
        // RFC 6762 §9: after a conflict once the name was claimed, "the host MUST immediately reset to probing".
        BeginProbing(_recentConflicts >= ConflictLimit ? s_conflictBackoff : RandomProbeDelay());
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "mDNS: {Name} is ours at {Address}{Suppressed}")]
        public static partial void NameClaimed(ILogger logger, string name, Ipv4Address address, string suppressed);

        [LoggerMessage(2, LogLevel.Warning, "mDNS: name conflict; now probing for {Name} (RFC 6762 §9){Suppressed}")]
        public static partial void Renamed(ILogger logger, string name, string suppressed);
    }
}
