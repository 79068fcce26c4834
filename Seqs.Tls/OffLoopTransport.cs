using System.Buffers;
using System.Runtime.CompilerServices;
using Seqs.Tcp;

namespace Seqs.Tls;

/// <summary>
/// The stream <see cref="System.Net.Security.SslStream"/> runs over: a <see cref="TcpConnection"/> whose reads and
/// writes, which the stack completes on its loop thread, always continue on the thread pool (a call made off the loop
/// already does, as <see cref="Seqs.Scheduling.NetLoop.InvokeAsync{T}"/> runs its continuations asynchronously; one
/// that completed on the loop anyway is moved off it). SslStream decrypts in the continuation of its transport read
/// and encrypts before its transport write, so this keeps the crypto of a connection (and the handshake's signatures
/// and certificate checks) off the loop, which meanwhile goes on moving packets. SslStream must never enter it on a
/// loop thread: that would mean TLS ran on the loop, and it throws (tested: with <see cref="TlsStream"/>'s hop
/// removed, <c>StreamUsedOnTheLoopThread_NeverRunsTlsOnTheLoop</c> fails on this exception).
/// <para>
/// Each trip to the loop and back costs two thread hand-overs, so a read takes up to <see cref="ReadAheadSize"/>
/// (as much as the connection's receive buffer holds, and at least <see cref="MinimumReadAheadSize"/>) at once, however little SslStream asked for (it asks for about one record, 16 KiB), and
/// serves the next reads from what is left without a trip. A read that brought <see cref="BulkReadSize"/> or more
/// means a bulk transfer, so the next read is sent to the loop at once: its trip overlaps SslStream's decryption of
/// what the last one brought, instead of following it. The read-ahead buffers are rented only while they hold data or such a read is
/// on its way: an idle connection keeps none (but after a bulk transfer, one until its next data or its end).
/// </para>
/// <para>
/// A transport that owns its connection also writes behind (<see cref="WriteBehindBuffer"/>): a write that fits
/// completes once its octets are in a bounded buffer the loop drains, so SslStream encrypts the next record while the
/// loop sends the last, and small writes made while the loop is busy leave together; a failure surfaces on the next
/// write or flush, and disposing lets the loop send what is left before the FIN. A connection lent by a server is
/// written through (a write completes once TCP has taken it), because its owner goes on to use the connection itself
/// (a half-close, a disconnect) and must find every octet written before.
/// </para>
/// </summary>
internal sealed class OffLoopTransport(TcpConnection connection, bool ownsConnection) : Stream
{
    /// <summary>The most a read takes from the connection; four TLS records.</summary>
    public const int ReadAheadSize = 256 * 1024;

    /// <summary>
    /// A read that brings this much (a whole TLS record, and a whole default receive buffer) is taken for part of a
    /// bulk transfer; a request or a message of a protocol that takes turns rarely fills one.
    /// </summary>
    public const int BulkReadSize = 16 * 1024;

    private readonly WriteBehindBuffer? _writeBehind = ownsConnection ? new WriteBehindBuffer(connection) : null;
    private byte[]? _readAhead;
    private int _readAheadStart;
    private int _readAheadEnd;
    // The connection read on its way, into _nextBuffer.
    private Task<int>? _next;
    private byte[]? _nextBuffer;

    public TcpConnection Connection => connection;

    /// <summary>Octets written and not yet handed to TCP (always 0 when writing through).</summary>
    public int BufferedForSending => _writeBehind?.Buffered ?? 0;

    public override bool CanRead => connection.CanRead;

