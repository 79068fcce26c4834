using System.Text;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Http;

/// <summary>
/// An HTTP/1.1 client (a "user agent", RFC 9110 §3.5) on the stack, for device-to-cloud calls and tests: GET and
/// POST, responses with Content-Length, chunked or close-delimited content, persistent connections reused per
/// server, redirects off unless asked for, and one timeout over the whole exchange. Safe from any thread; the
/// work runs on the stack's loop.
/// </summary>
public sealed class HttpUserAgent : IDisposable
{
    private readonly NetStack _stack;
    private readonly HttpUserAgentOptions _options;
    private readonly Dictionary<Ipv4EndPoint, Stack<TcpConnection>> _idle = [];
    private bool _disposed;

    public HttpUserAgent(NetStack stack, HttpUserAgentOptions? options = null)
    {
        _stack = stack ?? throw new ArgumentNullException(nameof(stack));
        _options = options ?? new HttpUserAgentOptions();
        _options.Validate();
    }

    /// <summary>Connections opened so far (a reused one is not counted again).</summary>
    public long ConnectionsOpened { get; private set; }

    public Task<HttpUserAgentResponse> GetAsync(Ipv4EndPoint server, string target, CancellationToken cancellationToken = default) =>
        SendAsync(HttpRequestMethod.Get, server, target, default, null, cancellationToken);

    public Task<HttpUserAgentResponse> PostAsync(Ipv4EndPoint server, string target, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default) =>
        SendAsync(HttpRequestMethod.Post, server, target, content, contentType, cancellationToken);

