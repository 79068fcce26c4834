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
    private readonly long _started = Environment.TickCount64;
    private long _requests;

    public Task WriteAsync(HttpResponse response)
    {
        long requests = Interlocked.Increment(ref _requests);
        var json = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteNumber("uptimeSeconds"u8, (Environment.TickCount64 - _started) / 1000);
            writer.WriteString("mac"u8, "02:53:45:51:0a:02");
            writer.WriteString("address"u8, "10.213.99.2");
            writer.WriteNumber("prefixLength"u8, 24);
            writer.WriteNull("gateway"u8);
            writer.WriteStartArray("dnsServers"u8);
            writer.WriteEndArray();
            writer.WriteBoolean("linkUp"u8, true);
            writer.WriteStartObject("counters"u8);
            writer.WriteNumber("framesReceived"u8, requests * 2);
            writer.WriteNumber("framesTransmitted"u8, requests * 2);
            writer.WriteNumber("malformed"u8, 0);
            writer.WriteNumber("tcpConnections"u8, 16);
            writer.WriteNumber("tcpSegmentsReceived"u8, requests * 2);
            writer.WriteNumber("udpDatagramsReceived"u8, 0);
            writer.WriteNumber("icmpEchoRepliesSent"u8, 0);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        response.ContentType = "application/json";
        response.ContentLength = json.WrittenCount;
        return response.Body.WriteAsync(json.WrittenMemory).AsTask();
    }
}
