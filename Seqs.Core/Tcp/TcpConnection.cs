using System.Net;
using System.Net.Sockets;
using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Tcp;

/// <summary>
/// One TCP connection as a <see cref="Stream"/>, in the manner of <see cref="NetworkStream"/>: reads wait for
/// data and return 0 at the peer's FIN, writes wait while the send buffer is full, <see cref="ShutdownSend"/>
/// half-closes, <see cref="Stream.Dispose()"/> closes gracefully and <see cref="Abort"/> resets. The async
/// methods are safe from any thread; one read and one write may be outstanding at a time. Failures surface as
/// <see cref="IOException"/> wrapping a <see cref="SocketException"/> that says what happened (refused, reset,
/// timed out, aborted).
/// <para>
/// A connection made with the public constructor can be used again and again, as a <see cref="Socket"/> can with
/// <c>Disconnect(reuseSocket: true)</c>: <see cref="ConnectAsync"/> or
/// <see cref="TcpListener.AcceptAsync(TcpConnection, CancellationToken)"/> opens it, <see cref="Disconnect"/> closes
/// it gracefully and frees it for the next one. The stack finishes each close on its own and reuses its control
/// blocks, so a client or server that keeps its connections allocates nothing per connection once warm.
/// </para>
/// <para>
/// The stack never calls into a connection while it walks its table: it only signals it (<see cref="Signal"/>), and
/// the connection's own work, run on the loop before the transmit phase, completes a connect, copies what a waiting
/// read asked for out of the receive buffer and moves a waiting write's data into the send buffer.
/// </para>
/// </summary>
public sealed class TcpConnection : Stream
{
    private static readonly SendOrPostCallback s_onSignaled = static s => ((TcpConnection)s!).OnSignaled();

    private readonly TcpTable _table;
    private readonly TcpConnectionOptions _options;
    private TcpControlBlock? _tcb;
    // The control block's generation when it was attached: once the stack reuses the block, it is no longer ours.
    private int _generation;
    private Ipv4EndPoint _local;
    private Ipv4EndPoint _remote;
    // Made when a read, a write or a connect first has to wait: a connection that never waits does not carry them.
    private LoopCompletion<int>? _read;
    private LoopCompletion<int>? _write;
    private LoopCompletion<int>? _connect;
    private CancellationTokenRegistration _connectCancellation;
    private Memory<byte> _readBuffer;
    private ReadOnlyMemory<byte> _writeRemaining;
    private int _writeTotal;
    private bool _signaled;
    private bool _disposed;

    /// <summary>
    /// A connection not yet open, for <see cref="ConnectAsync"/> or
    /// <see cref="TcpListener.AcceptAsync(TcpConnection, CancellationToken)"/>; <paramref name="options"/> (or the
    /// table's <see cref="TcpTable.DefaultOptions"/>) apply to every connection it opens with
    /// <see cref="ConnectAsync"/>; an accepted one takes the listener's.
    /// </summary>
    /// <param name="tcp">The TCP of the stack the connection runs on (<c>NetStack.Tcp</c>).</param>
    /// <param name="options">The options of the connections it opens.</param>
    public TcpConnection(TcpTable tcp, TcpConnectionOptions? options = null)
    {
        _table = tcp ?? throw new ArgumentNullException(nameof(tcp));
        _options = options ?? tcp.DefaultOptions;
        _options.Validate();
    }

    /// <summary>
    /// The control block this connection last opened, also while it finishes a close on its own after
    /// <see cref="Disconnect"/> or Dispose; null before the first open and once the stack has reused the block.
    /// </summary>
    internal TcpControlBlock? Tcb => _tcb is { } tcb && tcb.Generation == _generation ? tcb : null;

    /// <summary>The control block of an open connection, or an <see cref="InvalidOperationException"/>.</summary>
    private TcpControlBlock OpenTcb => Attached ?? throw new InvalidOperationException("The connection is not open: connect or accept it first.");

    /// <summary>
    /// Active open (RFC 9293 §3.10.1): sends a SYN to <paramref name="remote"/> (resolving it or the gateway by ARP)
    /// and completes when the connection is established. Throws <see cref="SocketException"/>: ConnectionRefused
    /// on a RST, TimedOut after <see cref="TcpConnectionOptions.ConnectTimeout"/>, HostUnreachable when ARP gets
    /// no answer, NetworkUnreachable without a route; cancelling aborts the attempt. The connection must not be
    /// open. Safe from any thread.
    /// </summary>
    public ValueTask ConnectAsync(Ipv4EndPoint remote, CancellationToken cancellationToken = default)
    {
        if (!_table.Loop.IsOnLoopThread)
            return ConnectOffLoop(remote, cancellationToken);
        if (NotReusable() is Exception notReusable)
            throw notReusable;
        if (cancellationToken.IsCancellationRequested)
            return new ValueTask(Task.FromCanceled(cancellationToken));
        TcpControlBlock tcb = _table.OpenActive(remote, _options);
        Attach(tcb);
        ValueTask connected = (_connect ??= new LoopCompletion<int>(_table.Loop)).ArmWithoutResult(CancellationToken.None);
        if (cancellationToken.CanBeCanceled)
            _connectCancellation = cancellationToken.Register(static s => ((TcpConnection)s!).OnConnectCanceled(), this);
        _table.OnEvent(tcb);
        return connected;
    }

