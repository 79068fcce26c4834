using Seqs.Hal;

namespace Seqs.Drivers.Cyw43.Emulation;

/// <summary>
/// The emulated interrupt output: asserted while an enabled F0 interrupt is pending, at the polarity BUS_CONTROL's
/// INTERRUPT_POLARITY_HIGH selects (reference §6 "Must model" 2).
/// </summary>
internal sealed class EmulatedHostWakeLine : IDigitalLine
{
    private volatile bool _high;

    public event EventHandler<bool>? EdgeDetected;

    public bool Read() => _high;

    public void Write(bool high) => throw new InvalidOperationException("The interrupt line is an output of the CYW43439 and an input of the host.");

    public void Dispose()
    {
    }

    /// <summary>Sets the level; true when it changed, so that the caller raises the edge outside its lock.</summary>
    internal bool SetLevel(bool high)
    {
        if (_high == high)
            return false;
        _high = high;
        return true;
    }

    internal void RaiseEdge() => EdgeDetected?.Invoke(this, _high);
}
