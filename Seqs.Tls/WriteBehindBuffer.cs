using System.Buffers;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;
using Seqs.Scheduling;
using Seqs.Tcp;

namespace Seqs.Tls;

/// <summary>
/// The send side of an <see cref="OffLoopTransport"/> that owns its connection, as a kernel socket's send buffer is:
/// a write that fits is copied into a bounded ring and completes at once, and the loop drains the ring into the
/// connection in the background, so the writer (SslStream encrypting its next record, MQTTnet formatting its next
/// packet) runs while the loop sends, and writes made while the loop is busy leave together. A connection's
/// failure surfaces on the next write or flush, as a socket's does on the next send; <see cref="FlushAsync"/> waits
/// until the loop has handed everything to TCP; <see cref="Close"/> lets the loop send what is left and then closes
/// the connection (a FIN after the data), as close() on a socket does.
/// <para>
/// A write of at most the capacity is taken whole or not at all: it waits, if it must, until it fits,
/// so a cancelled write sent none of its octets. A longer one is taken in parts as room frees; cancelling it after a
/// part was taken cuts the stream, and every later write fails saying so. The ring is rented only while it holds data.
/// Once warm, a write that fits allocates nothing, and neither does the loop's drain.
/// </para>
/// </summary>
internal sealed class WriteBehindBuffer : IValueTaskSource
{
    /// <summary>The least the ring holds: four TLS records, or hundreds of small MQTT packets.</summary>
    public const int MinimumCapacity = 64 * 1024;

    /// <summary>
    /// The most the loop hands TCP in one write (a default send buffer), so that room in the ring frees record by
    /// record as TCP takes the data, not only once a whole ring has gone.
    /// </summary>
    public const int DrainChunkSize = 16 * 1024;

    private static readonly SendOrPostCallback s_drain = static s => ((WriteBehindBuffer)s!).Drain();
    private static readonly Action<object?> s_canceled = static s => ((WriteBehindBuffer)s!).OnWaitCanceled();

    private readonly TcpConnection _connection;
    private readonly Action _onChunkWritten;
    private readonly Lock _gate = new();
    private byte[]? _ring;
    private int _head;
    private int _count;
    // The loop owns the sending: a drain is posted or a chunk is being written. Cleared when the ring is empty.
    private bool _draining;
    // The chunk handed to the connection and not yet taken by it.
    private ValueTask _chunkWrite;
    private int _chunkLength;
    private Exception? _failure;
    private bool _closed;
    // The one write or flush that waits: for room (a write, _waitingData its octets not taken yet) or for an empty ring.
    private ManualResetValueTaskSourceCore<bool> _waiter = new() { RunContinuationsAsynchronously = true };
    private bool _waiting;
    private bool _waitingForFlush;
    private ReadOnlyMemory<byte> _waitingData;
    private bool _waitingWriteTaken;
    private CancellationToken _waitToken;
    private CancellationTokenRegistration _waitRegistration;

    /// <summary>
    /// A buffer in front of <paramref name="connection"/> that holds as much as its send buffer, and at least
    /// <see cref="MinimumCapacity"/>: a connection given a large send buffer for a fast path keeps it full even when
    /// the writer's thread is held up (on a busy machine, for a scheduling slice) as long as the loop takes to send it.
    /// </summary>
    public WriteBehindBuffer(TcpConnection connection)
    {
        _connection = connection;
        Capacity = Math.Max(MinimumCapacity, connection.SendBufferSize);
        _onChunkWritten = OnChunkWritten;
    }

    /// <summary>The most the ring holds.</summary>
    public int Capacity { get; }

