using Seqs.Hal;

namespace Seqs.Drivers.Cyw43.Emulation;

/// <summary>The emulated WL_REG_ON input: low powers the WLAN part off and loses all its state (reference §1 "Power-up").</summary>
internal sealed class EmulatedPowerLine(Cyw43Emulator chip) : IDigitalLine
{
    private bool _high;

    public event EventHandler<bool>? EdgeDetected
    {
        add { }
        remove { }
    }

    public bool Read() => _high;

    public void Write(bool high)
    {
        _high = high;
        chip.SetPower(high);
    }

    public void Dispose()
    {
    }
}
