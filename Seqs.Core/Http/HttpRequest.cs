using System.Net;
using System.Text;
using Seqs.Diagnostics;

namespace Seqs.Http;

/// <summary>
/// The request being served on a connection: method, target and fields as spans over the connection's buffer (no
/// strings are made), route values, and the content as a stream of reads. Valid until the handler's task
/// completes; the connection then reuses it for its next request.
/// </summary>
public sealed class HttpRequest
{
    private readonly HttpServerConnection _connection;
    private readonly TextRange[] _routeValues = new TextRange[HttpRouter.MaxRouteParameters];
    private HttpRoute? _route;

    internal HttpRequest(HttpServerConnection connection, HttpRequestHead head)
    {
        _connection = connection;
        Head = head;
    }

    internal HttpRequestHead Head { get; }

    internal Span<TextRange> RouteValues => _routeValues;

    internal HttpRoute? Route
    {
        get => _route;
        set => _route = value;
    }

    public HttpRequestMethod Method => Head.Method;

    /// <summary>The request-target as sent (RFC 9112 §3.2), percent-encoding intact.</summary>
    public ReadOnlySpan<byte> Target => Head.Target.Of(HeadBytes);

    /// <summary>The absolute path of the target (from the absolute-form too), percent-encoding intact; "/" when empty.</summary>
    public ReadOnlySpan<byte> Path => Head.Path.Length == 0 ? "/"u8 : Head.Path.Of(HeadBytes);

    /// <summary>The query after '?', without it; empty when there is none.</summary>
    public ReadOnlySpan<byte> Query => Head.Query.Of(HeadBytes);

    /// <summary>0 for HTTP/1.0, 1 for HTTP/1.1 (and later 1.x, handled as 1.1).</summary>
    public int MinorVersion => Head.MinorVersion;

    public int HeaderCount => Head.HeaderCount;

    /// <summary>The Content-Length, or null when there is none (no content, or chunked).</summary>
    public long? ContentLength => Head.ContentLength >= 0 ? Head.ContentLength : null;

    public bool IsChunked => Head.IsChunked;

    /// <summary>True when the request has content to read (a non-zero Content-Length, or chunked).</summary>
    public bool HasBody => Head.IsChunked || Head.ContentLength > 0;

    /// <summary>The route's pattern, for logs.</summary>
    public string? RoutePattern => _route?.Pattern;

    public IPEndPoint RemoteEndPoint => _connection.RemoteEndPoint;

    private ReadOnlySpan<byte> HeadBytes => _connection.HeadBytes;

    public ReadOnlySpan<byte> GetHeaderName(int index) => Head.Names[CheckIndex(index)].Of(HeadBytes);

    public ReadOnlySpan<byte> GetHeaderValue(int index) => Head.Values[CheckIndex(index)].Of(HeadBytes);

    /// <summary>The first field named <paramref name="name"/> (ASCII case-insensitive, RFC 9110 §5.1); false when absent.</summary>
    public bool TryGetHeader(scoped ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        ReadOnlySpan<byte> bytes = HeadBytes;
        for (int i = 0; i < Head.HeaderCount; i++)
        {
            if (HttpRequestParser.EqualsIgnoreCaseAscii(Head.Names[i].Of(bytes), name))
            {
                value = Head.Values[i].Of(bytes);
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <inheritdoc cref="TryGetHeader(ReadOnlySpan{byte}, out ReadOnlySpan{byte})"/>
    public bool TryGetHeader(string name, out ReadOnlySpan<byte> value)
    {
        value = default;
        // Field names are tokens: ASCII, and short enough for the stack; anything else names no field.
        if (name is null || name.Length > 256)
            return false;
        Span<byte> ascii = stackalloc byte[name.Length];
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] > 0x7F)
                return false;
            ascii[i] = (byte)name[i];
        }
        return TryGetHeader(ascii, out value);
    }

    /// <summary>The value of the route parameter <c>{name}</c>, still percent-encoded; empty when the route has no such parameter.</summary>
    public ReadOnlySpan<byte> GetRouteValue(string name)
    {
        if (_route is null)
            return default;
        int index = Array.IndexOf(_route.ParameterNames, name);
        return index < 0 ? default : _routeValues[index].Of(HeadBytes);
    }

    /// <summary>
    /// Reads content into <paramref name="buffer"/>, chunked coding removed; 0 at its end. The first read of a
    /// request that expects 100-continue sends the 100 (Continue) response (RFC 9110 §10.1.1). Throws
    /// <see cref="HttpRequestBodyException"/> when the content is malformed, too large or too slow.
    /// </summary>
    public ValueTask<int> ReadBodyAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _connection.ReadBodyAsync(buffer, cancellationToken);

    /// <summary>Reads all the content (up to the server's body limit) into a new array; a convenience that allocates.</summary>
    public async ValueTask<byte[]> ReadBodyToArrayAsync(CancellationToken cancellationToken = default)
    {
        using var content = new MemoryStream();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = await ReadBodyAsync(chunk, cancellationToken).ConfigureAwait(true)) > 0)
            content.Write(chunk, 0, n);
        return content.ToArray();
    }

    public override string ToString() =>
        $"{Encoding.ASCII.GetString(HttpRouter.MethodName(Method))} {PeerText.Escape(Target)} HTTP/1.{MinorVersion}";

    private int CheckIndex(int index)
    {
        if ((uint)index >= (uint)Head.HeaderCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The request has {Head.HeaderCount} header fields.");
        return index;
    }
}
