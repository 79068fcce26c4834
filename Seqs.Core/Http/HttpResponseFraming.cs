namespace Seqs.Http;

/// <summary>How a response's content is delimited (RFC 9112 §6.3), fixed when its head is sent.</summary>
internal enum HttpResponseFraming
{
    NotStarted,
    /// <summary>1xx, 204 and 304, and every response to HEAD: no content follows the head.</summary>
    NoBody,
    ContentLength,
    Chunked,
    /// <summary>An HTTP/1.0 client and an unknown length: the content ends when the connection closes.</summary>
    CloseDelimited,
}
