using Seqs.Hal;

namespace Seqs.Drivers.Enc28j60.Emulation;

/// <summary>The emulated RESET pin (DS39662E §11.1): low resets the chip and holds it there until driven high.</summary>
internal sealed class EmulatedResetLine(Enc28j60Emulator chip) : IDigitalLine
{
    private bool _high = true;

    public event EventHandler<bool>? EdgeDetected
    {
        add { }
        remove { }
    }

    public bool Read() => _high;

    public void Write(bool high)
    {
        _high = high;
        chip.HoldInReset(!high);
    }

    public void Dispose()
    {
    }
}
