using Seqs.Hal;

namespace Seqs.Simulation;

/// <summary>
/// An emulated chip's output pin (an interrupt line): the emulator sets its level, the driver reads it and gets
/// its edges. Writing it is a wiring mistake and throws.
/// </summary>
public sealed class ChipOutputLine(bool initialHigh, string pin) : IDigitalLine
{
    private volatile bool _high = initialHigh;

    public event EventHandler<bool>? EdgeDetected;

    public bool Read() => _high;

    public void Write(bool high) => throw new InvalidOperationException($"{pin} is an output of the chip and an input of the host.");

    public void Dispose()
    {
    }

    /// <summary>Sets the level; true when it changed, so that the emulator raises the edge outside its lock.</summary>
    public bool SetLevel(bool high)
    {
        if (_high == high)
            return false;
        _high = high;
        return true;
    }

    public void RaiseEdge() => EdgeDetected?.Invoke(this, _high);
}
