namespace Seqs.Device;

/// <summary>The device could not start; the message is one line that says what to fix.</summary>
public sealed class DeviceStartException(string message, Exception? innerException = null) : Exception(message, innerException);
