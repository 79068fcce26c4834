using Microsoft.Extensions.Logging;

namespace Seqs.Device;

/// <summary>Opens the device the options ask for: on a NIC, or on the simulated LAN.</summary>
internal static class DeviceFactory
{
    /// <exception cref="DeviceStartException">The network could not be opened; the message says what to fix.</exception>
    public static IDevice Open(DeviceOptions options, ILoggerFactory loggers) =>
        options.IsSimulated ? new SimulatedDevice(options, loggers) : NicDevice.Open(options, loggers);
}
