using System.Runtime.CompilerServices;
using Seqs.Tcp;

namespace Seqs.Tls;

/// <summary>
/// The stream <see cref="System.Net.Security.SslStream"/> runs over: a <see cref="TcpConnection"/> whose reads and
/// writes, which the stack completes on its loop thread, always continue on the thread pool. SslStream decrypts in the
/// continuation of its transport read and encrypts before its transport write, so this keeps the crypto of a
/// connection (and the handshake's signatures and certificate checks) off the loop, which meanwhile goes on moving
/// packets. SslStream must never enter it on a loop thread: that would mean TLS ran on the loop, and it throws.
/// </summary>
internal sealed class OffLoopTransport(TcpConnection connection, bool ownsConnection) : Stream
{
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
        ValueTask<int> read = connection.ReadAsync(buffer, cancellationToken);
        return read.IsCompleted ? read : ContinueOffLoopAsync(read);
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
        if (disposing && ownsConnection)
            connection.Dispose();
        base.Dispose(disposing);
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
