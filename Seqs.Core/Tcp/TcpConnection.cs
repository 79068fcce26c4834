using System.Net;
using System.Net.Sockets;
using Seqs.Scheduling;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tcp;

/// <summary>
/// One TCP connection as a <see cref="Stream"/>, in the manner of <see cref="NetworkStream"/>: reads wait for
/// data and return 0 at the peer's FIN, writes wait while the send buffer is full, <see cref="ShutdownSend"/>
/// half-closes, <see cref="Stream.Dispose()"/> closes gracefully and <see cref="Abort"/> resets. The async
/// methods are safe from any thread; one read and one write may be outstanding at a time. Failures surface as
/// <see cref="IOException"/> wrapping a <see cref="SocketException"/> that says what happened (refused, reset,
/// timed out, aborted).
/// </summary>
public sealed class TcpConnection : Stream
{
    private readonly NetStack _stack;
    // Made when a read or write first has to wait: a connection that never waits does not carry them.
    private LoopCompletion<int>? _read;
    private LoopCompletion<int>? _write;
    private Memory<byte> _readBuffer;
    private ReadOnlyMemory<byte> _writeRemaining;
    private int _writeTotal;
    private bool _disposed;

    internal TcpConnection(NetStack stack, TcpControlBlock tcb, Ipv4EndPoint local, Ipv4EndPoint remote, TcpListener? listener)
    {
        _stack = stack;
        Tcb = tcb;
        tcb.StackCounters = stack.Counters;
        Local = local;
        Remote = remote;
        Listener = listener;
        Timer = stack.Loop.CreateTimer(OnTimer);
    }

    internal TcpControlBlock Tcb { get; }

    internal Ipv4EndPoint Local { get; }

    internal Ipv4EndPoint Remote { get; }

    /// <summary>The listener of a passive open until the connection is established (or dies first); then null.</summary>
    internal TcpListener? Listener { get; set; }

    internal NetTimer Timer { get; }

    /// <summary>The active open's completion until the handshake ends.</summary>
    internal TaskCompletionSource<TcpConnection>? Connecting { get; set; }

    internal CancellationTokenRegistration ConnectCancellation { get; set; }

    /// <summary>The application changed something (wrote, read, closed) that may have produced a segment to send.</summary>
    internal bool Dirty { get; set; }

    public IPEndPoint LocalEndPoint => Local.ToIPEndPoint();

    public IPEndPoint RemoteEndPoint => Remote.ToIPEndPoint();

    /// <summary>
    /// Like <see cref="System.Net.Sockets.Socket.NoDelay"/>: true turns Nagle's algorithm off, so small writes leave at
    /// once instead of waiting for outstanding data to be acknowledged. Starts from
    /// <see cref="TcpConnectionOptions.NoDelay"/>.
    /// </summary>
    public bool NoDelay
    {
        get => Tcb.NoDelay;
        set => Tcb.NoDelay = value;
    }

