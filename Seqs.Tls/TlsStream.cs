using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Seqs.Tcp;

namespace Seqs.Tls;

/// <summary>
/// An authenticated TLS connection over a <see cref="TcpConnection"/>, made by <see cref="TlsConnection"/>: a
/// <see cref="Stream"/> of the plaintext. It may be used from any thread, the loop's included: a read or write asked
/// for on a loop thread is carried out on the thread pool and its await resumes where it was made, so encryption
/// never runs on the loop. Asynchronous only. Disposing it frees the TLS session and, unless the connection was
/// lent by a server, disposes the connection (a FIN after what was written).
/// </summary>
public sealed class TlsStream : Stream
{
    private readonly SslStream _ssl;
    private readonly OffLoopTransport _transport;

    internal TlsStream(SslStream ssl, OffLoopTransport transport)
    {
        _ssl = ssl;
        _transport = transport;
    }

    /// <summary>The TCP connection under the TLS session.</summary>
    public TcpConnection Connection => _transport.Connection;

    /// <summary>The negotiated protocol, such as <see cref="SslProtocols.Tls13"/>.</summary>
    public SslProtocols Protocol => _ssl.SslProtocol;

    /// <summary>The negotiated cipher suite (RFC 8446 §B.4, RFC 5246 appendix A.5).</summary>
    public TlsCipherSuite CipherSuite => _ssl.NegotiatedCipherSuite;

    /// <summary>The host name the client asked for by SNI (RFC 6066 §3), on a server; the target host on a client.</summary>
    public string TargetHostName => _ssl.TargetHostName;

    /// <summary>The peer's certificate, when it sent one.</summary>
    public X509Certificate2? RemoteCertificate => _ssl.RemoteCertificate as X509Certificate2;

    public override bool CanRead => _ssl.CanRead;

    public override bool CanWrite => _ssl.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        LoopExit.IsOnLoop ? ReadOffLoopAsync(buffer, cancellationToken) : _ssl.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        LoopExit.IsOnLoop ? WriteOffLoopAsync(buffer, cancellationToken) : _ssl.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// Sends close_notify (RFC 8446 §6.1), so the peer knows the data ended here and was not cut off, and completes
    /// once TCP has taken it and everything written before; the connection stays open for reading.
    /// </summary>
    public async Task ShutdownAsync()
    {
        await new LoopExit();
        await _ssl.ShutdownAsync().ConfigureAwait(false);
        await _ssl.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Completes once TCP has taken everything written: a write completes when its record is in the connection's
    /// bounded write-behind buffer, before the loop has sent it. A failure of the connection is thrown here or by the
    /// next write.
    /// </summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => _ssl.FlushAsync(cancellationToken);

    /// <summary>
    /// Does nothing, as <see cref="System.Net.Sockets.NetworkStream.Flush"/> does: what was written is already the
    /// connection's to send (waiting here could block the loop). <see cref="FlushAsync(CancellationToken)"/> waits.
    /// </summary>
    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("A TlsStream is asynchronous only (a synchronous read could block the stack's loop): use ReadAsync.");

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("A TlsStream is asynchronous only (a synchronous write could block the stack's loop): use WriteAsync.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _ssl.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _ssl.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadOffLoopAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        await new LoopExit();
        return await _ssl.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteOffLoopAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await new LoopExit();
        await _ssl.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }
}
