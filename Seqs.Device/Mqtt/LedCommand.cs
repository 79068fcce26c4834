using System.Buffers;
using System.Text;

namespace Seqs.Device.Mqtt;

/// <summary>What a message to <c>PREFIX/led/set</c> asks of the LED (Home Assistant's MQTT switch sends ON and OFF).</summary>
internal enum LedCommand
{
    On,
    Off,
    Toggle,
}

internal static class LedCommands
{
    /// <summary>The longest payload worth reading: TOGGLE with a line end.</summary>
    private const int MaxPayloadLength = 8;

    /// <summary>ON, OFF or TOGGLE in any case, with surrounding white space; false for anything else.</summary>
    public static bool TryParse(ReadOnlySequence<byte> payload, out LedCommand command)
    {
        command = default;
        if (payload.Length > MaxPayloadLength)
            return false;
        Span<byte> bytes = stackalloc byte[MaxPayloadLength];
        payload.CopyTo(bytes);
        string text = Encoding.ASCII.GetString(bytes[..(int)payload.Length]).Trim();
        if (text.Equals("ON", StringComparison.OrdinalIgnoreCase))
            command = LedCommand.On;
        else if (text.Equals("OFF", StringComparison.OrdinalIgnoreCase))
            command = LedCommand.Off;
        else if (text.Equals("TOGGLE", StringComparison.OrdinalIgnoreCase))
            command = LedCommand.Toggle;
        else
            return false;
        return true;
    }

    /// <summary>The LED's state as <c>PREFIX/led/state</c> carries it, the payloads Home Assistant's switch expects.</summary>
    public static string StatePayload(bool on) => on ? "ON" : "OFF";
}