    /// <summary>Octets written and not yet handed to TCP.</summary>
    public int Buffered
    {
        get
        {
            lock (_gate)
                return _count;
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        bool post;
        lock (_gate)
        {
            if (Refusal() is Exception refused)
                return ValueTask.FromException(refused);
            if (cancellationToken.IsCancellationRequested)
                return ValueTask.FromCanceled(cancellationToken);
            if (data.IsEmpty)
                return default;
            if (data.Length <= Capacity - _count)
            {
                Append(data.Span);
                return PostDrainIfIdle() ? PostDrain() : default;
            }
            _waitingData = data;
            _waitingWriteTaken = false;
            TakeWaitingData();
            post = PostDrainIfIdle();
            return Wait(forFlush: false, cancellationToken, post);
        }
    }

    /// <summary>Completes once the loop has handed every octet written so far to TCP; throws the connection's failure.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Refusal() is Exception refused)
                return ValueTask.FromException(refused);
            if (_count == 0)
                return default;
            if (cancellationToken.IsCancellationRequested)
                return ValueTask.FromCanceled(cancellationToken);
            return Wait(forFlush: true, cancellationToken, post: false);
        }
    }

    /// <summary>
    /// No more writes: a write or flush that waits fails, what was written goes out, and then the connection is
    /// disposed (at once when nothing is left to send).
    /// </summary>
    public void Close()
    {
        bool closeNow;
        lock (_gate)
        {
            if (_closed)
                return;
            _closed = true;
            if (_waiting)
                EndWait(new ObjectDisposedException(nameof(OffLoopTransport)));
            closeNow = !_draining;
        }
        if (closeNow)
            _connection.Dispose();
    }

    private Exception? Refusal()
    {
        if (_closed)
            return new ObjectDisposedException(nameof(OffLoopTransport));
        if (_waiting)
            return new InvalidOperationException("A write or flush is already waiting on this stream.");
        if (_failure is not null)
            return new IOException($"An earlier write failed: {_failure.Message}", _failure);
        return null;
    }

    private ValueTask Wait(bool forFlush, CancellationToken cancellationToken, bool post)
    {
        if (!forFlush && _waitingData.IsEmpty)
            return post ? PostDrain() : default;
        _waiter.Reset();
        _waiting = true;
        _waitingForFlush = forFlush;
        _waitToken = cancellationToken;
        var wait = new ValueTask(this, _waiter.Version);
        // The lock is reentrant, so a token cancelled in the meantime may run the callback right here.
        if (cancellationToken.CanBeCanceled)
            _waitRegistration = cancellationToken.UnsafeRegister(s_canceled, this);
        if (post)
            PostDrain();
        return wait;
    }

    /// <summary>Copies into the ring after its last octet, renting the ring if it holds nothing.</summary>
    private void Append(ReadOnlySpan<byte> data)
    {
        _ring ??= ArrayPool<byte>.Shared.Rent(Capacity);
        int tail = (_head + _count) % Capacity;
        int first = Math.Min(data.Length, Capacity - tail);
        data[..first].CopyTo(_ring.AsSpan(tail));
        data[first..].CopyTo(_ring);
        _count += data.Length;
    }

    /// <summary>
    /// Takes what the waiting write may put in the ring now: all of it once the ring is at most half full (and it
    /// fits), or a part of a longer one. Waiting for half rather than for just enough room lets the writer, once
    /// woken, write several records without waiting again: one thread hand-over per half ring, not per record.
    /// </summary>
    private void TakeWaitingData()
    {
        int room = Capacity - _count;
        int length = _waitingData.Length;
        if (room < Capacity / 2 || (length <= Capacity && length > room))
            return;
        int taken = Math.Min(length, room);
        Append(_waitingData.Span[..taken]);
        _waitingData = _waitingData[taken..];
        _waitingWriteTaken = true;
    }

    private bool PostDrainIfIdle()
    {
        if (_draining || _count == 0)
            return false;
        _draining = true;
        return true;
    }

    private ValueTask PostDrain()
    {
        _connection.Loop.Post(s_drain, this);
        return default;
    }

    /// <summary>
    /// Loop work: hands the ring to the connection a chunk at a time, as long as TCP takes them at once; a chunk TCP
    /// cannot take yet continues in <see cref="OnChunkWritten"/> when it has.
    /// </summary>
    private void Drain()
    {
        bool closeConnection;
        while (TryTakeChunk(out ReadOnlyMemory<byte> chunk, out closeConnection))
        {
            try
            {
                _chunkWrite = _connection.WriteAsync(chunk);
            }
            catch (Exception e)
            {
                _chunkWrite = ValueTask.FromException(e);
            }
            if (!_chunkWrite.IsCompleted)
            {
                _chunkWrite.GetAwaiter().UnsafeOnCompleted(_onChunkWritten);
                return;
            }
            if (!TakeChunkWritten())
                return;
        }
        if (closeConnection)
            _connection.Dispose();
    }

    /// <summary>The next chunk to hand TCP; false when there is none (the drain ends, closing the connection after a <see cref="Close"/>).</summary>
    private bool TryTakeChunk(out ReadOnlyMemory<byte> chunk, out bool closeConnection)
    {
        lock (_gate)
        {
            closeConnection = false;
            if (_count == 0 || _failure is not null)
            {
                chunk = default;
                _draining = false;
                closeConnection = _closed;
                return false;
            }
            _chunkLength = Math.Min(Math.Min(_count, Capacity - _head), DrainChunkSize);
            chunk = _ring.AsMemory(_head, _chunkLength);
            return true;
        }
    }

    private void OnChunkWritten()
    {
        if (TakeChunkWritten())
            Drain();
    }

    /// <summary>
    /// The connection took the chunk (or failed): frees its room, lets a waiting write in or a waiting flush go, and
    /// says whether to go on draining.
    /// </summary>
    private bool TakeChunkWritten()
    {
        Exception? failure = null;
        try
        {
            _chunkWrite.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            failure = e;
        }
        _chunkWrite = default;
        bool dispose = false;
        lock (_gate)
        {
            if (failure is not null)
            {
                // The data cannot be delivered any more: drop it, and tell the writer now or on its next call.
                _failure = failure;
                _count = 0;
                ReturnRing();
                _draining = false;
                if (_waiting)
                    EndWait(new IOException(failure.Message, failure));
                dispose = _closed;
            }
            else
            {
                _count -= _chunkLength;
                _head = (_head + _chunkLength) % Capacity;
                if (_waiting && !_waitingForFlush)
                {
                    TakeWaitingData();
                    if (_waitingData.IsEmpty)
                        EndWait(null);
                }
                if (_count == 0)
                {
                    ReturnRing();
                    if (_waiting && _waitingForFlush)
                        EndWait(null);
                }
                return true;
            }
        }
        if (dispose)
            _connection.Dispose();
        return false;
    }

    private void ReturnRing()
    {
        _head = 0;
        if (_ring is null)
            return;
        ArrayPool<byte>.Shared.Return(_ring);
        _ring = null;
    }

    /// <summary>Ends the wait (under the lock): its continuation runs on the thread pool, never on the loop.</summary>
    private void EndWait(Exception? error)
    {
        _waiting = false;
        _waitingData = default;
        _waitToken = default;
        _waitRegistration.Unregister();
        _waitRegistration = default;
        if (error is null)
            _waiter.SetResult(true);
        else
            _waiter.SetException(error);
    }

    private void OnWaitCanceled()
    {
        lock (_gate)
        {
            if (!_waiting || !_waitToken.IsCancellationRequested)
                return;
            if (_waitingWriteTaken && !_waitingForFlush)
                _failure ??= new IOException("A write was cancelled after part of it had been buffered: the stream is cut there.");
            EndWait(new OperationCanceledException(_waitToken));
        }
    }

    void IValueTaskSource.GetResult(short token) => _waiter.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _waiter.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waiter.OnCompleted(continuation, state, token, flags);
}
