using System.Net.Sockets;
using Seqs.Scheduling;
using Seqs.Stack;

namespace Seqs.Tcp;

/// <summary>
/// Passive open on one port (RFC 9293 §3.10.1, LISTEN), like <see cref="System.Net.Sockets.TcpListener"/>:
/// <see cref="Start"/>, <see cref="AcceptAsync"/>, <see cref="Stop"/>. Connections being set up (the SYN queue)
/// and connections established but not yet accepted (the backlog) are each bounded by <c>backlog</c>. With the
/// SYN queue full, SYNs are answered with SYN cookies (no state kept); with the backlog full, SYNs are dropped and
/// counted, so the client retries later. <see cref="AcceptAsync(TcpConnection, CancellationToken)"/> accepts into a
/// connection the caller keeps and reuses (like <see cref="System.Net.Sockets.Socket.AcceptAsync(System.Net.Sockets.Socket?, CancellationToken)"/>),
/// so that a server accepting one connection after another allocates nothing.
/// </summary>
public sealed class TcpListener : IDisposable
{
    private readonly NetStack _stack;
    private readonly Queue<TcpControlBlock> _established = new();
    private LoopCompletion<TcpConnection>? _accept;
    /// <summary>The connection the waiting accept fills, or null when it wants a new one.</summary>
    private TcpConnection? _acceptInto;

    public TcpListener(NetStack stack, ushort port, TcpConnectionOptions? options = null, int backlog = 16)
    {
        _stack = stack ?? throw new ArgumentNullException(nameof(stack));
        if (port == 0)
            throw new ArgumentOutOfRangeException(nameof(port), port, "A listener needs a port (1 to 65535).");
        if (backlog is < 1 or > 4096)
            throw new ArgumentOutOfRangeException(nameof(backlog), backlog, "The backlog is 1 to 4096 connections.");
        Options = options ?? stack.DefaultTcpOptions;
        Options.Validate();
        Port = port;
        Backlog = backlog;
    }

    public ushort Port { get; }

    public int Backlog { get; }

    public TcpConnectionOptions Options { get; }

    public bool IsActive { get; private set; }

    /// <summary>SYNs dropped because the SYN queue or the backlog was full.</summary>
    public long DroppedSyns { get; internal set; }

    internal int HalfOpen { get; set; }

    /// <summary>The SYN queue (connections being set up) has room; when it does not, SYNs get cookies.</summary>
    internal bool SynQueueHasRoom => HalfOpen < Backlog;

    /// <summary>Established connections waiting for <see cref="AcceptAsync"/> fill the backlog: new SYNs are dropped.</summary>
    internal bool BacklogFull => _established.Count >= Backlog;

    /// <summary>Starts listening. Throws <see cref="SocketException"/> (AddressAlreadyInUse) when the port has a listener.</summary>
    public void Start()
    {
        if (IsActive)
            return;
        _stack.AddTcpListener(this);
        IsActive = true;
    }

    /// <summary>Completes with the next established connection, a new <see cref="TcpConnection"/>.</summary>
    public ValueTask<TcpConnection> AcceptAsync(CancellationToken cancellationToken = default)
    {
        if (!_stack.Loop.IsOnLoopThread)
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
        if (!_stack.Loop.IsOnLoopThread)
            return AcceptOffLoop(connection, cancellationToken);
        connection.ThrowIfNotReusable(_stack);
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
        _accept ??= new LoopCompletion<TcpConnection>(_stack.Loop);
        _acceptInto = into;
        return null;
    }

    private TcpConnection Attach(TcpConnection? into, TcpControlBlock tcb)
    {
        TcpConnection connection = into ?? new TcpConnection(_stack, Options);
        connection.Attach(tcb);
        return connection;
    }

    /// <summary>Stops listening: connections not yet accepted are reset, new SYNs get RST.</summary>
    public void Stop()
    {
        if (!_stack.Loop.IsOnLoopThread)
        {
            _stack.Loop.Post(static s => ((TcpListener)s!).Stop(), this);
            return;
        }
        if (!IsActive)
            return;
        IsActive = false;
        _stack.RemoveTcpListener(this);
        while (_established.Count > 0)
            _stack.AbortUnaccepted(_established.Dequeue());
        _accept?.SetException(new ObjectDisposedException(nameof(TcpListener), "The listener was stopped."));
    }

    public void Dispose() => Stop();

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
        new(_stack.Loop.InvokeAsync(() => AcceptAsync(connection, cancellationToken).AsTask()));

    private ValueTask<TcpConnection> AcceptOffLoop(CancellationToken cancellationToken) =>
        new(_stack.Loop.InvokeAsync(() => AcceptAsync(cancellationToken).AsTask()));
}
