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
/// from the connection at once, however little SslStream asked for (it asks for about one record, 16 KiB), and
/// serves the next reads from what is left without a trip. The read-ahead buffer is rented only while it holds
/// data: an idle connection keeps none.
/// </para>
/// </summary>
internal sealed class OffLoopTransport(TcpConnection connection, bool ownsConnection) : Stream
{
    /// <summary>The most a read takes from the connection; four TLS records.</summary>
    public const int ReadAheadSize = 64 * 1024;

    private byte[]? _readAhead;
    private int _readAheadStart;
    private int _readAheadEnd;

    public TcpConnection Connection => connection;

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
        if (buffer.Length >= ReadAheadSize)
        {
            ValueTask<int> direct = connection.ReadAsync(buffer, cancellationToken);
            return direct.IsCompleted ? direct : ContinueOffLoopAsync(direct);
        }
        return ReadAheadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfOnLoop();
        ValueTask write = connection.WriteAsync(buffer, cancellationToken);
        return write.IsCompleted ? write : ContinueOffLoopAsync(write);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
            if (ownsConnection)
                connection.Dispose();
        }
        base.Dispose(disposing);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadAheadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        byte[] ahead = ArrayPool<byte>.Shared.Rent(ReadAheadSize);
        int n;
        try
        {
            n = await connection.ReadAsync(ahead.AsMemory(0, ReadAheadSize), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(ahead);
            throw;
        }
        await new LoopExit();
        _readAhead = ahead;
        _readAheadStart = 0;
        _readAheadEnd = n;
        return TakeReadAhead(buffer.Span);
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
            throw new InvalidOperationException("SslStream used its transport on a loop thread: TLS must run off the stack's loop (use TlsStream).");
    }
}
