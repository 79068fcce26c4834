namespace Seqs.Device.Mqtt;

/// <summary>
/// The waits between attempts to reach the broker: <see cref="Initial"/>, doubling after each failure up to
/// <see cref="Ceiling"/>, each spread by ±<see cref="Jitter"/> so that the devices a broker restart disconnected do
/// not all come back in the same second. A connection the broker accepted starts the sequence over.
/// </summary>
internal sealed class ReconnectBackoff(Random random)
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(60);

    /// <summary>The spread of each wait around its nominal value, as a fraction of it.</summary>
    public const double Jitter = 0.2;

    // 2^6 s already passes the ceiling; counting further would only risk overflow.
    private const int MaxDoublings = 6;

    private int _failures;

    /// <summary>Failed attempts since the last accepted connection.</summary>
    public int Failures => _failures;

    /// <summary>The nominal wait after <paramref name="failures"/> failures, before jitter.</summary>
    public static TimeSpan Nominal(int failures) =>
        TimeSpan.FromTicks(Math.Min(Initial.Ticks << Math.Clamp(failures - 1, 0, MaxDoublings), Ceiling.Ticks));

    /// <summary>Counts a failed attempt and returns how long to wait before the next one.</summary>
    public TimeSpan NextDelay()
    {
        _failures++;
        double spread = 1 - Jitter + 2 * Jitter * random.NextDouble();
        return TimeSpan.FromTicks((long)(Nominal(_failures).Ticks * spread));
    }

    public void Reset() => _failures = 0;
}
