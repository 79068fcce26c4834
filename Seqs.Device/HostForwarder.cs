using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Device;

/// <summary>
/// The host bridge of the simulated network (<c>--forward</c>): a kernel TCP listener whose every connection the
/// simulated router carries on as a TCP connection of its own to the device, pumping bytes both ways; a half-close
/// on either side is passed on as one. So a browser or curl on the host reaches the userspace stack.
/// </summary>
internal sealed partial class HostForwarder : IDisposable
{
    private const int BufferSize = 16 * 1024;

    private readonly Socket _listener;
    private readonly NetStack _router;
    private readonly ILogger _log;

    /// <exception cref="DeviceStartException">The kernel address cannot be listened on.</exception>
    public HostForwarder(IPEndPoint local, NetStack router, ILogger log)
    {
        _router = router;
        _log = log;
        _listener = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(local);
            _listener.Listen(16);
        }
        catch (SocketException e)
        {
            _listener.Dispose();
            throw new DeviceStartException($"cannot listen on {local} for --forward: {e.Message}; give another address and port, such as --forward 127.0.0.1:8081, or --forward off.", e);
        }
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    /// <summary>The kernel address listened on, with the port the kernel chose for port 0.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Forwards each accepted connection to <paramref name="target"/> until cancelled.</summary>
    public async Task RunAsync(Ipv4EndPoint target, CancellationToken cancellationToken)
    {
        var bridges = new List<Task>();
        try
        {
            while (true)
            {
                Socket client = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
                bridges.RemoveAll(t => t.IsCompleted);
                bridges.Add(BridgeAsync(client, target, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(bridges).ConfigureAwait(false);
    }

    public void Dispose() => _listener.Dispose();

    private async Task BridgeAsync(Socket client, Ipv4EndPoint target, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                using TcpConnection device = await _router.Tcp.ConnectAsync(target, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using var kernel = new NetworkStream(client, ownsSocket: false);
                Task toDevice = PumpAsync(kernel, device, device.ShutdownSend, cancellationToken);
                Task toHost = PumpAsync(device, kernel, () => client.Shutdown(SocketShutdown.Send), cancellationToken);
                Task first = await Task.WhenAny(toDevice, toHost).ConfigureAwait(false);
                if (first.IsFaulted)
                    device.Abort();
                await Task.WhenAll(toDevice, toHost).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                Log.BridgeFailed(_log, client.RemoteEndPoint?.ToString() ?? "?", e.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    private static async Task PumpAsync(Stream from, Stream to, Action shutdown, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            shutdown();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Forwarding from {Client} ended: {Reason}")]
        public static partial void BridgeFailed(ILogger logger, string client, string reason);
    }
}
