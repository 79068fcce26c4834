namespace Seqs.Http;

/// <summary>What an <see cref="HttpServer"/> has done, read on its loop.</summary>
public sealed class HttpServerCounters
{
    /// <summary>Requests whose head was parsed and routed (whatever the handler then did).</summary>
    public long Requests { get; internal set; }

    /// <summary>Requests refused by the parser or the body decoder (400, 413, 414, 417, 431, 501, 505).</summary>
    public long Rejected { get; internal set; }

    public long NotFound { get; internal set; }

    public long MethodNotAllowed { get; internal set; }

    /// <summary>Handlers that threw: 500 when the response had not started, a reset when it had.</summary>
    public long HandlerFailures { get; internal set; }

    /// <summary>Connections answered with 503 because <see cref="HttpServerOptions.MaxConnections"/> were being served.</summary>
    public long ConnectionsRefused { get; internal set; }

    /// <summary>Connections closed because a request head or content came too slowly (answered 408).</summary>
    public long RequestTimeouts { get; internal set; }

    /// <summary>Persistent connections closed after waiting idle for <see cref="HttpServerOptions.KeepAliveTimeout"/>.</summary>
    public long IdleTimeouts { get; internal set; }
    /// <summary>Connections reset because a response write waited <see cref="HttpServerOptions.ResponseWriteTimeout"/> for the client.</summary>
    public long WriteTimeouts { get; internal set; }

    /// <summary>Connections that failed inside the server (a bug): each was logged and reset. Zero is the only right value.</summary>
    public long InternalErrors { get; internal set; }

    public int ActiveConnections { get; internal set; }
}