    /// <summary>The RFC 9293 state, read on the loop (from other threads it may be a moment old).</summary>
    public TcpState State => Tcb.State;

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
        if (!_stack.Loop.IsOnLoopThread)
            return ReadOffLoop(buffer, cancellationToken);
        ThrowIfDisposed();
        if (cancellationToken.IsCancellationRequested)
            return new ValueTask<int>(Task.FromCanceled<int>(cancellationToken));
        if (_read is { IsBusy: true })
            throw new InvalidOperationException("A read is already outstanding on this connection.");
        if (buffer.IsEmpty)
            return new ValueTask<int>(0);
        if (TryCompleteRead(buffer.Span, out int read, out Exception? error))
            return error is null ? new ValueTask<int>(read) : new ValueTask<int>(Task.FromException<int>(error));
        _readBuffer = buffer;
        return (_read ??= new LoopCompletion<int>(_stack.Loop)).Arm(cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_stack.Loop.IsOnLoopThread)
            return WriteOffLoop(buffer, cancellationToken);
        ThrowIfDisposed();
        if (cancellationToken.IsCancellationRequested)
            return new ValueTask(Task.FromCanceled(cancellationToken));
        if (_write is { IsBusy: true })
            throw new InvalidOperationException("A write is already outstanding on this connection.");
        if (ErrorFor(sending: true) is Exception error)
            return new ValueTask(Task.FromException(error));
        int written = Tcb.Write(buffer.Span);
        if (written > 0)
            _stack.RequestTcpFlush(this);
        if (written == buffer.Length)
            return default;
        _writeRemaining = buffer[written..];
        _writeTotal = buffer.Length;
        return (_write ??= new LoopCompletion<int>(_stack.Loop)).ArmWithoutResult(cancellationToken);
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
        if (c._write is { IsBusy: true })
            throw new InvalidOperationException("Wait for the outstanding write before shutting down the send side.");
        c.Tcb.Close();
        c._stack.RequestTcpFlush(c);
    });

    /// <summary>Resets the connection at once (RFC 9293 §3.10.5 ABORT): unsent data is discarded, the peer gets a RST.</summary>
    public void Abort() => OnLoop(static c =>
    {
        c.Tcb.Abort();
        c._stack.RequestTcpFlush(c);
        c.OnStateChanged();
    });

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            // A graceful close: the connection lives on in the stack until its FIN is acknowledged (or TIME-WAIT ends).
            OnLoop(static c =>
            {
                c.Tcb.Close();
                c.Tcb.Orphan(c._stack.Loop.Now);
                c._readBuffer = default;
                c._writeRemaining = default;
                c._read?.SetException(new ObjectDisposedException(nameof(TcpConnection)));
                c._write?.SetException(new ObjectDisposedException(nameof(TcpConnection)));
                c._stack.RequestTcpFlush(c);
                c.OnStateChanged();
                c.ReleaseBuffersIfDone();
            });
        }
        base.Dispose(disposing);
    }

    /// <summary>Called by the stack on the loop after anything happened to the control block.</summary>
    internal void OnStateChanged()
    {
        if (_read is { IsArmed: true } && TryCompleteRead(_readBuffer.Span, out int read, out Exception? readError))
        {
            _readBuffer = default;
            if (readError is null)
                _read.SetResult(read);
            else
                _read.SetException(readError);
        }
        if (_write is { IsArmed: true })
        {
            if (ErrorFor(sending: true) is Exception error)
            {
                _writeRemaining = default;
                _write.SetException(error);
            }
            else
            {
                int written = Tcb.Write(_writeRemaining.Span);
                if (written > 0)
                {
                    _writeRemaining = _writeRemaining[written..];
                    _stack.RequestTcpFlush(this);
                }
                if (_writeRemaining.IsEmpty)
                    _write.SetResult(_writeTotal);
            }
        }
    }

    private bool TryCompleteRead(Span<byte> buffer, out int read, out Exception? error)
    {
        error = null;
        read = Tcb.Read(buffer);
        if (read > 0)
        {
            _stack.RequestTcpFlush(this);
            return true;
        }
        if (Tcb.ReceivedFin)
            return true;
        error = ErrorFor(sending: false);
        return error is not null;
    }

    private Exception? ErrorFor(bool sending)
    {
        SocketError code = Tcb.Error switch
        {
            TcpError.ConnectionRefused => SocketError.ConnectionRefused,
            TcpError.ConnectionReset => SocketError.ConnectionReset,
            TcpError.TimedOut => SocketError.TimedOut,
            TcpError.HostUnreachable => SocketError.HostUnreachable,
            TcpError.Aborted => SocketError.OperationAborted,
            _ => Tcb.IsClosed || (sending && Tcb.WritableSpace == 0 && Tcb.State is not (TcpState.SynSent or TcpState.SynReceived or TcpState.Established or TcpState.CloseWait))
                ? SocketError.Shutdown
                : SocketError.Success,
        };
        if (code == SocketError.Success)
            return null;
        string what = code switch
        {
            SocketError.ConnectionRefused => $"{Remote} refused the connection.",
            SocketError.ConnectionReset => $"{Remote} reset the connection.",
            SocketError.TimedOut => $"{Remote} stopped answering; the connection timed out.",
            SocketError.HostUnreachable => $"{Remote} is unreachable: nothing answered ARP for it or its gateway.",
            SocketError.OperationAborted => "The connection was aborted locally.",
            _ => "The connection is closed for sending.",
        };
        return new IOException(what, new SocketException((int)code));
    }

    private void OnTimer() => _stack.OnTcpTimer(this);

    private void OnLoop(Action<TcpConnection> action)
    {
        if (_stack.Loop.IsOnLoopThread)
            action(this);
        else
            _stack.Loop.Post(static s =>
            {
                var (a, c) = ((Action<TcpConnection>, TcpConnection))s!;
                a(c);
            }, (action, this));
    }

    private ValueTask<int> ReadOffLoop(Memory<byte> buffer, CancellationToken cancellationToken) =>
        new(_stack.Loop.InvokeAsync(() => ReadAsync(buffer, cancellationToken).AsTask()));

    private ValueTask WriteOffLoop(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) =>
        new(_stack.Loop.InvokeAsync(() => WriteAsync(buffer, cancellationToken).AsTask()));

    private void ThrowIfOnLoop()
    {
        if (_stack.Loop.IsOnLoopThread)
            throw new InvalidOperationException("Synchronous I/O on the loop thread would block the loop; use ReadAsync/WriteAsync.");
    }

    /// <summary>Returns the buffers to the pool once the application disposed the connection and the TCB is done with them.</summary>
    internal void ReleaseBuffersIfDone()
    {
        if (_disposed)
            Tcb.TryReleaseBuffers();
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(TcpConnection));
    }
}
