namespace Seqs.Device;

/// <summary>The device could not start; the message is one line that says what to fix.</summary>
public sealed class DeviceStartException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>True for what opening a device file, a port, a bus or a pin throws when it cannot be opened.</summary>
    internal static bool IsOpenFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or PlatformNotSupportedException or NotSupportedException or InvalidOperationException or ArgumentException;

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
