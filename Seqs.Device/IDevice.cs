namespace Seqs.Device;

/// <summary>A device that has opened its network (a NIC, or the simulated LAN) and is ready to run on it.</summary>
internal interface IDevice : IDisposable
{
    /// <summary>The device's stack and what it serves on it.</summary>
    DeviceServices Services { get; }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, then stops gracefully: the DHCP lease
    /// released, connections closed, the capture flushed.
    /// </summary>
    Task RunAsync(CancellationToken cancellationToken);
}
