using System.Net.Sockets;
using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Tcp;

/// <summary>
/// Passive open on one port (RFC 9293 §3.10.1, LISTEN), like <see cref="System.Net.Sockets.TcpListener"/>:
/// <see cref="Start"/>, <see cref="AcceptAsync"/>, <see cref="Stop"/>. Connections being set up (the SYN queue)
/// and connections established but not yet accepted (the backlog) are each bounded by <c>backlog</c>, and all its
/// connections together by <see cref="MaxConnections"/>. With the SYN queue or the connection table full, SYNs are
/// answered with SYN cookies (no state kept); with the backlog full or at <see cref="MaxConnections"/>, SYNs are
/// dropped and counted, so the client retries later. The listener also takes the segments that reach its port without a
/// connection (RFC 9293 §3.10.7.2, LISTEN). <see cref="AcceptAsync(TcpConnection, CancellationToken)"/> accepts into a
/// connection the caller keeps and reuses (like <see cref="System.Net.Sockets.Socket.AcceptAsync(System.Net.Sockets.Socket?, CancellationToken)"/>),
/// so that a server accepting one connection after another allocates nothing.
/// </summary>
public sealed class TcpListener : IDisposable
{
    private readonly TcpTable _table;
    private readonly Queue<TcpControlBlock> _established = new();
    private LoopCompletion<TcpConnection>? _accept;
    /// <summary>The connection the waiting accept fills, or null when it wants a new one.</summary>
    private TcpConnection? _acceptInto;
    /// <summary>
    /// Until when an ACK may be the echo of a cookie this listener sent (<see cref="SynCookies.Lifetime"/> after the
    /// last one), as Linux checks a recent SYN queue overflow: without a flood, no ACK is taken for a cookie, so a
    /// blind attacker cannot open a connection by guessing one.
    /// </summary>
    private DueTime _cookiesValidUntil;

    /// <param name="tcp">The TCP of the stack to listen on (<c>NetStack.Tcp</c>).</param>
    /// <param name="port">The port, 1 to 65535.</param>
    /// <param name="options">The options of the connections it accepts, or the table's defaults.</param>
    /// <param name="backlog">The bound of the SYN queue and of the backlog, each.</param>
    /// <param name="maxConnections">
    /// The bound of this listener's connections in the table, from the SYN to the close; by default the table's
    /// size less a quarter, kept in reserve so that one service cannot take every place from the others.
    /// </param>
    public TcpListener(TcpTable tcp, ushort port, TcpConnectionOptions? options = null, int backlog = 16, int? maxConnections = null)
    {
        _table = tcp ?? throw new ArgumentNullException(nameof(tcp));
        if (port == 0)
            throw new ArgumentOutOfRangeException(nameof(port), port, "A listener needs a port (1 to 65535).");
        if (backlog is < 1 or > 4096)
            throw new ArgumentOutOfRangeException(nameof(backlog), backlog, "The backlog is 1 to 4096 connections.");
        if (maxConnections is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(maxConnections), maxConnections, "A listener holds 1 to 65535 connections.");
        Options = options ?? tcp.DefaultOptions;
        Options.Validate();
        Port = port;
        Backlog = backlog;
        MaxConnections = maxConnections ?? Math.Max(1, tcp.MaxConnections - tcp.MaxConnections / 4);
    }

    public ushort Port { get; }

    public int Backlog { get; }

    /// <summary>This listener's connections in the table at most, from the SYN to the close.</summary>
    public int MaxConnections { get; }

    public TcpConnectionOptions Options { get; }

    public bool IsActive { get; private set; }

    /// <summary>SYNs (and cookie ACKs) dropped because the backlog was full, the listener held <see cref="MaxConnections"/>, or the table had no room.</summary>
    public long DroppedSyns { get; private set; }

    private int HalfOpen { get; set; }

    /// <summary>The SYN queue (connections being set up) has room; when it does not, SYNs get cookies.</summary>
    private bool SynQueueHasRoom => HalfOpen < Backlog;

    /// <summary>Established connections waiting for <see cref="AcceptAsync"/> fill the backlog: new SYNs are dropped.</summary>
    private bool BacklogFull => _established.Count >= Backlog;

