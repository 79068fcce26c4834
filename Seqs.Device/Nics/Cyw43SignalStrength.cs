using Microsoft.Extensions.Logging;
using Seqs.Drivers.Cyw43;

namespace Seqs.Device.Nics;

/// <summary>
/// The CYW43439's signal strength for the status page: one GET_RSSI ioctl every <see cref="ReadInterval"/> on a timer
/// of the device's clock, so off the stack's loop (an ioctl waits for the firmware's answer; frames go on meanwhile),
/// and the last reading kept for the status to copy. Nothing is read while no network is joined.
/// </summary>
internal sealed partial class Cyw43SignalStrength : IDisposable
{
    /// <summary>Often enough to follow someone walking with the device, rarely enough to cost the bus nothing to speak of.</summary>
    public static readonly TimeSpan ReadInterval = TimeSpan.FromSeconds(10);

    private const int NoReading = int.MinValue;

    private readonly Cyw43439 _chip;
    private readonly ILogger _log;
    private readonly ITimer _timer;
    private int _rssi = NoReading;
    private int _reading;

    /// <summary>Starts reading now, then every <see cref="ReadInterval"/>.</summary>
    public Cyw43SignalStrength(Cyw43439 chip, TimeProvider time, ILogger log)
    {
        _chip = chip;
        _log = log;
        _timer = time.CreateTimer(static state => _ = ((Cyw43SignalStrength)state!).ReadAsync(), this, TimeSpan.Zero, ReadInterval);
    }

    /// <summary>The last reading in dBm; null before the first, or while no network is joined.</summary>
    public int? RssiDbm => Volatile.Read(ref _rssi) is var rssi && rssi != NoReading ? rssi : null;

    public void Dispose() => _timer.Dispose();

    private async Task ReadAsync()
    {
        // A reading still waiting for the firmware is not joined by another.
        if (Interlocked.Exchange(ref _reading, 1) != 0)
            return;
        try
        {
            int rssi = _chip.IsLinkUp ? await _chip.GetRssiAsync().ConfigureAwait(false) : NoReading;
            Volatile.Write(ref _rssi, rssi);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            Volatile.Write(ref _rssi, NoReading);
            Log.ReadFailed(_log, e.Message);
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "The CYW43439 did not report its signal strength: {Reason}")]
        public static partial void ReadFailed(ILogger logger, string reason);
    }
}
