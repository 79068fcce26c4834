using System.Net.Sockets;
using Seqs.Scheduling;
using Seqs.Stack;

namespace Seqs.Tcp;

/// <summary>
/// Passive open on one port (RFC 9293 §3.10.1, LISTEN), like <see cref="System.Net.Sockets.TcpListener"/>:
/// <see cref="Start"/>, <see cref="AcceptAsync"/>, <see cref="Stop"/>. Connections being set up (the SYN queue)
/// and connections established but not yet accepted (the backlog) are each bounded by <c>backlog</c>. With the
/// SYN queue full, SYNs are answered with SYN cookies (no state kept); with the backlog full, SYNs are dropped and
/// counted, so the client retries later.
/// </summary>
public sealed class TcpListener : IDisposable
{
    private readonly NetStack _stack;
    private readonly Queue<TcpConnection> _established = new();
    private LoopCompletion<TcpConnection>? _accept;

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

    public ValueTask<TcpConnection> AcceptAsync(CancellationToken cancellationToken = default)
    {
        if (!_stack.Loop.IsOnLoopThread)
            return AcceptOffLoop(cancellationToken);
        if (!IsActive)
            throw new InvalidOperationException("Start the listener before accepting.");
        if (cancellationToken.IsCancellationRequested)
            return new ValueTask<TcpConnection>(Task.FromCanceled<TcpConnection>(cancellationToken));
        if (_established.Count > 0)
            return new ValueTask<TcpConnection>(_established.Dequeue());
        _accept ??= new LoopCompletion<TcpConnection>(_stack.Loop);
        return _accept.Arm(cancellationToken);
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
            _established.Dequeue().Abort();
        _accept?.SetException(new ObjectDisposedException(nameof(TcpListener), "The listener was stopped."));
    }

    public void Dispose() => Stop();

    /// <summary>A connection of this listener reached ESTABLISHED: hand it to a waiting accept or queue it.</summary>
    internal void OnEstablished(TcpConnection connection)
    {
        HalfOpen--;
        if (_accept is { IsArmed: true })
            _accept.SetResult(connection);
        else
            _established.Enqueue(connection);
    }

    /// <summary>A connection of this listener died before it was established.</summary>
    internal void OnHalfOpenClosed() => HalfOpen--;

    private ValueTask<TcpConnection> AcceptOffLoop(CancellationToken cancellationToken) =>
        new(_stack.Loop.InvokeAsync(() => AcceptAsync(cancellationToken).AsTask()));
}
