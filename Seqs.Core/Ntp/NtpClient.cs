using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Diagnostics;
using Seqs.Scheduling;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Ntp;

/// <summary>
/// An SNTPv4 client (RFC 4330; on-wire protocol of RFC 5905 §8) for one server. A poll sends
/// <see cref="NtpClientOptions.SamplesPerPoll"/> requests, checks each reply (RFC 4330 §5), keeps the sample with
/// the lowest round-trip delay and sets <see cref="Clock"/> from it. <see cref="Start"/> polls every
/// <see cref="PollInterval"/>; <see cref="SynchronizeAsync"/> polls once. A DENY or RSTR kiss stops all requests
/// to the server, a RATE kiss doubles the poll interval (RFC 5905 §7.4). The client is driven by one timer and
/// one outstanding receive on one socket, so a poll allocates nothing once warm.
/// </summary>
public sealed partial class NtpClient : IDisposable
{
    /// <summary>RFC 5905 §7.3: stratum 16 means unsynchronized; 1–15 are valid.</summary>
    private const byte MaxStratum = 15;

    private static readonly TimeSpan s_maxRootDistance = TimeSpan.FromSeconds(1);

    private readonly NetStack _stack;
    private static readonly NtpClientOptions s_defaults = new();

    // The options' values, copied so that the client keeps no reference to a mutable object (and costs less).
    private readonly TimeSpan _maxPollInterval;
    private readonly TimeSpan _sampleSpacing;
    private readonly TimeSpan _responseTimeout;
    private readonly int _samplesPerPoll;
    private readonly ILogger _logger;
    private readonly UdpSocket _socket;
    private readonly byte[] _buffer = new byte[NtpPacket.Length];
    private readonly NetTimer _timer;
    private readonly Action _onReceived;
    private LogGate _kissOfDeathLog;
    private ValueTask<UdpReceiveResult> _receive;
    private bool _receiving;
    private bool _periodic;
    private bool _disposed;
    private Phase _phase;
    private int _samplesTaken;
    // The request's Transmit Timestamp, a nonce, and T1, the clock when it was sent (RFC 5905 §8).
    private NtpTimestamp _outstanding;
    private NtpTimestamp _sentAt;
    private TimeSpan _lastSent;
    private TimeSpan _pollStarted;
    private TimeSpan _pollFloor;
    private NtpSample _best;
    private bool _hasBest;
    private List<TaskCompletionSource<NtpSample>>? _waiters;
    private List<TaskCompletionSource<NtpSample>>? _spareWaiters;

    public NtpClient(NetStack stack, Ipv4Address server, NtpClientOptions? options = null, ILogger<NtpClient>? logger = null)
    {
        _stack = stack ?? throw new ArgumentNullException(nameof(stack));
        options ??= s_defaults;
        options.Validate();
        _maxPollInterval = options.MaxPollInterval;
        _sampleSpacing = options.SampleSpacing;
        _responseTimeout = options.ResponseTimeout;
        _samplesPerPoll = options.SamplesPerPoll;
        Server = server;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Clock = new NetworkClock(stack.Loop.TimeProvider);
        PollInterval = _pollFloor = options.PollInterval;
        _socket = new UdpSocket(stack);
        _socket.Bind();
        _timer = stack.Loop.CreateTimer(OnTimer);
        _onReceived = OnReceiveCompleted;
    }

    private enum Phase
    {
        Idle,
        AwaitingReply,
        Spacing,
        Denied,
    }

    public Ipv4Address Server { get; }

    /// <summary>Network time: the loop's clock plus the last measured offset.</summary>
    public NetworkClock Clock { get; }

    public NtpClientCounters Counters { get; } = new();

    /// <summary>The current time between polls: the configured one, longer after failures or a RATE kiss.</summary>
    public TimeSpan PollInterval { get; private set; }

    /// <summary>The best sample of the last successful poll.</summary>
    public NtpSample? LastSample { get; private set; }

    /// <summary>The server sent DENY or RSTR; no more requests go to it (RFC 5905 §7.4).</summary>
    public bool IsDenied => _phase == Phase.Denied;

    /// <summary>Raised on the loop after each successful poll, with its best sample.</summary>
    public event EventHandler<NtpSample>? Synchronized;

    /// <summary>Polls now and then every <see cref="PollInterval"/>. Safe from any thread.</summary>
    public void Start()
    {
        if (!_stack.Loop.IsOnLoopThread)
        {
            _stack.Loop.Post(static s => ((NtpClient)s!).Start(), this);
            return;
        }
        ThrowIfDisposed();
        _periodic = true;
        if (_phase == Phase.Idle)
            BeginPoll();
    }

    /// <summary>Stops periodic polling after the poll under way, if any. Safe from any thread.</summary>
    public void Stop()
    {
        if (!_stack.Loop.IsOnLoopThread)
        {
            _stack.Loop.Post(static s => ((NtpClient)s!).Stop(), this);
            return;
        }
        _periodic = false;
        if (_phase == Phase.Idle)
            _timer.Cancel();
    }

    /// <summary>
    /// Polls now (or joins the poll under way) and returns its best sample, after setting <see cref="Clock"/>.
    /// Throws <see cref="NtpSynchronizationException"/> when no reply was acceptable or the server denies service.
    /// Safe from any thread.
    /// </summary>
    public Task<NtpSample> SynchronizeAsync(CancellationToken cancellationToken = default)
    {
        if (!_stack.Loop.IsOnLoopThread)
            return _stack.Loop.InvokeAsync(() => SynchronizeAsync(cancellationToken));
        ThrowIfDisposed();
        if (_phase == Phase.Denied)
            return Task.FromException<NtpSample>(new NtpSynchronizationException($"NTP server {Server} denied service.", NtpKissCode.Deny));
        var waiter = new TaskCompletionSource<NtpSample>();
        if (cancellationToken.CanBeCanceled)
            cancellationToken.Register(static s => ((TaskCompletionSource<NtpSample>)s!).TrySetCanceled(), waiter);
        (_waiters ??= []).Add(waiter);
        if (_phase == Phase.Idle)
            BeginPoll();
        return waiter.Task;
    }

