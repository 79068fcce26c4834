using System.Net;
using System.Text;
using Seqs.Http;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device.Web;

/// <summary>
/// The web interface's own origin. <see cref="Admits"/>: whether a Host field (RFC 9110 §7.2) names the device,
/// so that a name an attacker points at the device's address (DNS rebinding) cannot read its pages. Accepted are the
/// device's current address, its <c>--hostname</c> NAME and NAME.local, each with or without a port; with
/// <c>--forward</c> also <c>localhost</c> and any IP literal, since the host's listener may be reached at any of the
/// host's addresses, and an IP literal is never a rebound name. <see cref="IsCrossOrigin"/>: whether a request was
/// sent by a page of another origin.
/// </summary>
internal sealed class DeviceOrigin
{
    /// <summary>The longest IP literal in a Host field: a bracketed IPv6 address with an embedded IPv4 one.</summary>
    private const int MaxIpLiteralLength = 47;

    private readonly NetStack _stack;
    private readonly byte[]? _name, _localName;
    private readonly bool _forwarded;

    public DeviceOrigin(NetStack stack, string? hostName, bool forwarded)
    {
        _stack = stack;
        _forwarded = forwarded;
        if (hostName is not null)
        {
            _name = Encoding.ASCII.GetBytes(hostName);
            _localName = Encoding.ASCII.GetBytes(hostName + ".local");
        }
    }

    /// <summary>True when the request's Host names this device; on false the response is already a 421.</summary>
    public bool Admits(HttpRequest request, HttpResponse response)
    {
        if (request.TryGetHeader("Host"u8, out ReadOnlySpan<byte> host) && IsOwnHost(host))
            return true;
        // RFC 9110 §15.5.20: 421, the request was directed at a server that does not answer for that authority.
        response.StatusCode = 421;
        response.ContentType = "text/plain; charset=utf-8";
        response.Write("this device does not answer to that Host; use its address or its name\n"u8);
        return false;
    }

    /// <summary>True when <paramref name="host"/>, a Host field value, names this device.</summary>
    private bool IsOwnHost(ReadOnlySpan<byte> host)
    {
        if (!TrySplitPort(host, out ReadOnlySpan<byte> name) || name.IsEmpty)
            return false;
        if (_name is not null && (Ascii.EqualsIgnoreCase(name, _name) || Ascii.EqualsIgnoreCase(name, _localName)))
            return true;
        if (_forwarded && Ascii.EqualsIgnoreCase(name, "localhost"u8))
            return true;
        Span<char> text = stackalloc char[MaxIpLiteralLength];
        if (Ascii.ToUtf16(name, text, out int length) != System.Buffers.OperationStatus.Done)
            return false;
        if (Ipv4Address.TryParse(text[..length], out Ipv4Address address) && _stack.Address is { } own && own.Address == address)
            return true;
        return _forwarded && IsIpLiteral(text[..length]);
    }

    /// <summary>
    /// True when a page of another site sent <paramref name="request"/>: Fetch Metadata's <c>Sec-Fetch-Site: cross-site</c>,
    /// or an <c>Origin</c> (RFC 6454 §7) other than <c>http://</c> or <c>https://</c> and the request's own Host.
    /// A request with neither field (curl, a script) is not.
    /// </summary>
    public static bool IsCrossOrigin(HttpRequest request)
    {
        if (request.TryGetHeader("Sec-Fetch-Site"u8, out ReadOnlySpan<byte> site) && Ascii.EqualsIgnoreCase(site, "cross-site"u8))
            return true;
        if (!request.TryGetHeader("Origin"u8, out ReadOnlySpan<byte> origin))
            return false;
        request.TryGetHeader("Host"u8, out ReadOnlySpan<byte> host);
        int scheme = origin.IndexOf("://"u8);
        return scheme < 0
            || !(Ascii.EqualsIgnoreCase(origin[..scheme], "http"u8) || Ascii.EqualsIgnoreCase(origin[..scheme], "https"u8))
            || !Ascii.EqualsIgnoreCase(origin[(scheme + "://".Length)..], host);
    }

    /// <summary>RFC 3986 §3.2.2-3: host, then optionally ':' and a port; an IPv6 literal is in brackets.</summary>
    private static bool TrySplitPort(ReadOnlySpan<byte> authority, out ReadOnlySpan<byte> host)
    {
        int end = authority.StartsWith("["u8) ? authority.IndexOf((byte)']') + 1 : authority.IndexOf((byte)':');
        if (end == 0)
        {
            host = default;
            return false;
        }
        if (end < 0 || end == authority.Length)
        {
            host = authority;
            return true;
        }
        host = authority[..end];
        ReadOnlySpan<byte> port = authority[end..];
        return port.Length > 1 && port[0] == ':' && port[1..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
    }

    private static bool IsIpLiteral(ReadOnlySpan<char> host) =>
        host.StartsWith('[') && host.EndsWith(']') ? IPAddress.TryParse(host[1..^1], out _) : IPAddress.TryParse(host, out _);
}
