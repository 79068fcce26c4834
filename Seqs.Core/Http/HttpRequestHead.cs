namespace Seqs.Http;

/// <summary>
/// What <see cref="HttpRequestParser"/> found in one request head, as offsets into the buffer it parsed: one per
/// connection, reused for every request, so parsing allocates nothing.
/// </summary>
internal sealed class HttpRequestHead
{
    /// <summary>
    /// Field slots a head starts with: curl and wrk send 3 fields, browsers 8 to 15. A request with more grows the
    /// slots (doubling, up to the limit) once for the life of this object, which the server reuses.
    /// </summary>
    public const int InitialFieldCapacity = 16;

    private readonly int _maxHeaderCount;

    public HttpRequestHead(int maxHeaderCount)
    {
        _maxHeaderCount = maxHeaderCount;
        Names = new TextRange[Math.Min(InitialFieldCapacity, maxHeaderCount)];
        Values = new TextRange[Names.Length];
    }

    public HttpRequestMethod Method { get; set; }

    public TextRange Target { get; set; }

    public TextRange Path { get; set; }

    public TextRange Query { get; set; }

    /// <summary>The minor version of HTTP/1.x; a minor version above 1 is handled as 1 (RFC 9110 §2.5).</summary>
    public int MinorVersion { get; set; }

    public TextRange[] Names { get; private set; }

    public TextRange[] Values { get; private set; }

    public int HeaderCount { get; set; }

    /// <summary>The head holds <see cref="HttpServerOptions.MaxRequestHeaderCount"/> fields: one more is answered with 431.</summary>
    public bool IsFull => HeaderCount == _maxHeaderCount;

    /// <summary>The Content-Length, or -1 when the request has none.</summary>
    public long ContentLength { get; set; }

    public bool IsChunked { get; set; }

    /// <summary>RFC 9112 §9.3: the connection persists after this request.</summary>
    public bool KeepAlive { get; set; }

    /// <summary>RFC 9110 §10.1.1: an HTTP/1.1 client waits for 100 (Continue) before it sends the content.</summary>
    public bool ExpectContinue { get; set; }

    /// <summary>Stores one more field; the caller checked <see cref="IsFull"/>.</summary>
    public void AddField(TextRange name, TextRange value)
    {
        if (HeaderCount == Names.Length)
        {
            int capacity = Math.Min(Names.Length * 2, _maxHeaderCount);
            TextRange[] names = Names;
            TextRange[] values = Values;
            Array.Resize(ref names, capacity);
            Array.Resize(ref values, capacity);
            Names = names;
            Values = values;
        }
        Names[HeaderCount] = name;
        Values[HeaderCount] = value;
        HeaderCount++;
    }

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
