using System.Text.Json;

namespace Seqs.Device.Mqtt;

/// <summary>
/// Home Assistant MQTT discovery: retained documents at <c>homeassistant/COMPONENT/NODE/OBJECT/config</c> that make
/// the device appear with no configuration: the LED as a switch (command and state topics, ON and OFF), and the
/// uptime and main counters as sensors read from the status document with a value template. Each carries a
/// <c>unique_id</c>, the device block (identifiers and MAC, which group the entities into one device) and the
/// availability topic, whose last will marks them unavailable when the device drops off.
/// </summary>
internal static class HomeAssistantDiscovery
{
    /// <summary>Home Assistant's default discovery prefix.</summary>
    public const string Prefix = "homeassistant";

    /// <summary>The device's sensors: object id, name, field of the status document, unit, device class, state class.</summary>
    private static readonly (string Id, string Name, string Field, string? Unit, string? DeviceClass, string StateClass)[] Sensors =
    [
        ("uptime", "Uptime", "uptimeSeconds", "s", "duration", "total_increasing"),
        ("bytes_received", "Bytes received", "counters.bytesReceived", "B", "data_size", "total_increasing"),
        ("bytes_transmitted", "Bytes transmitted", "counters.bytesTransmitted", "B", "data_size", "total_increasing"),
        ("frames_received", "Frames received", "counters.framesReceived", null, null, "total_increasing"),
        ("frames_transmitted", "Frames transmitted", "counters.framesTransmitted", null, null, "total_increasing"),
        ("tcp_connections", "TCP connections", "counters.tcpConnections", null, null, "measurement"),
        ("http_requests", "HTTP requests", "counters.httpRequests", null, null, "total_increasing"),
    ];

    /// <summary>
    /// Home Assistant's node and object ids may hold only letters, digits, _ and -: <paramref name="clientId"/> with
    /// anything else made _.
    /// </summary>
    public static string NodeId(string clientId) =>
        string.Create(clientId.Length, clientId, static (span, id) =>
        {
            for (int i = 0; i < id.Length; i++)
                span[i] = char.IsAsciiLetterOrDigit(id[i]) || id[i] is '_' or '-' ? id[i] : '_';
        });

    /// <summary>The discovery documents, topic and JSON, of a device named <paramref name="name"/> whose node id is <paramref name="nodeId"/>.</summary>
    public static IReadOnlyList<(string Topic, byte[] Json)> Documents(string nodeId, string name, string mac, string model, MqttTopics topics)
    {
        var documents = new List<(string, byte[])>
        {
            ($"{Prefix}/switch/{nodeId}/led/config", Write(writer =>
            {
                writer.WriteString("name", "LED");
                writer.WriteString("unique_id", $"{nodeId}_led");
                writer.WriteString("command_topic", topics.LedSet);
                writer.WriteString("state_topic", topics.LedState);
                writer.WriteString("payload_on", LedCommands.StatePayload(true));
                writer.WriteString("payload_off", LedCommands.StatePayload(false));
                writer.WriteNumber("qos", 1);
                WriteCommon(writer, nodeId, name, mac, model, topics);
            })),
        };
        foreach (var sensor in Sensors)
        {
            documents.Add(($"{Prefix}/sensor/{nodeId}/{sensor.Id}/config", Write(writer =>
            {
                writer.WriteString("name", sensor.Name);
                writer.WriteString("unique_id", $"{nodeId}_{sensor.Id}");
                writer.WriteString("state_topic", topics.Status);
                writer.WriteString("value_template", $"{{{{ value_json.{sensor.Field} }}}}");
                if (sensor.Unit is string unit)
                    writer.WriteString("unit_of_measurement", unit);
                if (sensor.DeviceClass is string deviceClass)
                    writer.WriteString("device_class", deviceClass);
                writer.WriteString("state_class", sensor.StateClass);
                writer.WriteString("entity_category", "diagnostic");
                WriteCommon(writer, nodeId, name, mac, model, topics);
            })));
        }
        return documents;
    }

    private static void WriteCommon(Utf8JsonWriter writer, string nodeId, string name, string mac, string model, MqttTopics topics)
    {
        writer.WriteString("availability_topic", topics.Availability);
        writer.WriteString("payload_available", MqttTopics.Online);
        writer.WriteString("payload_not_available", MqttTopics.Offline);
        writer.WriteStartObject("device");
        writer.WriteStartArray("identifiers");
        writer.WriteStringValue(nodeId);
        writer.WriteEndArray();
        writer.WriteStartArray("connections");
        writer.WriteStartArray();
        writer.WriteStringValue("mac");
        writer.WriteStringValue(mac);
        writer.WriteEndArray();
        writer.WriteEndArray();
        writer.WriteString("name", name);
        writer.WriteString("manufacturer", "Seqs");
        writer.WriteString("model", model);
        writer.WriteString("sw_version", typeof(HomeAssistantDiscovery).Assembly.GetName().Version?.ToString(3));
        writer.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
