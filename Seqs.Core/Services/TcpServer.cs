using Seqs.Stack;
using Seqs.Tcp;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Services;

/// <summary>
/// A TCP service on one port that serves every connection it accepts at the same time, each in its own
/// asynchronous handler on the stack's loop.
/// </summary>
public abstract class TcpServer : NetService
{
    private readonly TcpListener _listener;

    protected TcpServer(NetStack stack, ushort port, TcpConnectionOptions? options = null, int backlog = 16)
        : base(stack)
    {
        _listener = new TcpListener(stack.Tcp, port, options, backlog);
    }

    public ushort Port => _listener.Port;

    /// <summary>
    /// The size of a per-connection buffer for copying received data: the receive buffer's size (256 octets to
    /// 64 KiB), so that one read can take all that has arrived.
    /// </summary>
    protected int CopyBufferSize => Math.Clamp(_listener.Options.ReceiveBufferSize, 256, 64 << 10);

    /// <summary>Connections accepted so far.</summary>
    public long Connections { get; private set; }

    /// <summary>Connections whose handler ended with an error (reset, timeout).</summary>
    public long FailedConnections { get; private set; }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _listener.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Serves one connection on the loop; the connection is disposed (closed gracefully) afterwards.</summary>
    protected abstract Task HandleAsync(TcpConnection connection, CancellationToken cancellationToken);

    protected sealed override async Task ServeAsync(CancellationToken cancellationToken)
    {
        _listener.Start();
        try
        {
            while (true)
            {
                TcpConnection connection = await _listener.AcceptAsync(cancellationToken);
                Connections++;
                _ = ServeConnectionAsync(connection, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _listener.Stop();
        }
    }

    private async Task ServeConnectionAsync(TcpConnection connection, CancellationToken cancellationToken)
    {
        using (connection)
        {
            try
            {
                await HandleAsync(connection, cancellationToken);
            }
            catch (IOException)
            {
                FailedConnections++;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The server is stopping: the connection closes gracefully (a FIN after what was queued) as it
                // is disposed, rather than with a reset.
            }
        }
    }
}
