using System.Text;

namespace Seqs.Http;

/// <summary>A response received by <see cref="HttpUserAgent"/>: status, fields and the whole content (chunked coding removed).</summary>
public sealed class HttpUserAgentResponse
{
    internal HttpUserAgentResponse(int statusCode, int minorVersion, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
    {
        StatusCode = statusCode;
        MinorVersion = minorVersion;
        Headers = headers;
        Body = body;
    }

    public int StatusCode { get; }

    public int MinorVersion { get; }

    /// <summary>The header fields in the order received (trailer fields are not kept).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public byte[] Body { get; }

    public bool IsSuccessStatusCode => StatusCode is >= 200 and <= 299;

    /// <summary>The first field named <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? GetHeader(string name)
    {
        foreach (KeyValuePair<string, string> header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
                return header.Value;
        }
        return null;
    }

    public string BodyText => Encoding.UTF8.GetString(Body);

    public override string ToString() => $"HTTP/1.{MinorVersion} {StatusCode}, {Body.Length} bytes";
}
