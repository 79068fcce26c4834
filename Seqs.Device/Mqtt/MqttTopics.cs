namespace Seqs.Device.Mqtt;

/// <summary>The device's topics under its prefix (<c>--mqtt-topic</c>).</summary>
internal sealed class MqttTopics(string prefix)
{
    /// <summary>The <c>/api/status</c> document, retained.</summary>
    public string Status { get; } = prefix + "/status";

    /// <summary><c>online</c> while connected, <c>offline</c> (retained, and the last will) otherwise.</summary>
    public string Availability { get; } = prefix + "/availability";

    /// <summary>Commands for the LED: ON, OFF, TOGGLE.</summary>
    public string LedSet { get; } = prefix + "/led/set";

    /// <summary>The LED's state, ON or OFF, retained.</summary>
    public string LedState { get; } = prefix + "/led/state";

    public const string Online = "online", Offline = "offline";
}
