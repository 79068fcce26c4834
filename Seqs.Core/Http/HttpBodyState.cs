namespace Seqs.Http;

/// <summary>Where the request content decoder stands (RFC 9112 §6 and §7.1).</summary>
internal enum HttpBodyState
{
    /// <summary>No content, or all of it read.</summary>
    Done,
    ContentLength,
    ChunkSize,
    ChunkData,
    /// <summary>The CRLF after chunk-data.</summary>
    ChunkDataEnd,
    Trailers,
    /// <summary>The content was malformed, too large or cut off: the connection cannot be reused.</summary>
    Failed,
}
