namespace Seqs.Drivers.Cyw43;

/// <summary>The CYW43439 did not come up; <see cref="Step"/> says where it stopped.</summary>
public sealed class Cyw43BootException : IOException
{
    public Cyw43BootException(BootStep step, string message, Exception? innerException = null)
        : base($"CYW43439 boot failed at {step}: {message}", innerException)
    {
        Step = step;
    }

    public BootStep Step { get; }
}
