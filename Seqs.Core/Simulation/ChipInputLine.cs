using Seqs.Hal;

namespace Seqs.Simulation;

/// <summary>
/// An emulated chip's input pin (a reset or power-enable line): the driver drives it, and each level is handed to
/// the emulator. It raises no edges; an input of the chip is an output of the host.
/// </summary>
public sealed class ChipInputLine(bool initialHigh, Action<bool> onLevel) : IDigitalLine
{
    private bool _high = initialHigh;

    public event EventHandler<bool>? EdgeDetected
    {
        add { }
        remove { }
    }

    public bool Read() => _high;

    public void Write(bool high)
    {
        _high = high;
        onLevel(high);
    }

    public void Dispose()
    {
    }
}
