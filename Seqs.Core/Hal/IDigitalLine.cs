namespace Seqs.Hal;

/// <summary>
/// One GPIO line used by a driver: a reset or power-enable output, or an interrupt input. Values are logical
/// levels as on the wire (true = high); active-low meanings are the driver's business.
/// </summary>
public interface IDigitalLine : IDisposable
{
    /// <summary>Reads the line's current level.</summary>
    bool Read();

    /// <summary>Drives an output line high or low; an input line throws <see cref="InvalidOperationException"/>.</summary>
    void Write(bool high);

    /// <summary>
    /// Raised on each edge of an input line with the new level (true = rising). It may be raised on any thread
    /// (System.Device.Gpio uses a driver thread), so handlers only signal the loop.
    /// </summary>
    event EventHandler<bool>? EdgeDetected;
}