    public override bool CanWrite => connection.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfOnLoop();
        if (_readAhead is not null)
            return new ValueTask<int>(TakeReadAhead(buffer.Span));
        if (_next is null && buffer.Length >= ReadAheadSize)
        {
            ValueTask<int> direct = connection.ReadAsync(buffer, cancellationToken);
            return direct.IsCompleted ? direct : ContinueOffLoopAsync(direct);
        }
        Task<int> next = _next ?? StartReadAhead();
        return next.IsCompleted ? new ValueTask<int>(AdoptReadAhead(buffer.Span)) : ReadAheadAsync(next, buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfOnLoop();
        if (_writeBehind is not null)
            return _writeBehind.WriteAsync(buffer, cancellationToken);
        ValueTask write = connection.WriteAsync(buffer, cancellationToken);
        return write.IsCompleted ? write : ContinueOffLoopAsync(write);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Completes once the loop has handed everything written to TCP (at once when writing through).</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _writeBehind is null ? Task.CompletedTask : _writeBehind.FlushAsync(cancellationToken).AsTask();

    /// <summary>Does nothing, as a socket's stream: what was written is the loop's to send; <see cref="FlushAsync"/> waits.</summary>
    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("TLS over a TcpConnection is asynchronous only: use ReadAsync.");

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("TLS over a TcpConnection is asynchronous only: use WriteAsync.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReturnReadAhead();
            // The connection closes once the loop has sent what was written (a FIN after it, as close() on a socket).
            _writeBehind?.Close();
            // A read still on its way writes into its buffer until it ends, which disposing the connection hastens.
            if (_next is { } next)
            {
                byte[] buffer = _nextBuffer!;
                _next = null;
                _nextBuffer = null;
                next.ContinueWith(static (_, b) => ArrayPool<byte>.Shared.Return((byte[])b!), buffer, CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// Sends a read of up to <see cref="ReadAheadSize"/> to the loop. It is not cancelled with the read that waits for
    /// it: what it brings is kept for the next read, so a cancelled read loses no data.
    /// </summary>
    private Task<int> StartReadAhead()
    {
        _nextBuffer = ArrayPool<byte>.Shared.Rent(ReadAheadSize);
        return _next = connection.ReadAsync(_nextBuffer.AsMemory(0, ReadAheadSize), CancellationToken.None).AsTask();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadAheadAsync(Task<int> next, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch
        {
            // The read's own failure is reported by AdoptReadAhead below, which also returns its buffer.
        }
        await new LoopExit();
        return AdoptReadAhead(buffer.Span);
    }

    /// <summary>
    /// Makes the completed read the read-ahead buffer and serves <paramref name="destination"/> from it; after a
    /// bulk one, sends the next read to the loop at once.
    /// </summary>
    private int AdoptReadAhead(Span<byte> destination)
    {
        Task<int> next = _next!;
        byte[] ahead = _nextBuffer!;
        _next = null;
        _nextBuffer = null;
        int n;
        try
        {
            n = next.GetAwaiter().GetResult();
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(ahead);
            throw;
        }
        _readAhead = ahead;
        _readAheadStart = 0;
        _readAheadEnd = n;
        if (n >= BulkReadSize)
            StartReadAhead();
        return TakeReadAhead(destination);
    }

    /// <summary>Copies what the read-ahead buffer holds into <paramref name="destination"/>, returning the buffer once empty.</summary>
    private int TakeReadAhead(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, _readAheadEnd - _readAheadStart);
        _readAhead.AsSpan(_readAheadStart, n).CopyTo(destination);
        _readAheadStart += n;
        if (_readAheadStart == _readAheadEnd)
            ReturnReadAhead();
        return n;
    }

    private void ReturnReadAhead()
    {
        if (_readAhead is null)
            return;
        ArrayPool<byte>.Shared.Return(_readAhead);
        _readAhead = null;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> ContinueOffLoopAsync(ValueTask<int> read)
    {
        int n = await read.ConfigureAwait(false);
        await new LoopExit();
        return n;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask ContinueOffLoopAsync(ValueTask write)
    {
        await write.ConfigureAwait(false);
        await new LoopExit();
    }

    private static void ThrowIfOnLoop()
    {
        if (LoopExit.IsOnLoop)
            throw new InvalidOperationException("The transport was used on a loop thread: TLS (and MQTTnet over the transport) must run off the stack's loop (use TlsStream).");
    }
}
