using System.Globalization;
using System.Text;
using Seqs.Http;

namespace Seqs.Device.Web;

/// <summary>
/// The plain-HTTP side of the web interface when HTTPS is on: each page answers 308 to the same target on HTTPS
/// (RFC 9110 §15.4.9: the method and content are kept), and the endpoints that take the access token answer 403
/// instead, since a token sent over plain HTTP has already been exposed and a redirect would invite sending it again.
/// </summary>
internal sealed class HttpsRedirectSite
{
    private static readonly byte[] s_needsHttps = "this endpoint takes the access token and is served over HTTPS only; use https://\n"u8.ToArray();

    private readonly int _httpsPort;
    private readonly DeviceOrigin _origin;

    public HttpsRedirectSite(HttpRouter router, int httpsPort, DeviceOrigin origin, bool publicStatus)
    {
        _httpsPort = httpsPort;
        _origin = origin;
        HttpRequestHandler status = publicStatus ? RedirectAsync : RefuseAsync;
        router
            .MapGet(StatusSite.PagePath, RedirectAsync)
            .MapGet(StatusSite.StatusPath, status)
            .MapGet(StatusSite.StatsPath, status)
            .MapPost(StatusSite.LedPath, RefuseAsync);
    }

    private ValueTask RedirectAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        // RFC 9110 §7.2: Host names the authority the client asked for; its port is the plain one, which is replaced.
        // Only to the device's own names: a redirect must not carry a rebound name (see DeviceOrigin) on to HTTPS.
        if (!_origin.Admits(request, response))
            return default;
        request.TryGetHeader("Host"u8, out ReadOnlySpan<byte> host);
        int colon = host.LastIndexOf((byte)':');
        string name = Encoding.ASCII.GetString(colon < 0 ? host : host[..colon]);
        string port = _httpsPort == 443 ? "" : ":" + _httpsPort.ToString(CultureInfo.InvariantCulture);
        response.StatusCode = 308;
        response.AddHeader("Location", $"https://{name}{port}{Encoding.ASCII.GetString(request.Target)}");
        return default;
    }

    private ValueTask RefuseAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        // RFC 9110 §15.5.4: 403, the server understood the request but refuses to fulfil it (here: not over plain HTTP).
        response.StatusCode = 403;
        response.ContentType = "text/plain; charset=utf-8";
        response.Write(s_needsHttps);
        return default;
    }
}
