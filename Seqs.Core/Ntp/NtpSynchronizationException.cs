using Seqs.Wire;

namespace Seqs.Ntp;

/// <summary>A poll gave no usable time: no acceptable reply, or the server sent a Kiss-o'-Death (<see cref="KissCode"/>).</summary>
public sealed class NtpSynchronizationException : Exception
{
    public NtpSynchronizationException()
    {
    }

    public NtpSynchronizationException(string message)
        : base(message)
    {
    }

    public NtpSynchronizationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public NtpSynchronizationException(string message, NtpKissCode? kissCode)
        : base(message) => KissCode = kissCode;

    /// <summary>The kiss code when the server refused service (RFC 5905 §7.4), else null.</summary>
    public NtpKissCode? KissCode { get; }
}
