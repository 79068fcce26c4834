using System.Security.Authentication;
using Seqs.Scheduling;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Tls;

namespace Seqs.Tests.Tls;

/// <summary>
/// A TLS echo server on a stack for tests: accepts on <c>port</c>, authenticates each connection with the given
/// options and echoes until the client closes (or, with <c>closeAfterFirstEcho</c>, echoes one read and closes
/// with close_notify, for clients that wait for the server to end). The handshake failures it saw are kept, for tests to read.
/// </summary>
internal sealed class TlsEchoServer : IAsyncDisposable
{
    private readonly NetLoop _loop;
    private readonly TcpListener _listener;
    private readonly TlsServerOptions _options;
    private readonly bool _closeAfterFirstEcho;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Exception> _failures = [];

    public TlsEchoServer(NetStack stack, ushort port, TlsServerOptions options, bool closeAfterFirstEcho = false)
    {
        _options = options;
        _closeAfterFirstEcho = closeAfterFirstEcho;
        _loop = stack.Loop;
        _listener = new TcpListener(stack.Tcp, port);
        stack.Loop.InvokeAsync(() =>
        {
            _listener.Start();
            return Task.CompletedTask;
        }).Wait();
        _accepting = AcceptAsync(_stop.Token);
    }

    /// <summary>The protocol of the last handshake that succeeded.</summary>
    public SslProtocols LastProtocol { get; private set; }

    /// <summary>The host name the last client asked for by SNI.</summary>
    public string? LastServerName { get; private set; }

    public IReadOnlyList<Exception> Failures
    {
        get
        {
            lock (_failures)
                return [.. _failures];
        }
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                TcpConnection connection = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
                _ = EchoAsync(connection, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task EchoAsync(TcpConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using TlsStream tls = await TlsConnection.AuthenticateAsServerAsync(connection, _options, cancellationToken: cancellationToken).ConfigureAwait(false);
            LastProtocol = tls.Protocol;
            LastServerName = tls.TargetHostName;
            byte[] buffer = new byte[16384];
            int n;
            while ((n = await tls.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await tls.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                if (_closeAfterFirstEcho)
                {
                    await tls.ShutdownAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (_failures)
                _failures.Add(e);
            connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _accepting.ConfigureAwait(false);
        await _loop.InvokeAsync(() =>
        {
            _listener.Dispose();
            return Task.CompletedTask;
        }).ConfigureAwait(false);
        _stop.Dispose();
    }
}
