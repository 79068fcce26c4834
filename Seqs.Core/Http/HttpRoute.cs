using System.Text;

namespace Seqs.Http;

/// <summary>
/// One mapped pattern such as <c>/api/items/{id}</c>: literal segments compared byte for byte (paths are
/// case-sensitive, RFC 3986 §6.2.2.1) and <c>{name}</c> segments that match any non-empty segment.
/// </summary>
internal sealed class HttpRoute
{
    // A literal segment's bytes, or null where the pattern has a parameter.
    private readonly byte[]?[] _segments;

    public HttpRoute(HttpRequestMethod method, string pattern, HttpRequestHandler handler)
    {
        if (pattern is null || pattern.Length == 0 || pattern[0] != '/')
            throw new ArgumentException("A route pattern starts with '/'.", nameof(pattern));
        Method = method;
        Pattern = pattern;
        Handler = handler ?? throw new ArgumentNullException(nameof(handler));
        string[] parts = pattern[1..].Split('/');
        _segments = new byte[]?[parts.Length];
        var names = new List<string>();
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            if (part.Length >= 2 && part[0] == '{' && part[^1] == '}')
            {
                string name = part[1..^1];
                if (name.Length == 0 || names.Contains(name))
                    throw new ArgumentException($"Route parameter '{part}' in '{pattern}' is empty or repeated.", nameof(pattern));
                names.Add(name);
                continue;
            }
            if (part.Contains('{') || part.Contains('}') || part.Any(c => c is <= ' ' or >= (char)0x7F or '?'))
                throw new ArgumentException($"Route segment '{part}' in '{pattern}' is neither a literal path segment nor a whole {{parameter}}.", nameof(pattern));
            _segments[i] = Encoding.ASCII.GetBytes(part);
        }
        if (names.Count > HttpRouter.MaxRouteParameters)
            throw new ArgumentException($"A route has at most {HttpRouter.MaxRouteParameters} parameters.", nameof(pattern));
        ParameterNames = [.. names];
    }

    public HttpRequestMethod Method { get; }

    public string Pattern { get; }

    public HttpRequestHandler Handler { get; }

    public string[] ParameterNames { get; }

    /// <summary>Matches an absolute path; <paramref name="values"/> gets each parameter's place, offset by <paramref name="pathOffset"/>.</summary>
    public bool TryMatch(ReadOnlySpan<byte> path, int pathOffset, Span<TextRange> values)
    {
        if (path.IsEmpty || path[0] != (byte)'/')
            return false;
        int at = 1;
        int parameter = 0;
        for (int i = 0; i < _segments.Length; i++)
        {
            if (at > path.Length)
                return false;
            int slash = path[at..].IndexOf((byte)'/');
            int end = slash < 0 ? path.Length : at + slash;
            ReadOnlySpan<byte> segment = path[at..end];
            byte[]? literal = _segments[i];
            if (literal is null)
            {
                if (segment.IsEmpty)
                    return false;
                values[parameter++] = new TextRange(pathOffset + at, segment.Length);
            }
            else if (!segment.SequenceEqual(literal))
            {
                return false;
            }
            at = end + 1;
        }
        return at == path.Length + 1;
    }
}
