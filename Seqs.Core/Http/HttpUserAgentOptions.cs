using Seqs.Tcp;

namespace Seqs.Http;

/// <summary>Tunables of an <see cref="HttpUserAgent"/>.</summary>
public sealed class HttpUserAgentOptions
{
    /// <summary>The whole exchange (connect, send, receive every byte) must end within this, or it fails with <see cref="TimeoutException"/>.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Off by default: a 3xx response is returned as it is. When on, up to <see cref="MaxRedirects"/> are followed.</summary>
    public bool FollowRedirects { get; set; }

    public int MaxRedirects { get; set; } = 5;

    /// <summary>Largest response head accepted, in bytes.</summary>
    public int MaxResponseHeadersSize { get; set; } = 16 * 1024;

    /// <summary>Largest response content accepted, in bytes.</summary>
    public int MaxResponseBodySize { get; set; } = 1 << 20;

    /// <summary>Idle persistent connections kept per server for reuse.</summary>
    public int MaxIdleConnectionsPerServer { get; set; } = 2;

    /// <summary>The User-Agent field value (RFC 9110 §10.1.5); null sends none.</summary>
    public string? UserAgent { get; set; } = "Seqs";

    public TcpConnectionOptions? TcpOptions { get; set; }

    internal void Validate()
    {
        if (Timeout <= TimeSpan.Zero || MaxRedirects < 0 || MaxResponseHeadersSize < 64 || MaxResponseBodySize < 0 || MaxIdleConnectionsPerServer < 0)
            throw new ArgumentException("HttpUserAgentOptions: Timeout must be positive, MaxResponseHeadersSize at least 64, the others zero or more.");
    }
}
