using Seqs.Tcp;

namespace Seqs.Http;

/// <summary>Limits and timeouts of an <see cref="HttpServer"/>. Requests past a limit get 414, 431 or 413.</summary>
public sealed class HttpServerOptions
{
    public const ushort DefaultPort = 80;

    public ushort Port { get; set; } = DefaultPort;

    /// <summary>Longest request-line in bytes, CRLF included; a longer one is answered with 414.</summary>
    public int MaxRequestLineLength { get; set; } = 4096;

    /// <summary>Largest request head (request-line, fields, the empty line) in bytes; a larger one is answered with 431.</summary>
    public int MaxRequestHeadersSize { get; set; } = 8192;

    /// <summary>Most header field lines in one request; more are answered with 431.</summary>
    public int MaxRequestHeaderCount { get; set; } = 64;

    /// <summary>Largest request content in bytes (after chunked decoding); more is answered with 413.</summary>
    public long MaxRequestBodySize { get; set; } = 1 << 20;

    /// <summary>Connections served at once; the next one is answered with 503 and closed.</summary>
    public int MaxConnections { get; set; } = 64;

    /// <summary>
    /// Bytes of the per-connection read buffer to start with; it grows (from <see cref="System.Buffers.ArrayPool{T}"/>) up
    /// to <see cref="MaxRequestHeadersSize"/> when a head does not fit (and starts no larger than that), and keeps its
    /// size for the rest of the connection. 1 KiB holds the heads of curl, wrk and ab (under 100 bytes) and of most
    /// browsers without large cookies, and keeps an idle keep-alive connection within 4 KiB (issue 6).
    /// </summary>
    public int RequestBufferSize { get; set; } = 1024;

    /// <summary>Response bytes buffered before the response starts streaming with chunked coding.</summary>
    public int ResponseBufferSize { get; set; } = 4096;

    /// <summary>
    /// From the first byte of a request to the end of its head: a client that sends a head more slowly (slowloris)
    /// gets 408 and is closed.
    /// </summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a persistent connection may wait for its next request before it is closed.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for more request content while a handler reads it.</summary>
    public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest wait of one response write for the client to take data (a client that keeps its window closed or stops
    /// reading); then the connection is reset.
    /// </summary>
    public TimeSpan ResponseWriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After a response that said "close", how long to wait for the client to close first (RFC 9112 §9.6).</summary>
    public TimeSpan CloseLingerTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Unread request content the server reads and discards after a response so that the connection can be reused.</summary>
    public int MaxDrainSize { get; set; } = 64 * 1024;

    /// <summary>Listen backlog of the underlying <see cref="TcpListener"/>.</summary>
    public int Backlog { get; set; } = 64;

    public TcpConnectionOptions? TcpOptions { get; set; }

    /// <summary>
    /// Makes the stream a connection's requests are read from and its responses written to, such as a TLS stream
    /// (Seqs.Tls); null (the default) serves the <see cref="TcpConnection"/> itself. Called on the loop for each
    /// connection; the stream it gives is disposed when the connection ends and must leave the connection open, as
    /// the server reuses it. An <see cref="IOException"/> it throws fails the connection quietly (a client that
    /// gave up on its handshake); anything else is counted as an internal error.
    /// </summary>
    public Func<TcpConnection, CancellationToken, ValueTask<Stream>>? ConnectionStream { get; set; }

    internal void Validate()
    {
        Require(MaxRequestLineLength is >= 16 and <= 1 << 20, nameof(MaxRequestLineLength), "16 B to 1 MiB");
        Require(MaxRequestHeadersSize >= MaxRequestLineLength && MaxRequestHeadersSize <= 1 << 20, nameof(MaxRequestHeadersSize), "at least MaxRequestLineLength, at most 1 MiB");
        Require(MaxRequestHeaderCount is >= 1 and <= 1024, nameof(MaxRequestHeaderCount), "1 to 1024");
        Require(MaxRequestBodySize >= 0, nameof(MaxRequestBodySize), "zero or more");
        Require(MaxConnections >= 1, nameof(MaxConnections), "at least 1");
        Require(RequestBufferSize is >= 256 and <= 1 << 20, nameof(RequestBufferSize), "256 B to 1 MiB");
        Require(ResponseBufferSize is >= 64 and <= 1 << 20, nameof(ResponseBufferSize), "64 B to 1 MiB");
        Require(RequestHeadersTimeout > TimeSpan.Zero, nameof(RequestHeadersTimeout), "positive");
        Require(KeepAliveTimeout > TimeSpan.Zero, nameof(KeepAliveTimeout), "positive");
        Require(BodyReadTimeout > TimeSpan.Zero, nameof(BodyReadTimeout), "positive");
        Require(ResponseWriteTimeout > TimeSpan.Zero, nameof(ResponseWriteTimeout), "positive");
        Require(CloseLingerTimeout >= TimeSpan.Zero, nameof(CloseLingerTimeout), "zero or more");
        Require(MaxDrainSize >= 0, nameof(MaxDrainSize), "zero or more");
        Require(Port != 0, nameof(Port), "1 to 65535");
    }

    private static void Require(bool condition, string name, string range)
    {
        if (!condition)
            throw new ArgumentException($"HttpServerOptions.{name} must be {range}.", name);
    }
}