    /// <summary>Starts listening. Throws <see cref="SocketException"/> (AddressAlreadyInUse) when the port has a listener.</summary>
    public void Start()
    {
        if (IsActive)
            return;
        _table.AddListener(this);
        IsActive = true;
    }

    /// <summary>Completes with the next established connection, a new <see cref="TcpConnection"/>.</summary>
    public ValueTask<TcpConnection> AcceptAsync(CancellationToken cancellationToken = default)
    {
        if (!_table.Loop.IsOnLoopThread)
            return AcceptOffLoop(cancellationToken);
        if (ReadyToAccept(null, cancellationToken) is ValueTask<TcpConnection> done)
            return done;
        return _accept!.Arm(cancellationToken);
    }

    /// <summary>
    /// Completes when the next established connection is attached to <paramref name="connection"/>, which must not
    /// be open: new, or disconnected with <see cref="TcpConnection.Disconnect"/>.
    /// </summary>
    public ValueTask AcceptAsync(TcpConnection connection, CancellationToken cancellationToken = default)
    {
        if (connection is null)
            throw new ArgumentNullException(nameof(connection));
        if (!_table.Loop.IsOnLoopThread)
            return AcceptOffLoop(connection, cancellationToken);
        connection.ThrowIfNotReusable(_table);
        if (ReadyToAccept(connection, cancellationToken) is ValueTask<TcpConnection> done)
            return done.IsCompletedSuccessfully ? default : new ValueTask(done.AsTask());
        return _accept!.ArmWithoutResult(cancellationToken);
    }

    /// <summary>The result when the accept needs no wait (a queued connection, or a cancelled token); null after arming the wait.</summary>
    private ValueTask<TcpConnection>? ReadyToAccept(TcpConnection? into, CancellationToken cancellationToken)
    {
        if (!IsActive)
            throw new InvalidOperationException("Start the listener before accepting.");
        if (_accept is { IsBusy: true })
            throw new InvalidOperationException("An accept is already outstanding on this listener.");
        if (cancellationToken.IsCancellationRequested)
            return new ValueTask<TcpConnection>(Task.FromCanceled<TcpConnection>(cancellationToken));
        if (_established.Count > 0)
            return new ValueTask<TcpConnection>(Attach(into, _established.Dequeue()));
        _accept ??= new LoopCompletion<TcpConnection>(_table.Loop);
        _acceptInto = into;
        return null;
    }

    private TcpConnection Attach(TcpConnection? into, TcpControlBlock tcb)
    {
        TcpConnection connection = into ?? new TcpConnection(_table, Options);
        connection.Attach(tcb);
        return connection;
    }

    /// <summary>Stops listening: connections not yet accepted are reset, new SYNs get RST.</summary>
    public void Stop()
    {
        if (!_table.Loop.IsOnLoopThread)
        {
            _table.Loop.Post(static s => ((TcpListener)s!).Stop(), this);
            return;
        }
        if (!IsActive)
            return;
        IsActive = false;
        _table.RemoveListener(this);
        while (_established.Count > 0)
            _table.AbortUnaccepted(_established.Dequeue());
        _accept?.SetException(new ObjectDisposedException(nameof(TcpListener), "The listener was stopped."));
    }

    public void Dispose() => Stop();

