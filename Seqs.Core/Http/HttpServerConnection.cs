using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Seqs.Scheduling;
using Seqs.Tcp;

namespace Seqs.Http;

/// <summary>
/// Serves the requests of one TCP connection in turn (keep-alive and pipelining, RFC 9112 §9.3): reads into one
/// buffer, parses each head in place, routes, runs the handler and ends its response before the next request.
/// The object, its request and response, and its head arrays are reused for later connections; the read buffer
/// comes from <see cref="ArrayPool{T}"/> for the life of a connection.
/// </summary>
internal sealed partial class HttpServerConnection
{
    private static readonly byte[] s_continue = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();
    private static readonly byte[] s_requestTimeout = "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray();

    private readonly HttpServerOptions _options;
    private readonly HttpRequestHead _head;
    private readonly NetTimer _timer;
    private TcpConnection? _tcp;
    // What requests are read from and responses written to: the connection itself, or a stream over it (TLS).
    private Stream? _stream;
    private byte[] _buffer = [];
    // Unparsed bytes are _buffer[_start.._end); the head being served is _buffer[_headStart.._headStart + _headLength).
    private int _start;
    private int _end;
    private int _headStart;
    private int _headLength;
    private bool _headValid;
    private HttpTimerPurpose _timerPurpose;
    private bool _timedOut;
    private volatile bool _stopping;
    private bool _keepAlive;
    private HttpBodyState _bodyState;
    private long _bodyRemaining;
    private long _bodyReceived;
    private bool _continueSent;

    public HttpServerConnection(HttpServer server, HttpServerOptions options)
    {
        Server = server;
        _options = options;
        _head = new HttpRequestHead(options.MaxRequestHeaderCount);
        Request = new HttpRequest(this, _head);
        Response = new HttpResponse(this, options.ResponseBufferSize);
        _timer = server.Stack.Loop.CreateTimer(OnTimer);
    }

    public HttpServer Server { get; }

    public HttpRequest Request { get; }

    public HttpResponse Response { get; }

    public bool IsHeadRequest => _headValid && _head.Method == HttpRequestMethod.Head;

    public ReadOnlySpan<byte> HeadBytes => _headValid ? _buffer.AsSpan(_headStart, _headLength) : default;

    public IPEndPoint RemoteEndPoint => Tcp.RemoteEndPoint;

    /// <summary>Holds a chunk-size line while a chunk is written.</summary>
    public byte[] ChunkPrefixBuffer { get; } = new byte[16];

    private TcpConnection Tcp => _tcp ?? throw new InvalidOperationException("The connection has ended.");

    private Stream Transport => _stream ?? throw new InvalidOperationException("The connection has ended.");

    private NetLoop Loop => Server.Stack.Loop;

