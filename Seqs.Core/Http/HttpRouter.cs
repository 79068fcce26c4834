namespace Seqs.Http;

/// <summary>
/// Maps method and path patterns to handlers, in the manner of ASP.NET's minimal API: <c>MapGet("/items/{id}", …)</c>.
/// Routes are tried in the order they were mapped. A path that matches only routes of other methods is answered
/// with 405 and an Allow field (RFC 9110 §15.5.6); HEAD is served by the GET route when there is no HEAD route
/// (RFC 9110 §9.3.2). Map routes before the server starts.
/// </summary>
public sealed class HttpRouter
{
    public const int MaxRouteParameters = 8;

    private readonly List<HttpRoute> _routes = [];

    public HttpRouter Map(HttpRequestMethod method, string pattern, HttpRequestHandler handler)
    {
        _routes.Add(new HttpRoute(method, pattern, handler));
        return this;
    }

    public HttpRouter MapGet(string pattern, HttpRequestHandler handler) => Map(HttpRequestMethod.Get, pattern, handler);

    public HttpRouter MapPost(string pattern, HttpRequestHandler handler) => Map(HttpRequestMethod.Post, pattern, handler);

    public HttpRouter MapPut(string pattern, HttpRequestHandler handler) => Map(HttpRequestMethod.Put, pattern, handler);

    public HttpRouter MapDelete(string pattern, HttpRequestHandler handler) => Map(HttpRequestMethod.Delete, pattern, handler);

    public HttpRouter MapPatch(string pattern, HttpRequestHandler handler) => Map(HttpRequestMethod.Patch, pattern, handler);

    /// <summary>
    /// The route for <paramref name="method"/> and <paramref name="path"/>, or null; then <paramref name="allowed"/>
    /// has a bit (1 &lt;&lt; method) for each method that the path does have, zero for an unknown path.
    /// </summary>
    internal HttpRoute? Match(HttpRequestMethod method, ReadOnlySpan<byte> path, int pathOffset, Span<TextRange> values, out int allowed)
    {
        allowed = 0;
        HttpRoute? getForHead = null;
        foreach (HttpRoute route in _routes)
        {
            if (!route.TryMatch(path, pathOffset, values))
                continue;
            if (route.Method == method)
                return route;
            allowed |= 1 << (int)route.Method;
            if (route.Method == HttpRequestMethod.Get)
            {
                allowed |= 1 << (int)HttpRequestMethod.Head;
                getForHead ??= route;
            }
        }
        if (method == HttpRequestMethod.Head && getForHead is not null)
        {
            getForHead.TryMatch(path, pathOffset, values);
            return getForHead;
        }
        return null;
    }

    /// <summary>The Allow field value (RFC 9110 §10.2.1) for a set of method bits; needs up to 64 bytes.</summary>
    internal static int FormatAllow(int allowed, Span<byte> destination)
    {
        int length = 0;
        for (int m = 0; m <= (int)HttpRequestMethod.Patch; m++)
        {
            if ((allowed & (1 << m)) == 0)
                continue;
            if (length > 0)
            {
                ", "u8.CopyTo(destination[length..]);
                length += 2;
            }
            ReadOnlySpan<byte> name = MethodName((HttpRequestMethod)m);
            name.CopyTo(destination[length..]);
            length += name.Length;
        }
        return length;
    }

    internal static ReadOnlySpan<byte> MethodName(HttpRequestMethod method) => method switch
    {
        HttpRequestMethod.Get => "GET"u8,
        HttpRequestMethod.Head => "HEAD"u8,
        HttpRequestMethod.Post => "POST"u8,
        HttpRequestMethod.Put => "PUT"u8,
        HttpRequestMethod.Delete => "DELETE"u8,
        HttpRequestMethod.Options => "OPTIONS"u8,
        HttpRequestMethod.Trace => "TRACE"u8,
        _ => "PATCH"u8,
    };
}