    /// <summary>
    /// Sends one request to <paramref name="server"/> (Host is its address) and reads the whole response. Fails with
    /// <see cref="TimeoutException"/> past <see cref="HttpUserAgentOptions.Timeout"/>, <see cref="IOException"/>
    /// when the connection fails or the response is malformed.
    /// </summary>
    public Task<HttpUserAgentResponse> SendAsync(HttpRequestMethod method, Ipv4EndPoint server, string target, ReadOnlyMemory<byte> content,
        string? contentType, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(target) || target[0] != '/')
            throw new ArgumentException("The target is an absolute path, with an optional query (RFC 9112 §3.2.1).", nameof(target));
        if (_disposed)
            throw new ObjectDisposedException(nameof(HttpUserAgent));
        return _stack.Loop.InvokeAsync(() => SendOnLoopAsync(method, server, target, content, contentType, cancellationToken));
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _stack.Loop.Post(static s =>
        {
            var agent = (HttpUserAgent)s!;
            foreach (Stack<TcpConnection> idle in agent._idle.Values)
            {
                while (idle.Count > 0)
                    idle.Pop().Dispose();
            }
            agent._idle.Clear();
        }, this);
    }

    private async Task<HttpUserAgentResponse> SendOnLoopAsync(HttpRequestMethod method, Ipv4EndPoint server, string target, ReadOnlyMemory<byte> content,
        string? contentType, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bool timedOut = false;
        var timer = _stack.Loop.CreateTimer(() =>
        {
            timedOut = true;
            timeout.Cancel();
        });
        timer.Schedule(_stack.Loop.Now + _options.Timeout);
        try
        {
            for (int redirects = 0; ; redirects++)
            {
                HttpUserAgentResponse response = await ExchangeAsync(method, server, target, content, contentType, timeout.Token).ConfigureAwait(true);
                if (!_options.FollowRedirects || redirects >= _options.MaxRedirects || response.StatusCode is not (301 or 302 or 303 or 307 or 308)
                    || response.GetHeader("Location") is not string location || !TryResolve(location, server, out server, out target))
                    return response;
                // RFC 9110 §15.4.4: after 303 the redirected request is a GET; §15.4.2/§15.4.3 allow the same for a POST after 301/302.
                if (response.StatusCode == 303 || (method == HttpRequestMethod.Post && response.StatusCode is 301 or 302))
                {
                    method = HttpRequestMethod.Get;
                    content = default;
                    contentType = null;
                }
            }
        }
        catch (OperationCanceledException) when (timedOut && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The HTTP exchange with {server} did not finish within {_options.Timeout}.");
        }
        finally
        {
            timer.Cancel();
        }
    }

    private async Task<HttpUserAgentResponse> ExchangeAsync(HttpRequestMethod method, Ipv4EndPoint server, string target, ReadOnlyMemory<byte> content,
        string? contentType, CancellationToken cancellationToken)
    {
        byte[] head = FormatHead(method, server, target, content.Length, contentType);
        while (true)
        {
            (TcpConnection connection, bool reused) = await ConnectAsync(server, cancellationToken).ConfigureAwait(true);
            var reader = new HttpResponseReader(connection, _options);
            try
            {
                await connection.WriteAsync(head, cancellationToken).ConfigureAwait(true);
                if (!content.IsEmpty)
                    await connection.WriteAsync(content, cancellationToken).ConfigureAwait(true);
                HttpUserAgentResponse response = await reader.ReadAsync(method == HttpRequestMethod.Head, cancellationToken).ConfigureAwait(true);
                if (reader.KeepAlive && Idle(server).Count < _options.MaxIdleConnectionsPerServer)
                    Idle(server).Push(connection);
                else
                    connection.Dispose();
                return response;
            }
            catch (IOException) when (reused && !reader.ReceivedAny && IsIdempotent(method))
            {
                // RFC 9112 §9.3.1: the server may have closed the idle connection just as this request went out; an
                // idempotent request is retried once on a new connection.
                connection.Dispose();
            }
            catch
            {
                connection.Abort();
                throw;
            }
        }
    }

    private async Task<(TcpConnection, bool Reused)> ConnectAsync(Ipv4EndPoint server, CancellationToken cancellationToken)
    {
        Stack<TcpConnection> idle = Idle(server);
        while (idle.Count > 0)
        {
            TcpConnection candidate = idle.Pop();
            // A connection the server has closed (or half-closed) meanwhile is not reused.
            if (candidate.State == TcpState.Established)
                return (candidate, true);
            candidate.Dispose();
        }
        ConnectionsOpened++;
        TcpConnection connection = await _stack.Tcp.ConnectAsync(server, _options.TcpOptions, cancellationToken).ConfigureAwait(true);
        // Requests are written whole: Nagle would only delay a body written after its header.
        connection.NoDelay = true;
        return (connection, false);
    }

    private Stack<TcpConnection> Idle(Ipv4EndPoint server)
    {
        if (!_idle.TryGetValue(server, out Stack<TcpConnection>? idle))
            _idle[server] = idle = new Stack<TcpConnection>();
        return idle;
    }

    private byte[] FormatHead(HttpRequestMethod method, Ipv4EndPoint server, string target, int contentLength, string? contentType)
    {
        var head = new StringBuilder();
        head.Append(Encoding.ASCII.GetString(HttpRouter.MethodName(method))).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        // RFC 9112 §3.2: a client MUST send Host in every HTTP/1.1 request.
        head.Append("Host: ").Append(server.Port == 80 ? server.Address.ToString() : server.ToString()).Append("\r\n");
        if (_options.UserAgent is not null)
            head.Append("User-Agent: ").Append(_options.UserAgent).Append("\r\n");
        if (contentType is not null)
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        // RFC 9110 §8.6: a POST without content still says Content-Length: 0.
        if (contentLength > 0 || method is HttpRequestMethod.Post or HttpRequestMethod.Put or HttpRequestMethod.Patch)
            head.Append("Content-Length: ").Append(contentLength).Append("\r\n");
        head.Append("\r\n");
        string text = head.ToString();
        foreach (char c in text)
        {
            if (c is '\0' or > (char)0x7E && c != '\t')
                throw new ArgumentException("Request fields and target are visible ASCII (RFC 9112 §3, RFC 9110 §5.5).");
        }
        return Encoding.ASCII.GetBytes(text);
    }

    private static bool IsIdempotent(HttpRequestMethod method) =>
        method is HttpRequestMethod.Get or HttpRequestMethod.Head or HttpRequestMethod.Put or HttpRequestMethod.Delete or HttpRequestMethod.Options or HttpRequestMethod.Trace;

    /// <summary>A Location that is an absolute path, or an http URI whose host is an IPv4 address.</summary>
    private static bool TryResolve(string location, Ipv4EndPoint current, out Ipv4EndPoint server, out string target)
    {
        server = current;
        target = location;
        if (location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal))
            return true;
        if (!Uri.TryCreate(location, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp || !Ipv4Address.TryParse(uri.Host, out Ipv4Address address))
            return false;
        server = new Ipv4EndPoint(address, (ushort)uri.Port);
        target = uri.PathAndQuery;
        return true;
    }
}
