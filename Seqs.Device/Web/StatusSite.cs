using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Seqs.Diagnostics;
using Seqs.Http;

namespace Seqs.Device.Web;

/// <summary>
/// The device's web interface on the HTTP server: <c>/</c>, the status page; <c>/api/status</c> and
/// <c>/api/stats</c>, JSON; <c>/api/traffic.svg</c>, the page's traffic chart; <c>POST /api/led?on=true|false</c> (no value toggles), which needs the
/// <see cref="AccessToken"/> as <c>Authorization: Bearer TOKEN</c> (RFC 6750 §2.1). So do the status endpoints with
/// <c>--public-status false</c>. A missing or wrong token gets 401, and an address that keeps presenting wrong ones 429.
/// Every route answers only to the device's own Host (<see cref="DeviceOrigin"/>, else 421), and the LED refuses a
/// request from another site's page (403), token or not.
/// JSON is written by generated code through one reused <see cref="Utf8JsonWriter"/> into one reused buffer,
/// so a warm request allocates nothing.
/// </summary>
internal sealed partial class StatusSite
{
    public const string PagePath = "/", StatusPath = "/api/status", StatsPath = "/api/stats", LedPath = "/api/led", TrafficChartPath = "/api/traffic.svg";

    private readonly DeviceStatusCollector _collector;
    private readonly ILed _led;
    private readonly AccessToken _token;
    private readonly DeviceOrigin _origin;
    private readonly bool _publicStatus;
    private readonly ILogger _log;
    private readonly FailedAccessLimiter _limiter = new();
    private LogGate _refusedLog;
    private LogGate _ledLog = new(LogGate.InformationLinesPerMinute);
    private readonly ArrayBufferWriter<byte> _json = new(8 * 1024);
    private readonly Utf8JsonWriter _writer;
    private readonly ArrayBufferWriter<byte> _chart = new(8 * 1024);

    public StatusSite(HttpRouter router, DeviceStatusCollector collector, ILed led, AccessToken token, DeviceOrigin origin, bool publicStatus, ILogger log)
    {
        _collector = collector;
        _led = led;
        _token = token;
        _origin = origin;
        _publicStatus = publicStatus;
        _log = log;
        _writer = new Utf8JsonWriter(_json);
        router
            .MapGet(PagePath, ServePageAsync)
            .MapGet(StatusPath, ServeStatusAsync)
            .MapGet(StatsPath, ServeStatsAsync)
            .MapGet(TrafficChartPath, ServeTrafficChartAsync)
            .MapPost(LedPath, SwitchLedAsync);
    }

