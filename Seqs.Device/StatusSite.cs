using System.Buffers;
using System.Text.Json;
using Seqs.Http;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device;

/// <summary>
/// The device's web pages on the HTTP server: <c>/</c>, a small HTML status page, and <c>/api/status</c>, the same
/// facts as JSON (uptime, addresses, link, counters). The JSON is written with one reused
/// <see cref="Utf8JsonWriter"/> into one reused buffer, so a warm request allocates nothing for it.
/// </summary>
internal sealed class StatusSite
{
    private static readonly JsonEncodedText s_uptime = JsonEncodedText.Encode("uptimeSeconds");
    private static readonly JsonEncodedText s_mac = JsonEncodedText.Encode("mac");
    private static readonly JsonEncodedText s_address = JsonEncodedText.Encode("address");
    private static readonly JsonEncodedText s_gateway = JsonEncodedText.Encode("gateway");
    private static readonly JsonEncodedText s_dns = JsonEncodedText.Encode("dnsServers");
    private static readonly JsonEncodedText s_link = JsonEncodedText.Encode("linkUp");
    private static readonly JsonEncodedText s_counters = JsonEncodedText.Encode("counters");
    private static readonly JsonEncodedText s_framesReceived = JsonEncodedText.Encode("framesReceived");
    private static readonly JsonEncodedText s_framesTransmitted = JsonEncodedText.Encode("framesTransmitted");
    private static readonly JsonEncodedText s_malformed = JsonEncodedText.Encode("malformed");
    private static readonly JsonEncodedText s_tcpConnections = JsonEncodedText.Encode("tcpConnections");
    private static readonly JsonEncodedText s_tcpSegmentsReceived = JsonEncodedText.Encode("tcpSegmentsReceived");
    private static readonly JsonEncodedText s_udpDatagramsReceived = JsonEncodedText.Encode("udpDatagramsReceived");
    private static readonly JsonEncodedText s_icmpEchoReplies = JsonEncodedText.Encode("icmpEchoRepliesSent");

    private static readonly JsonEncodedText s_time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText s_timeSynchronized = JsonEncodedText.Encode("timeSynchronized");

    private readonly NetStack _stack;
    private readonly NetworkTimeService? _time;
    private readonly TimeSpan _started;
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly Utf8JsonWriter _writer;

    public StatusSite(NetStack stack, NetworkTimeService? time)
    {
        _stack = stack;
        _time = time;
        _started = stack.Loop.Now;
        _writer = new Utf8JsonWriter(_json);
        Router = new HttpRouter()
            .MapGet("/", ServePageAsync)
            .MapGet("/api/status", ServeStatusAsync);
    }

    public HttpRouter Router { get; }

    private ValueTask ServeStatusAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        _json.Clear();
        _writer.Reset(_json);
        NetStackCounters c = _stack.Counters;
        _writer.WriteStartObject();
        _writer.WriteNumber(s_uptime, (long)(_stack.Loop.Now - _started).TotalSeconds);
        Span<char> text = stackalloc char[17];
        _stack.MacAddress.TryFormat(text, out int n);
        _writer.WriteString(s_mac, text[..n]);
        if (_stack.Address is Ipv4Cidr address)
        {
            address.Address.TryFormat(text, out n);
            _writer.WriteString(s_address, text[..n]);
            _writer.WriteNumber("prefixLength"u8, address.PrefixLength);
        }
        else
        {
            _writer.WriteNull(s_address);
        }
        if (_stack.Gateway.IsUnspecified)
        {
            _writer.WriteNull(s_gateway);
        }
        else
        {
            _stack.Gateway.TryFormat(text, out n);
            _writer.WriteString(s_gateway, text[..n]);
        }
        _writer.WriteStartArray(s_dns);
        foreach (Ipv4Address server in _stack.DnsServers)
        {
            server.TryFormat(text, out n);
            _writer.WriteStringValue(text[..n]);
        }
        _writer.WriteEndArray();
        _writer.WriteBoolean(s_link, _stack.IsLinkUp);
        _writer.WriteString(s_time, _time?.Now ?? _stack.Loop.TimeProvider.GetUtcNow());
        _writer.WriteBoolean(s_timeSynchronized, _time?.IsSynchronized ?? false);
        _writer.WriteStartObject(s_counters);
        _writer.WriteNumber(s_framesReceived, c.FramesReceived);
        _writer.WriteNumber(s_framesTransmitted, c.FramesTransmitted);
        _writer.WriteNumber(s_malformed, c.Malformed);
        _writer.WriteNumber(s_tcpConnections, _stack.TcpConnectionCount);
        _writer.WriteNumber(s_tcpSegmentsReceived, c.TcpSegmentsReceived);
        _writer.WriteNumber(s_udpDatagramsReceived, c.UdpDatagramsReceived);
        _writer.WriteNumber(s_icmpEchoReplies, c.IcmpEchoRepliesSent);
        _writer.WriteEndObject();
        _writer.WriteEndObject();
        _writer.Flush();
        response.ContentType = "application/json";
        response.Write(_json.WrittenSpan);
        return default;
    }

    private ValueTask ServePageAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        string address = _stack.Address?.ToString() ?? "none yet";
        response.ContentType = "text/html; charset=utf-8";
        response.Write($"""
            <!doctype html>
            <html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Seqs device</title></head>
            <body><h1>Seqs device</h1>
            <p>MAC {_stack.MacAddress}, address {address}, gateway {_stack.Gateway}, link {(_stack.IsLinkUp ? "up" : "down")},
            up {(long)(_stack.Loop.Now - _started).TotalSeconds} s.</p>
            <p>Frames in {_stack.Counters.FramesReceived}, out {_stack.Counters.FramesTransmitted}, malformed dropped {_stack.Counters.Malformed};
            {_stack.TcpConnectionCount} TCP connections. The same as JSON: <a href="/api/status">/api/status</a>.</p>
            </body></html>
            """);
        return default;
    }
}