    public void Dispose()
    {
        if (!_stack.Loop.IsOnLoopThread)
        {
            _stack.Loop.Post(static s => ((NtpClient)s!).Dispose(), this);
            return;
        }
        if (_disposed)
            return;
        _disposed = true;
        _timer.Cancel();
        _socket.Dispose();
        CompleteWaiters(failure: new ObjectDisposedException(nameof(NtpClient)));
    }

    private void BeginPoll()
    {
        // RFC 9109 §3: a client's source port should be a random ephemeral one (RFC 6056); a new one for each poll
        // means a forger must guess it afresh, as it must the transmit timestamp.
        _socket.Rebind();
        EnsureReceiving();
        _samplesTaken = 0;
        _hasBest = false;
        _pollStarted = _stack.Loop.Now;
        SendRequest();
    }

    private void OnTimer()
    {
        switch (_phase)
        {
            case Phase.Idle:
                if (_periodic)
                    BeginPoll();
                break;
            case Phase.Spacing:
                SendRequest();
                break;
            case Phase.AwaitingReply:
                Counters.Timeouts++;
                EndSample();
                break;
            default:
                // Denied: nothing more goes to this server.
                break;
        }
    }

    private void SendRequest()
    {
        // RFC 5905 §8: the server copies the request's Transmit Timestamp into its reply's Origin Timestamp and never
        // reads it, so it need not be the clock: all 64 bits random make it a nonce a forged reply must guess.
        // Offsets use _sentAt, the clock's T1, instead.
        _outstanding = new NtpTimestamp(_stack.Nonces.NextUInt64());
        _sentAt = NtpTimestamp.FromDateTimeOffset(_stack.Loop.TimeProvider.GetUtcNow());
        _lastSent = _stack.Loop.Now;
        _phase = Phase.AwaitingReply;
        _timer.Schedule(_lastSent + _responseTimeout);
        Span<byte> request = stackalloc byte[NtpPacket.Length];
        NtpPacket.WriteClientRequest(request, _outstanding);
        try
        {
            _socket.SendTo(request, new Ipv4EndPoint(Server, NtpPacket.Port));
            Counters.RequestsSent++;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            // No route yet (unconfigured, link down): the timeout ends this sample like a lost reply.
            if (_logger.IsEnabled(LogLevel.Debug))
                Log.SendFailed(_logger, Server.ToString(), e.SocketErrorCode.ToString());
        }
    }

    /// <summary>A request is done (answered or timed out): send the next after the spacing, or end the poll.</summary>
    private void EndSample()
    {
        _samplesTaken++;
        if (_samplesTaken < _samplesPerPoll)
        {
            _phase = Phase.Spacing;
            _timer.Schedule(_lastSent + _sampleSpacing);
        }
        else
        {
            EndPoll();
        }
    }

    private void EndPoll()
    {
        _phase = Phase.Idle;
        if (_hasBest)
        {
            Counters.Synchronizations++;
            PollInterval = _pollFloor;
            Clock.Update(_best.Offset, _best.LocalTime);
            LastSample = _best;
        }
        else
        {
            Counters.FailedPolls++;
            PollInterval = Min(PollInterval + PollInterval, _maxPollInterval);
        }
        // Schedule before telling anyone: a handler may start the next poll at once, which takes the timer over.
        if (_periodic)
            _timer.Schedule(_pollStarted + PollInterval);
        if (_hasBest)
        {
            NtpSample best = _best;
            Log.Synchronized(_logger, Server, best.Offset.TotalMilliseconds, best.Delay.TotalMilliseconds, best.Stratum);
            Synchronized?.Invoke(this, best);
            CompleteWaiters(sample: best);
        }
        else
        {
            CompleteWaiters(failure: new NtpSynchronizationException($"No acceptable reply from NTP server {Server}."));
        }
    }

    /// <summary>
    /// Completes the callers of <see cref="SynchronizeAsync"/>. Their continuations run inline, on the loop, so a
    /// simulation stays deterministic; the list is swapped first in case one of them asks again.
    /// </summary>
    private void CompleteWaiters(NtpSample sample = default, Exception? failure = null)
    {
        if (_waiters is not { Count: > 0 } waiters)
            return;
        _waiters = _spareWaiters;
        _spareWaiters = null;
        foreach (TaskCompletionSource<NtpSample> waiter in waiters)
        {
            if (failure is null)
                waiter.TrySetResult(sample);
            else
                waiter.TrySetException(failure);
        }
        waiters.Clear();
        _spareWaiters = waiters;
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(NtpClient));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "NTP {Server}: offset {OffsetMs:F3} ms, delay {DelayMs:F3} ms, stratum {Stratum}")]
        public static partial void Synchronized(ILogger logger, Ipv4Address server, double offsetMs, double delayMs, byte stratum);

        [LoggerMessage(2, LogLevel.Warning, "NTP {Server} sent Kiss-o'-Death {KissCode}; poll interval now {PollInterval}{Suppressed}")]
        public static partial void KissOfDeath(ILogger logger, Ipv4Address server, NtpKissCode kissCode, TimeSpan pollInterval, string suppressed);

        [LoggerMessage(3, LogLevel.Debug, "NTP request to {Server} not sent: {Error}")]
        public static partial void SendFailed(ILogger logger, string server, string error);
    }
}
