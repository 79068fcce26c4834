namespace Seqs.Http;

/// <summary>
/// What <see cref="HttpRequestParser"/> found in one request head, as offsets into the buffer it parsed: one per
/// connection, reused for every request, so parsing allocates nothing.
/// </summary>
internal sealed class HttpRequestHead
{
    public HttpRequestHead(int maxHeaderCount)
    {
        Names = new TextRange[maxHeaderCount];
        Values = new TextRange[maxHeaderCount];
    }

    public HttpRequestMethod Method { get; set; }

    public TextRange Target { get; set; }

    public TextRange Path { get; set; }

    public TextRange Query { get; set; }

    /// <summary>The minor version of HTTP/1.x; a minor version above 1 is handled as 1 (RFC 9110 §2.5).</summary>
    public int MinorVersion { get; set; }

    public TextRange[] Names { get; }

    public TextRange[] Values { get; }

    public int HeaderCount { get; set; }

    /// <summary>The Content-Length, or -1 when the request has none.</summary>
    public long ContentLength { get; set; }

    public bool IsChunked { get; set; }

    /// <summary>RFC 9112 §9.3: the connection persists after this request.</summary>
    public bool KeepAlive { get; set; }

    /// <summary>RFC 9110 §10.1.1: an HTTP/1.1 client waits for 100 (Continue) before it sends the content.</summary>
    public bool ExpectContinue { get; set; }

    public void Reset()
    {
        HeaderCount = 0;
        ContentLength = -1;
        IsChunked = false;
        KeepAlive = false;
        ExpectContinue = false;
        MinorVersion = 1;
        Target = Path = Query = default;
    }
}
