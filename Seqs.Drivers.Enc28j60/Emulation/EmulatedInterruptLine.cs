using Seqs.Hal;

namespace Seqs.Drivers.Enc28j60.Emulation;

/// <summary>The emulated INT pin: high when idle, low while an enabled interrupt is pending (DS39662E §12).</summary>
internal sealed class EmulatedInterruptLine : IDigitalLine
{
    private volatile bool _high = true;

    public event EventHandler<bool>? EdgeDetected;

    public bool Read() => _high;

    public void Write(bool high) => throw new InvalidOperationException("INT is an output of the ENC28J60 and an input of the host.");

    public void Dispose()
    {
    }

    /// <summary>Sets the level; returns true when it changed, so that the caller raises the edge outside its lock.</summary>
    internal bool SetLevel(bool high)
    {
        if (_high == high)
            return false;
        _high = high;
        return true;
    }

    internal void RaiseEdge() => EdgeDetected?.Invoke(this, _high);
}