    /// <summary>
    /// RFC 9293 §3.10.7.2: SEGMENT ARRIVES in LISTEN, for this listener's port and no connection. When the SYN queue
    /// is full, the SYN is answered with a SYN cookie (RFC 4987 §3.6) instead of new state, so a SYN flood costs no
    /// memory and real clients still get in.
    /// </summary>
    internal void OnSegment(in Segment seg, ReadOnlySpan<byte> payload, Ipv4EndPoint local, Ipv4EndPoint remote, TimeSpan now)
    {
        // "First, check for a RST: an incoming RST should be ignored."
        if (seg.HasRst)
            return;
        // "Second, check for an ACK: any acknowledgment is bad ... form a reset <SEQ=SEG.ACK><CTL=RST>" - unless it
        // completes a handshake this listener answered with a SYN cookie.
        if (seg.HasAck)
        {
            if (!seg.HasSyn && _cookiesValidUntil.IsSet && now < _cookiesValidUntil.At && _table.Cookies.TryRedeem(seg, local, remote, now, out ushort peerMss))
            {
                // A completed handshake may make room by ending a connection that is cheaper to lose.
                if (!AcceptsAnother() || !_table.TryMakeRoomFor(this))
                {
                    Refuse();
                    return;
                }
                _table.Counters.SynCookiesAccepted++;
                TcpControlBlock fromCookie = _table.Take(local, remote);
                fromCookie.OpenFromSynCookie(Options, _table.Mss, peerMss, seg, now);
                Adopt(fromCookie);
                fromCookie.OnSegment(seg, payload, now);
                _table.OnEvent(fromCookie);
                return;
            }
            _table.SendReset(local, remote, new Segment(seg.Ack, default, TcpFlags.Rst, 0));
            return;
        }
        // "Third, check for a SYN"; anything else is dropped.
        if (!seg.HasSyn)
            return;
        if (!AcceptsAnother())
        {
            Refuse();
            return;
        }
        // RFC 4987 §3.6: a SYN that would need state where there is none to spare gets a cookie instead: the SYN
        // queue is full, the listener's place is taken up by half-open connections, or the table is full.
        if (!SynQueueHasRoom || _table.ConnectionsOn(Port) >= MaxConnections || !_table.HasRoomForConnection())
        {
            _table.Counters.SynCookiesSent++;
            _cookiesValidUntil = now + SynCookies.Lifetime;
            _table.Send(local, remote, TcpControlBlock.CookieSynAck(Options, seg, _table.Cookies.Issue(local, remote, seg, now), _table.Mss, now));
            return;
        }
        TcpControlBlock tcb = _table.Take(local, remote);
        tcb.OpenPassive(Options, _table.InitialSequenceNumber(local, remote), _table.Mss, seg, now);
        Adopt(tcb);
        _table.OnEvent(tcb);
    }

    /// <summary>
    /// The listener takes another connection: its backlog is not full, and fewer than <see cref="MaxConnections"/> of
    /// its connections are past their handshake (half-open ones make room for one that completes).
    /// </summary>
    private bool AcceptsAnother() => !BacklogFull && _table.ConnectionsOn(Port, halfOpen: false) < MaxConnections;

    /// <summary>A SYN or a cookie's ACK finds no room: it is dropped and counted, and the client retries later.</summary>
    private void Refuse()
    {
        DroppedSyns++;
        _table.Counters.SynsDropped++;
    }

    /// <summary>A connection this listener opened joins its SYN queue and the table.</summary>
    private void Adopt(TcpControlBlock tcb)
    {
        tcb.Listener = this;
        HalfOpen++;
        _table.List(tcb);
    }

    /// <summary>A connection of this listener reached ESTABLISHED: hand it to a waiting accept or queue it.</summary>
    internal void OnEstablished(TcpControlBlock tcb)
    {
        HalfOpen--;
        if (_accept is { IsArmed: true })
        {
            TcpConnection? into = _acceptInto;
            _acceptInto = null;
            // The connection to accept into was disposed or opened while the accept waited: that accept fails, and
            // the new connection waits in the backlog for the next one.
            if (into?.NotReusable() is Exception error)
            {
                _accept.SetException(error);
                _established.Enqueue(tcb);
                return;
            }
            _accept.SetResult(Attach(into, tcb));
        }
        else
            _established.Enqueue(tcb);
    }

    /// <summary>A connection of this listener died before it was established.</summary>
    internal void OnHalfOpenClosed() => HalfOpen--;

    // Its own method: a lambda capturing a parameter makes its closure on entry to the method that declares it.
    private ValueTask AcceptOffLoop(TcpConnection connection, CancellationToken cancellationToken) =>
        new(_table.Loop.InvokeAsync(() => AcceptAsync(connection, cancellationToken).AsTask()));

    private ValueTask<TcpConnection> AcceptOffLoop(CancellationToken cancellationToken) =>
        new(_table.Loop.InvokeAsync(() => AcceptAsync(cancellationToken).AsTask()));
}
