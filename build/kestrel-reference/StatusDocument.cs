using System.Buffers;
using System.Text.Json;

namespace Seqs.KestrelReference;

/// <summary>
/// The device's /api/status document (Seqs.Device StatusSite): the same fields in the same order, formatted per
/// request with a <see cref="Utf8JsonWriter"/> as the device does. Kestrel serves on many threads, so each request
/// gets its own writer and buffer, as an ordinary minimal API would.
/// </summary>
internal sealed class StatusDocument
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

    private readonly long _started = Environment.TickCount64;
    private long _requests;

    public Task WriteAsync(HttpResponse response)
    {
        long requests = Interlocked.Increment(ref _requests);
        var json = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteNumber(s_uptime, (Environment.TickCount64 - _started) / 1000);
            writer.WriteString(s_mac, "02:53:45:51:0a:02");
            writer.WriteString(s_address, "10.213.99.2");
            writer.WriteNumber("prefixLength"u8, 24);
            writer.WriteNull(s_gateway);
            writer.WriteStartArray(s_dns);
            writer.WriteEndArray();
            writer.WriteBoolean(s_link, true);
            writer.WriteStartObject(s_counters);
            writer.WriteNumber(s_framesReceived, requests * 2);
            writer.WriteNumber(s_framesTransmitted, requests * 2);
            writer.WriteNumber(s_malformed, 0);
            writer.WriteNumber(s_tcpConnections, 16);
            writer.WriteNumber(s_tcpSegmentsReceived, requests * 2);
            writer.WriteNumber(s_udpDatagramsReceived, 0);
            writer.WriteNumber(s_icmpEchoReplies, 0);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        response.ContentType = "application/json";
        response.ContentLength = json.WrittenCount;
        return response.Body.WriteAsync(json.WrittenMemory).AsTask();
    }
}