    /// <summary>
    /// Closes gracefully as <see cref="Stream.Dispose()"/> does (a FIN follows the data already written and the
    /// stack finishes the close on its own) but keeps this object for another <see cref="ConnectAsync"/> or
    /// <see cref="TcpListener.AcceptAsync(TcpConnection, CancellationToken)"/>. An outstanding read or write fails.
    /// </summary>
    public void Disconnect() => OnLoop(static c => c.LetGo(disposing: false));

    /// <summary>Takes on <paramref name="tcb"/>, which the stack just opened or a listener accepted.</summary>
    internal void Attach(TcpControlBlock tcb)
    {
        _tcb = tcb;
        _generation = tcb.Generation;
        _local = tcb.Local;
        _remote = tcb.Remote;
        tcb.Owner = this;
    }

    /// <summary>For a listener of <paramref name="table"/>: throws unless this connection belongs to it and can be opened.</summary>
    internal void ThrowIfNotReusable(TcpTable table)
    {
        if (table != _table)
            throw new ArgumentException("The connection belongs to another stack.", nameof(table));
        if (NotReusable() is Exception error)
            throw error;
    }

    /// <summary>Why this connection cannot be opened now (disposed, or open), or null when it can.</summary>
    internal Exception? NotReusable()
    {
        if (_disposed)
            return new ObjectDisposedException(nameof(TcpConnection));
        if (Attached is not null)
            return new InvalidOperationException("The connection is open; disconnect it before opening it again.");
        return null;
    }

    /// <summary>
    /// The size of the open connection's send buffer (<see cref="TcpConnectionOptions.SendBufferSize"/>): what TCP
    /// holds of what was written until the peer acknowledges it.
    /// </summary>
    public int SendBufferSize => OpenTcb.SendBufferCapacity;

    /// <summary>
    /// The size of the open connection's receive buffer (<see cref="TcpConnectionOptions.ReceiveBufferSize"/>): the
    /// most TCP holds for the application to read, and so the largest window it offers.
    /// </summary>
    public int ReceiveBufferSize => OpenTcb.ReceiveBufferCapacity;

    /// <summary>The loop of the stack the connection runs on, where its work is done.</summary>
    public NetLoop Loop => _table.Loop;

    /// <summary>This end of the connection (the last one, once disconnected).</summary>
    public IPEndPoint LocalEndPoint => EverOpened(_local).ToIPEndPoint();

    /// <summary>The peer of the connection (the last one, once disconnected).</summary>
    public IPEndPoint RemoteEndPoint => EverOpened(_remote).ToIPEndPoint();

    private Ipv4EndPoint EverOpened(Ipv4EndPoint endPoint) =>
        _tcb is null ? throw new InvalidOperationException("The connection has not been opened yet.") : endPoint;

    /// <summary>
    /// Like <see cref="System.Net.Sockets.Socket.NoDelay"/>: true turns Nagle's algorithm off, so small writes leave at
    /// once instead of waiting for outstanding data to be acknowledged. Starts from
    /// <see cref="TcpConnectionOptions.NoDelay"/>.
    /// </summary>
    public bool NoDelay
    {
        get => OpenTcb.NoDelay;
        set => OpenTcb.NoDelay = value;
    }

    /// <summary>
    /// The RFC 9293 state, read on the loop (from other threads it may be a moment old). CLOSED before the connection
    /// opens and once the stack has reused its control block.
    /// </summary>
    public TcpState State => Tcb?.State ?? TcpState.Closed;

    public override bool CanRead => !_disposed;