    /// <summary>Serves requests until the client closes, a request says close, a timeout, or the server stops.</summary>
#if NET8_0_OR_GREATER
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
#endif
    public async ValueTask RunAsync(TcpConnection tcp, Stream stream, CancellationToken stopping)
    {
        _tcp = tcp;
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(_options.RequestBufferSize, _options.MaxRequestHeadersSize));
        _start = _end = 0;
        _timedOut = false;
        _stopping = false;
        using CancellationTokenRegistration stop = stopping.Register(static s => ((HttpServerConnection)s!).OnStopping(), this);
        try
        {
            // A new connection has as long to send its first head as a request has from its first byte.
            HttpTimerPurpose waiting = HttpTimerPurpose.RequestHeaders;
            while (!_stopping)
            {
                _headValid = false;
                HttpHeadScan scan = default;
                Schedule(_start < _end ? HttpTimerPurpose.RequestHeaders : waiting);
                HttpParseStatus status;
                int consumed;
                HttpRequestRejection rejection;
                while (true)
                {
                    status = HttpRequestParser.TryParseHead(_buffer.AsSpan(_start, _end - _start), _head, _options, ref scan, out consumed, out rejection);
                    if (status != HttpParseStatus.NeedMoreData)
                        break;
                    if (_end == _buffer.Length && !MakeRoom(_options.MaxRequestHeadersSize))
                    {
                        status = HttpParseStatus.Rejected;
                        rejection = HttpRequestRejection.HeadersTooLarge;
                        break;
                    }
                    int n = await Transport.ReadAsync(_buffer.AsMemory(_end)).ConfigureAwait(true);
                    if (n == 0)
                        return;
                    _end += n;
                    if (_timerPurpose == HttpTimerPurpose.KeepAliveIdle)
                        Schedule(HttpTimerPurpose.RequestHeaders);
                }
                CancelTimer();
                if (status == HttpParseStatus.Rejected)
                {
                    Server.Counters.Rejected++;
                    Response.SetError(HttpStatusCodes.ForRejection(rejection));
                    await Response.CompleteAsync().ConfigureAwait(true);
                    await LingerAsync().ConfigureAwait(false);
                    return;
                }
                _headStart = _start;
                _headLength = consumed;
                _headValid = true;
                _start += consumed;
                BeginBody();
                Response.Reset();
                Server.Counters.Requests++;

                HttpRoute? route = Server.Router.Match(_head.Method, Request.Path, _head.Path.Start, Request.RouteValues, out int allowed);
                Request.Route = route;
                if (route is null)
                {
                    RespondWithoutRoute(allowed);
                }
                else
                {
                    try
                    {
                        await route.Handler(Request, Response, stopping).ConfigureAwait(true);
                    }
                    catch (HttpRequestBodyException e)
                    {
                        Server.Counters.Rejected++;
                        if (e.IsTimeout || Response.HasStarted)
                            return;
                        Response.SetError(e.StatusCode);
                    }
                    catch (IOException)
                    {
                        return;
                    }
                    catch (InvalidOperationException) when (_timedOut || _stopping)
                    {
                        return;
                    }
                    catch (OperationCanceledException) when (_stopping)
                    {
                        return;
                    }
                    catch (Exception e)
                    {
                        if (!OnHandlerFailed(e))
                            return;
                    }
                }
                try
                {
                    await Response.CompleteAsync().ConfigureAwait(true);
                }
                catch (InvalidOperationException e)
                {
                    OnHandlerFailed(e);
                    return;
                }
                if (!_keepAlive)
                {
                    if (Response.Framing != HttpResponseFraming.CloseDelimited)
                        await LingerAsync().ConfigureAwait(false);
                    return;
                }
                if (_bodyState != HttpBodyState.Done)
                {
                    while (await ReadBodyAsync(Server.DiscardBuffer, default).ConfigureAwait(true) > 0)
                    {
                    }
                }
                waiting = HttpTimerPurpose.KeepAliveIdle;
            }
        }
        catch (IOException)
        {
            // The client reset the connection, or went away mid-response.
        }
        catch (InvalidOperationException) when (_timedOut || _stopping)
        {
        }
        finally
        {
            CancelTimer();
            _headValid = false;
            Response.ReturnBuffers();
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _tcp = null;
            _stream = null;
        }
    }

    /// <summary>
    /// RFC 9112 §9.6, the lingering close after a response that said "close": half-close first (a FIN right after
    /// the response), then read until the client closes too, or for a moment at most. Closing at once would risk a
    /// reset that destroys the response in the client's buffers. Closing first puts TIME-WAIT on this side, where it
    /// is kept compactly and a new SYN on the same port reopens it at once (RFC 6191), instead of on the client,
    /// whose ephemeral ports a TIME-WAIT each would tie up for a minute under a connection-per-request load.
    /// </summary>
#if NET8_0_OR_GREATER
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
#endif
    private async ValueTask LingerAsync()
    {
        Tcp.ShutdownSend();
        Schedule(HttpTimerPurpose.Linger);
        while (await Transport.ReadAsync(Server.DiscardBuffer).ConfigureAwait(true) > 0)
        {
        }
        CancelTimer();
    }

    /// <summary>
    /// Decides when a response's head is written whether the connection persists after it, and remembers it.
    /// </summary>
    public bool DecideKeepAlive(HttpResponse response)
    {
        _keepAlive = _headValid && _head.KeepAlive && !response.CloseConnection && !_stopping
            && response.Framing != HttpResponseFraming.CloseDelimited && CanDrainBody();
        return _keepAlive;
    }

    public byte[] RentHeadBuffer(int size) => ArrayPool<byte>.Shared.Rent(size);

    /// <summary>Writes a response head and returns its rented buffer when TCP has taken it.</summary>
    public ValueTask WriteHeadAsync(byte[] head, int length)
    {
        ValueTask write = WriteAsync(head.AsMemory(0, length), default);
        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            ArrayPool<byte>.Shared.Return(head);
            return default;
        }
        return AwaitAndReturn(write, head);

        static async ValueTask AwaitAndReturn(ValueTask write, byte[] head)
        {
            try
            {
                await write.ConfigureAwait(true);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(head);
            }
        }
    }

    /// <summary>
    /// Writes to the client. A write that has to wait for the client to take data (its window closed, or it stopped
    /// reading) waits <see cref="HttpServerOptions.ResponseWriteTimeout"/> at most; then the connection is reset, so a
    /// client that never reads cannot hold a connection and its buffers.
    /// </summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        ValueTask write = Transport.WriteAsync(bytes, cancellationToken);
        return write.IsCompleted ? write : AwaitWriteAsync(write);
    }

