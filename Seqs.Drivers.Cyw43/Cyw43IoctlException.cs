using Seqs.Drivers.Cyw43.Register.Sdpcm;

namespace Seqs.Drivers.Cyw43;

/// <summary>The firmware answered an ioctl with a non-zero status, or did not answer in time.</summary>
public sealed class Cyw43IoctlException : IOException
{
    public Cyw43IoctlException(Ioctl ioctl, string? variable, int status, string message)
        : base($"CYW43439 ioctl {ioctl}{(variable is null ? "" : $" \"{variable}\"")}: {message}")
    {
        Ioctl = ioctl;
        Variable = variable;
        Status = status;
    }

    public Ioctl Ioctl { get; }

    /// <summary>The iovar name for GET_VAR and SET_VAR; null otherwise.</summary>
    public string? Variable { get; }

    /// <summary>The firmware's status; 0 when the ioctl timed out.</summary>
    public int Status { get; }
}
