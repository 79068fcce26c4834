namespace Seqs.Http;

/// <summary>What a connection's one timer is timing.</summary>
internal enum HttpTimerPurpose
{
    None,
    /// <summary>A persistent connection waiting for its next request.</summary>
    KeepAliveIdle,
    /// <summary>From the first byte of a request (or the connection's start) to the end of its head.</summary>
    RequestHeaders,
    /// <summary>One read of request content.</summary>
    BodyRead,
    /// <summary>After a response that said "close", waiting for the client to close first.</summary>
    Linger,
    /// <summary>A write waiting for the client to take data.</summary>
    ResponseWrite,
}