#if NET8_0_OR_GREATER
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
#endif
    private async ValueTask AwaitWriteAsync(ValueTask write)
    {
        Schedule(HttpTimerPurpose.ResponseWrite);
        try
        {
            await write.ConfigureAwait(true);
        }
        finally
        {
            if (_timerPurpose == HttpTimerPurpose.ResponseWrite)
                CancelTimer();
        }
    }

    private void RespondWithoutRoute(int allowed)
    {
        if (allowed == 0)
        {
            Server.Counters.NotFound++;
            Response.StatusCode = 404;
            return;
        }
        // RFC 9110 §15.5.6: a 405 response MUST carry an Allow field with the target's methods.
        Server.Counters.MethodNotAllowed++;
        Response.StatusCode = 405;
        Span<byte> allow = stackalloc byte[64];
        int length = HttpRouter.FormatAllow(allowed, allow);
        Response.AddHeader("Allow"u8, allow[..length]);
    }

    /// <summary>Logs a handler's exception; answers 500 when the response has not started (true), else resets (false).</summary>
    private bool OnHandlerFailed(Exception exception)
    {
        Server.Counters.HandlerFailures++;
        Server.LogHandlerFailure(Request, exception);
        if (Response.HasStarted)
        {
            Tcp.Abort();
            return false;
        }
        Response.SetError(500);
        return true;
    }

    private void BeginBody()
    {
        _bodyReceived = 0;
        _continueSent = false;
        if (_head.IsChunked)
        {
            _bodyState = HttpBodyState.ChunkSize;
        }
        else if (_head.ContentLength > 0)
        {
            _bodyState = HttpBodyState.ContentLength;
            _bodyRemaining = _head.ContentLength;
        }
        else
        {
            _bodyState = HttpBodyState.Done;
        }
    }

    /// <summary>
    /// Whether unread content can be read and discarded after the response, so that the connection persists.
    /// RFC 9110 §10.1.1: a client that expects 100-continue and got a final response may never send its content.
    /// </summary>
    private bool CanDrainBody() => _bodyState switch
    {
        HttpBodyState.Done => true,
        HttpBodyState.Failed => false,
        _ when _head.ExpectContinue && !_continueSent => false,
        HttpBodyState.ContentLength => _bodyRemaining <= _options.MaxDrainSize,
        _ => false,
    };

    /// <summary>Frees space at the end of the buffer: compacts unread bytes (keeping a head in use), else grows up to <paramref name="limit"/>.</summary>
    private bool MakeRoom(int limit)
    {
        int keep = _headValid ? _headStart + _headLength : 0;
        if (_start > keep)
        {
            int unread = _end - _start;
            _buffer.AsSpan(_start, unread).CopyTo(_buffer.AsSpan(keep));
            _start = keep;
            _end = keep + unread;
            if (_end < _buffer.Length)
                return true;
        }
        if (_buffer.Length >= limit)
            return false;
        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(limit, _buffer.Length * 2));
        _buffer.AsSpan(0, _end).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
        return true;
    }

    private void Schedule(HttpTimerPurpose purpose)
    {
        _timerPurpose = purpose;
        TimeSpan timeout = purpose switch
        {
            HttpTimerPurpose.KeepAliveIdle => _options.KeepAliveTimeout,
            HttpTimerPurpose.RequestHeaders => _options.RequestHeadersTimeout,
            HttpTimerPurpose.Linger => _options.CloseLingerTimeout,
            HttpTimerPurpose.ResponseWrite => _options.ResponseWriteTimeout,
            _ => _options.BodyReadTimeout,
        };
        _timer.Schedule(Loop.Now + timeout);
    }

    private void CancelTimer()
    {
        _timerPurpose = HttpTimerPurpose.None;
        _timer.Cancel();
    }

    private void OnTimer()
    {
        if (_tcp is null || _stream is null || _timerPurpose == HttpTimerPurpose.None)
            return;
        _timedOut = true;
        if (_timerPurpose == HttpTimerPurpose.Linger)
        {
            // The client did not close; close from this side.
        }
        else if (_timerPurpose == HttpTimerPurpose.ResponseWrite)
        {
            // A graceful close would leave the unsent response queued behind the closed window: reset instead.
            Server.Counters.WriteTimeouts++;
            _timerPurpose = HttpTimerPurpose.None;
            _tcp.Abort();
            return;
        }
        else if (_timerPurpose == HttpTimerPurpose.KeepAliveIdle || (_timerPurpose == HttpTimerPurpose.RequestHeaders && _start == _end))
        {
            // RFC 9112 §9.5: a server MAY close an idle connection at any time; nothing was asked, so nothing is answered.
            Server.Counters.IdleTimeouts++;
        }
        else if (!Response.HasStarted)
        {
            // RFC 9110 §15.5.9: 408, the server would not wait any longer for the request.
            Server.Counters.RequestTimeouts++;
            ValueTask write = _stream.WriteAsync(s_requestTimeout);
            if (!write.IsCompleted)
                _ = write.AsTask();
        }
        _timerPurpose = HttpTimerPurpose.None;
        _tcp.Disconnect();
    }

    private void OnStopping()
    {
        _stopping = true;
        _tcp?.Disconnect();
    }
}