    public override bool CanWrite => !_disposed;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_table.Loop.IsOnLoopThread)
            return ReadOffLoop(buffer, cancellationToken);
        ThrowIfDisposed();
        if (cancellationToken.IsCancellationRequested)
            return new ValueTask<int>(Task.FromCanceled<int>(cancellationToken));
        if (_read is { IsBusy: true })
            throw new InvalidOperationException("A read is already outstanding on this connection.");
        TcpControlBlock tcb = OpenTcb;
        if (buffer.IsEmpty)
            return new ValueTask<int>(0);
        if (TryCompleteRead(tcb, buffer.Span, out int read, out Exception? error))
            return error is null ? new ValueTask<int>(read) : new ValueTask<int>(Task.FromException<int>(error));
        _readBuffer = buffer;
        return (_read ??= new LoopCompletion<int>(_table.Loop)).Arm(cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_table.Loop.IsOnLoopThread)
            return WriteOffLoop(buffer, cancellationToken);
        ThrowIfDisposed();
        if (cancellationToken.IsCancellationRequested)
            return new ValueTask(Task.FromCanceled(cancellationToken));
        if (_write is { IsBusy: true })
            throw new InvalidOperationException("A write is already outstanding on this connection.");
        TcpControlBlock tcb = OpenTcb;
        if (ErrorFor(tcb, sending: true) is Exception error)
            return new ValueTask(Task.FromException(error));
        int written = tcb.Write(buffer.Span);
        if (written == buffer.Length)
            return default;
        _writeRemaining = buffer[written..];
        _writeTotal = buffer.Length;
        return (_write ??= new LoopCompletion<int>(_table.Loop)).ArmWithoutResult(cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer)
    {
        ThrowIfOnLoop();
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            int n = ReadAsync(rented.AsMemory(0, buffer.Length)).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ThrowIfOnLoop();
        return ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfOnLoop();
        WriteAsync(buffer.ToArray()).AsTask().GetAwaiter().GetResult();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ThrowIfOnLoop();
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Data is handed to TCP as it is written; there is nothing to flush.</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// Half-close: a FIN follows the data already written, and the peer's reads end; this side can still read
    /// (like <see cref="Socket.Shutdown"/> with <see cref="SocketShutdown.Send"/>).
    /// </summary>
    public void ShutdownSend() => OnLoop(static c =>
    {
        TcpControlBlock tcb = c.OpenTcb;
        if (c._write is { IsBusy: true })
            throw new InvalidOperationException("Wait for the outstanding write before shutting down the send side.");
        tcb.Close();
    });

    /// <summary>Resets the connection at once (RFC 9293 §3.10.5 ABORT): unsent data is discarded, the peer gets a RST.</summary>
    public void Abort() => OnLoop(static c =>
    {
        if (c.Attached is not { } tcb)
            return;
        tcb.Abort();
        c.Signal();
    });

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            // A graceful close: the connection lives on in the stack until its FIN is acknowledged (or TIME-WAIT ends).
            OnLoop(static c => c.LetGo(disposing: true));
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// The application is done with the connection (disposed or disconnected it): CLOSE (RFC 9293 §3.10.4), fail
    /// a read or write that waits, and hand the control block to the stack to finish the close.
    /// </summary>
    private void LetGo(bool disposing)
    {
        _readBuffer = default;
        _writeRemaining = default;
        if (_read is { IsArmed: true } || _write is { IsArmed: true })
        {
            Exception error = disposing
                ? new ObjectDisposedException(nameof(TcpConnection))
                : new IOException("The connection was disconnected locally.", new SocketException((int)SocketError.Shutdown));
            _read?.SetException(error);
            _write?.SetException(error);
        }
        if (Attached is not { } tcb)
            return;
        if (_connect is { IsArmed: true })
            CompleteConnect(new SocketException((int)SocketError.OperationAborted), inline: false);
        tcb.Close();
        _table.Orphan(tcb);
    }

    /// <summary>
    /// The stack's word that something happened to the control block: the connection's work (<see cref="OnSignaled"/>)
    /// is queued on the loop, once, if a connect, read or write waits.
    /// </summary>
    internal void Signal()
    {
        if (_signaled || !(_connect is { IsArmed: true } || _read is { IsArmed: true } || _write is { IsArmed: true }))
            return;
        _signaled = true;
        _table.Loop.Post(s_onSignaled, this);
    }

    /// <summary>
    /// Loop work after a <see cref="Signal"/>, outside the stack's walk of its table: completes what waits, pulling
    /// from the control block. Each completion runs its continuation here, in the same turn; the application may
    /// let go of the connection in it, so each step checks that the block is still this connection's.
    /// </summary>
    private void OnSignaled()
    {
        _signaled = false;
        CompleteConnectIfDone();
        CompleteReadIfReady();
        ContinueWrite();
    }

    private void CompleteConnectIfDone()
    {
        if (_connect is not { IsArmed: true } || Attached is not { } tcb || tcb.State is TcpState.SynSent or TcpState.SynReceived)
            return;
        if (!tcb.IsClosed)
        {
            CompleteConnect(null, inline: true);
            return;
        }
        Exception error = _connectCancellation.Token.IsCancellationRequested
            ? new OperationCanceledException(_connectCancellation.Token)
            : new SocketException((int)tcb.Error.ToSocketError(closed: true));
        // A failed open leaves this connection free for another attempt, before its continuation can make one.
        _table.Orphan(tcb);
        CompleteConnect(error, inline: true);
    }

    private void CompleteReadIfReady()
    {
        if (_read is not { IsArmed: true } || Attached is not { } tcb || !TryCompleteRead(tcb, _readBuffer.Span, out int read, out Exception? error))
            return;
        _readBuffer = default;
        if (error is null)
            _read.SetResultNow(read);
        else
            _read.SetExceptionNow(error);
    }

    private void ContinueWrite()
    {
        if (_write is not { IsArmed: true } || Attached is not { } tcb)
            return;
        if (ErrorFor(tcb, sending: true) is Exception error)
        {
            _writeRemaining = default;
            _write.SetExceptionNow(error);
            return;
        }
        _writeRemaining = _writeRemaining[tcb.Write(_writeRemaining.Span)..];
        if (_writeRemaining.IsEmpty)
            _write.SetResultNow(_writeTotal);
    }

    /// <summary>The control block while this connection is attached to it, or null.</summary>
    private TcpControlBlock? Attached => Tcb is { } tcb && tcb.Owner == this ? tcb : null;

    /// <summary>Ends the connect that waits: <paramref name="inline"/> from the connection's own work, else posted.</summary>
    private void CompleteConnect(Exception? error, bool inline)
    {
        _connectCancellation.Dispose();
        _connectCancellation = default;
        if (error is not null && !inline)
            _connect!.SetException(error);
        else if (error is not null)
            _connect!.SetExceptionNow(error);
        else
            _connect!.SetResultNow(0);
    }

    /// <summary>The connect's token was cancelled: abort the attempt if it is still under way.</summary>
    private void OnConnectCanceled() => OnLoop(static c =>
    {
        if (c._connect is { IsArmed: true } && c.Attached is { } tcb)
            tcb.Abort();
    });

    private bool TryCompleteRead(TcpControlBlock tcb, Span<byte> buffer, out int read, out Exception? error)
    {
        error = null;
        read = tcb.Read(buffer);
        if (read > 0)
            return true;
        if (tcb.ReceivedFin)
            return true;
        error = ErrorFor(tcb, sending: false);
        return error is not null;
    }

    private Exception? ErrorFor(TcpControlBlock tcb, bool sending)
    {
        // Sending also ends, without an error, once this side has closed (FIN-WAIT, CLOSING, LAST-ACK, TIME-WAIT).
        bool closed = tcb.IsClosed || (sending && tcb.WritableSpace == 0
            && tcb.State is not (TcpState.SynSent or TcpState.SynReceived or TcpState.Established or TcpState.CloseWait));
        SocketError code = tcb.Error.ToSocketError(closed);
        if (code == SocketError.Success)
            return null;
        string what = code switch
        {
            SocketError.ConnectionRefused => $"{_remote} refused the connection.",
            SocketError.ConnectionReset => $"{_remote} reset the connection.",
            SocketError.TimedOut => $"{_remote} stopped answering; the connection timed out.",
            SocketError.HostUnreachable => $"{_remote} is unreachable: nothing answered ARP for it or its gateway.",
            SocketError.OperationAborted => "The connection was aborted locally.",
            _ => "The connection is closed for sending.",
        };
        return new IOException(what, new SocketException((int)code));
    }

    private void OnLoop(Action<TcpConnection> action)
    {
        if (_table.Loop.IsOnLoopThread)
            action(this);
        else
            _table.Loop.Post(static s =>
            {
                var (a, c) = ((Action<TcpConnection>, TcpConnection))s!;
                a(c);
            }, (action, this));
    }

    // Off-loop paths live in their own methods: a lambda capturing a parameter makes its closure on entry to the
    // method that declares it, on every call.
    private ValueTask ConnectOffLoop(Ipv4EndPoint remote, CancellationToken cancellationToken) =>
        new(_table.Loop.InvokeAsync(() => ConnectAsync(remote, cancellationToken).AsTask()));

    private ValueTask<int> ReadOffLoop(Memory<byte> buffer, CancellationToken cancellationToken) =>
        new(_table.Loop.InvokeAsync(() => ReadAsync(buffer, cancellationToken).AsTask()));

    private ValueTask WriteOffLoop(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) =>
        new(_table.Loop.InvokeAsync(() => WriteAsync(buffer, cancellationToken).AsTask()));

    private void ThrowIfOnLoop()
    {
        if (_table.Loop.IsOnLoopThread)
            throw new InvalidOperationException("Synchronous I/O on the loop thread would block the loop; use ReadAsync/WriteAsync.");
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(TcpConnection));
    }
}
