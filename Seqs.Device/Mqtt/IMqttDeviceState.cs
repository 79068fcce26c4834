namespace Seqs.Device.Mqtt;

/// <summary>The device as its MQTT client reads and changes it.</summary>
internal interface IMqttDeviceState
{
    /// <summary>The status as published now.</summary>
    Task<DeviceSnapshot> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Carries out <paramref name="command"/>; returns whether the LED is now on.</summary>
    Task<bool> SwitchLedAsync(LedCommand command, CancellationToken cancellationToken);
}

/// <summary>A reading of the device.</summary>
/// <param name="StatusJson">The <c>/api/status</c> document.</param>
/// <param name="ChangeKey">
/// What of the status is state rather than a running figure (the address, the link, the LED, the clock's
/// synchronisation): the status is published at once when this changes, and otherwise every interval.
/// </param>
/// <param name="LedOn">Whether the LED is on.</param>
internal readonly record struct DeviceSnapshot(byte[] StatusJson, string ChangeKey, bool LedOn);
