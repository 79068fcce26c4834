using System.Text.Json.Serialization;

namespace Seqs.Device.Web;

/// <summary>The device's JSON, generated at build time: no reflection, and writers that allocate nothing.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(DeviceStatus))]
[JsonSerializable(typeof(DeviceStats))]
internal sealed partial class DeviceJsonContext : JsonSerializerContext;
