using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Diagnostics;
using Seqs.Services;
using Seqs.Stack;
using Seqs.Tcp;

namespace Seqs.Http;

/// <summary>
/// An HTTP/1.1 origin server (RFC 9110, RFC 9112) on the stack's loop: persistent connections with pipelining,
/// Content-Length and chunked content both ways, HEAD, 100-continue, limits answered with 413, 414 and 431, and
/// 503 past <see cref="HttpServerOptions.MaxConnections"/>. Requests are parsed in place and routed by an
/// <see cref="HttpRouter"/>; serving a request allocates nothing once a connection is warm.
/// </summary>
public sealed partial class HttpServer : TcpServer
{
    private static readonly byte[] s_serviceUnavailable =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"u8.ToArray();

    private readonly HttpServerOptions _options;
    private readonly ILogger _logger;
    private readonly HttpDate _date = new();
    private readonly Stack<HttpServerConnection> _spareConnections = new();
    private LogGate _handlerFailedLog;
    private LogGate _connectionFailedLog;

    public HttpServer(NetStack stack, HttpRouter router, HttpServerOptions? options = null, ILogger<HttpServer>? logger = null)
        : base(stack, Validated(ref options).Port, options!.TcpOptions, options.Backlog)
    {
        Router = router ?? throw new ArgumentNullException(nameof(router));
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public HttpRouter Router { get; }

    public HttpServerCounters Counters { get; } = new();

    /// <summary>
    /// Set when the clock is synchronised (by NTP, say): responses then carry Date (RFC 9110 §6.6.1), which a server
    /// without a reasonable clock MUST NOT send. Time comes from the loop's <see cref="TimeProvider"/>.
    /// </summary>
    public bool IsClockSynchronized { get; set; }

    /// <summary>A scratch buffer for content that is read and thrown away; shared, since it is never read back.</summary>
    internal byte[] DiscardBuffer { get; } = new byte[2048];

    internal ReadOnlySpan<byte> FormatDate() => _date.Format(Stack.Loop.TimeProvider.GetUtcNow());

    internal void LogHandlerFailure(HttpRequest request, Exception exception)
    {
        if (_logger.IsEnabled(LogLevel.Error) && _handlerFailedLog.TryEnter(Stack.Loop.TimeProvider, out int suppressed))
            Log.HandlerFailed(_logger, request.ToString(), request.RoutePattern ?? "", LogGate.Note(suppressed), exception);
    }

#if NET8_0_OR_GREATER
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
#endif
    protected override async ValueTask HandleAsync(TcpConnection connection, CancellationToken cancellationToken)
    {
        if (Counters.ActiveConnections >= _options.MaxConnections)
        {
            await RefuseAsync(connection).ConfigureAwait(true);
            return;
        }
        Counters.ActiveConnections++;
        // A response is written whole, so Nagle would only hold its last segment back (Kestrel does the same).
        connection.NoDelay = true;
        HttpServerConnection served = _spareConnections.Count > 0 ? _spareConnections.Pop() : new HttpServerConnection(this, _options);
        Stream? stream = null;
        try
        {
            stream = _options.ConnectionStream is { } open ? await open(connection, cancellationToken).ConfigureAwait(true) : connection;
            await served.RunAsync(connection, stream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not IOException and not OperationCanceledException)
        {
            // A bug in the server, not the client's doing: logged and counted; the connection is reset, the server goes on.
            Counters.InternalErrors++;
            if (_connectionFailedLog.TryEnter(Stack.Loop.TimeProvider, out int suppressed))
                Log.ConnectionFailed(_logger, LogGate.Note(suppressed), e);
            connection.Abort();
        }
        finally
        {
            if (stream is not null && stream != connection)
                await stream.DisposeAsync().ConfigureAwait(true);
            Counters.ActiveConnections--;
            if (_spareConnections.Count < _options.MaxConnections)
                _spareConnections.Push(served);
        }
    }

    /// <summary>
    /// RFC 9110 §15.6.4: 503 while overloaded. The request is read and dropped for a moment after the answer, so that
    /// the client's request does not meet a closed connection and reset it before the 503 is read.
    /// </summary>
    private async Task RefuseAsync(TcpConnection connection)
    {
        Counters.ConnectionsRefused++;
        var deadline = Stack.Loop.CreateTimer(connection.Abort);
        deadline.Schedule(Stack.Loop.Now + TimeSpan.FromSeconds(2));
        try
        {
            await connection.WriteAsync(s_serviceUnavailable).ConfigureAwait(true);
            connection.ShutdownSend();
            while (await connection.ReadAsync(DiscardBuffer).ConfigureAwait(true) > 0)
            {
            }
        }
        catch (IOException)
        {
        }
        finally
        {
            deadline.Cancel();
        }
    }

    private static HttpServerOptions Validated(ref HttpServerOptions? options)
    {
        options ??= new HttpServerOptions();
        options.Validate();
        return options;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "HTTP handler for {Request} (route {Route}) threw; answered 500 or reset{Suppressed}")]
        public static partial void HandlerFailed(ILogger logger, string request, string route, string suppressed, Exception exception);

        [LoggerMessage(2, LogLevel.Critical, "HTTP connection failed inside the server; it was reset{Suppressed}")]
        public static partial void ConnectionFailed(ILogger logger, string suppressed, Exception exception);
    }
}