    private ValueTask ServePageAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!_origin.Admits(request, response))
            return default;
        response.ContentType = "text/html; charset=utf-8";
        response.Write(StatusPage.Head);
        if (_publicStatus)
            response.Write(WriteTrafficChart());
        response.Write(StatusPage.Middle);
        if (_publicStatus)
            response.Write(WriteJson(_collector.RefreshStatus(), DeviceJsonContext.Default.DeviceStatus));
        else
            response.Write("null"u8);
        response.Write(StatusPage.Tail);
        return default;
    }

    private ValueTask ServeStatusAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        if (_origin.Admits(request, response) && (_publicStatus || IsAuthorized(request, response)))
            WriteJsonResponse(response, WriteJson(_collector.RefreshStatus(), DeviceJsonContext.Default.DeviceStatus));
        return default;
    }

    private ValueTask ServeStatsAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        if (_origin.Admits(request, response) && (_publicStatus || IsAuthorized(request, response)))
            WriteJsonResponse(response, WriteJson(_collector.RefreshStats(), DeviceJsonContext.Default.DeviceStats));
        return default;
    }

    private ValueTask ServeTrafficChartAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        if (_origin.Admits(request, response) && (_publicStatus || IsAuthorized(request, response)))
        {
            response.ContentType = "image/svg+xml";
            response.Write(WriteTrafficChart());
        }
        return default;
    }

    private ValueTask SwitchLedAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!_origin.Admits(request, response) || !IsFromThisOrigin(request, response) || !IsAuthorized(request, response))
            return default;
        bool on = !_led.IsOn;
        if (TryGetQueryValue(request.Query, "on"u8, out ReadOnlySpan<byte> value) && !Utf8Parser.TryParse(value, out on, out _))
        {
            response.StatusCode = 400;
            response.ContentType = "text/plain; charset=utf-8";
            response.Write("on is true or false, or absent to toggle\n"u8);
            return default;
        }
        _led.Switch(on);
        if (_ledLog.TryEnter(_collector.Now, out int suppressed))
            Log.LedSwitched(_log, on ? "on" : "off", request.RemoteEndPoint.Address.ToString(), LogGate.Note(suppressed));
        WriteJsonResponse(response, on ? "{\"ledOn\":true}"u8 : "{\"ledOn\":false}"u8);
        return default;
    }

    /// <summary>Refuses a state change sent by another site's page; on false the response is already a 403.</summary>
    private static bool IsFromThisOrigin(HttpRequest request, HttpResponse response)
    {
        if (!DeviceOrigin.IsCrossOrigin(request))
            return true;
        // RFC 9110 §15.5.4: 403, understood but refused.
        response.StatusCode = 403;
        response.ContentType = "text/plain; charset=utf-8";
        response.Write("changes are taken from this device's own pages only, not from another site's\n"u8);
        return false;
    }

    /// <summary>Checks the bearer token; on false the response is already a 401 or a 429.</summary>
    private bool IsAuthorized(HttpRequest request, HttpResponse response)
    {
        // A request without Authorization is no guess: any page a visitor opens can make the browser send those
        // (no-cors), so counting them would let it lock the owner out. Only a presented token counts as a failure.
        if (!request.TryGetHeader("Authorization"u8, out ReadOnlySpan<byte> authorization))
        {
            Challenge(response);
            return false;
        }
        IPAddress client = request.RemoteEndPoint.Address;
        TimeSpan now = _collector.Now;
        if (_limiter.IsLimited(client, now, out TimeSpan retryAfter))
        {
            response.StatusCode = 429;
            // RFC 9110 §10.2.3: Retry-After in whole seconds.
            response.AddHeader("Retry-After", ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
            response.ContentType = "text/plain; charset=utf-8";
            response.Write("too many wrong access tokens from this address; wait and try again\n"u8);
            return false;
        }
        // RFC 6750 §2.1: Authorization: Bearer b64token.
        if (authorization.StartsWith("Bearer "u8) && _token.Matches(authorization["Bearer ".Length..].Trim((byte)' ')))
            return true;
        _limiter.RecordFailure(client, now);
        if (_refusedLog.TryEnter(now, out int suppressed))
            Log.Refused(_log, client.ToString(), LogGate.Note(suppressed));
        Challenge(response);
        return false;
    }

    private static void Challenge(HttpResponse response)
    {
        response.StatusCode = 401;
        // RFC 6750 §3: the challenge names the scheme.
        response.AddHeader("WWW-Authenticate"u8, "Bearer realm=\"seqs-device\""u8);
        response.ContentType = "text/plain; charset=utf-8";
        response.Write("this needs the access token: Authorization: Bearer TOKEN\n"u8);
    }

    private ReadOnlySpan<byte> WriteJson<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        _json.Clear();
        _writer.Reset(_json);
        JsonSerializer.Serialize(_writer, value, type);
        _writer.Flush();
        return _json.WrittenSpan;
    }

    private ReadOnlySpan<byte> WriteTrafficChart()
    {
        _chart.Clear();
        TrafficChart.Write(_collector.Traffic, _chart);
        return _chart.WrittenSpan;
    }

    private static void WriteJsonResponse(HttpResponse response, ReadOnlySpan<byte> json)
    {
        response.ContentType = "application/json";
        response.Write(json);
    }

    /// <summary>The value of <paramref name="name"/> in a query such as <c>on=true&amp;x=1</c>, without decoding.</summary>
    private static bool TryGetQueryValue(ReadOnlySpan<byte> query, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        while (!query.IsEmpty)
        {
            int end = query.IndexOf((byte)'&');
            ReadOnlySpan<byte> pair = end < 0 ? query : query[..end];
            query = end < 0 ? default : query[(end + 1)..];
            if (pair.StartsWith(name) && pair.Length > name.Length && pair[name.Length] == '=')
            {
                value = pair[(name.Length + 1)..];
                return true;
            }
        }
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "LED {State} (asked by {Client}){Suppressed}")]
        public static partial void LedSwitched(ILogger logger, string state, string client, string suppressed);

        [LoggerMessage(2, LogLevel.Warning, "Refused a wrong access token from {Client}{Suppressed}")]
        public static partial void Refused(ILogger logger, string client, string suppressed);
    }
}
