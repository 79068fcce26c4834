using Seqs.Hal;

namespace Seqs.Tests.Cyw43;

/// <summary>Records each level the driver writes to a line, with the virtual time.</summary>
internal sealed class PowerLineSpy(IDigitalLine inner, TimeProvider clock, List<(TimeSpan At, bool High)> levels) : IDigitalLine
{
    private readonly long _start = clock.GetTimestamp();

    public event EventHandler<bool>? EdgeDetected
    {
        add => inner.EdgeDetected += value;
        remove => inner.EdgeDetected -= value;
    }

    public bool Read() => inner.Read();

    public void Write(bool high)
    {
        levels.Add((clock.GetElapsedTime(_start), high));
        inner.Write(high);
    }

    public void Dispose() => inner.Dispose();
}
