namespace Seqs.Scheduling;

/// <summary>
/// A token bucket for rate limits (ICMP errors, RFC 1812 §4.3.2.8; new DHCP clients): <c>rate</c> tokens a second
/// up to <c>burst</c>; refilled lazily from the time passed in, so it needs no timer.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _ratePerSecond;
    private readonly int _burst;
    private double _tokens;
    private TimeSpan _last;

    public TokenBucket(double ratePerSecond, int burst)
    {
        _ratePerSecond = ratePerSecond;
        _burst = burst;
        _tokens = burst;
    }

    /// <summary>A bucket that refills <paramref name="burst"/> tokens every <paramref name="interval"/>.</summary>
    public static TokenBucket PerInterval(int burst, TimeSpan interval) => new(burst / interval.TotalSeconds, burst);

    public bool TryTake(TimeSpan now)
    {
        if (!CanTake(now))
            return false;
        _tokens -= 1;
        return true;
    }

    /// <summary>Whether <see cref="TryTake"/> would succeed at <paramref name="now"/>; takes nothing.</summary>
    public bool CanTake(TimeSpan now)
    {
        if (now > _last)
        {
            _tokens = Math.Min(_burst, _tokens + (now - _last).TotalSeconds * _ratePerSecond);
            _last = now;
        }
        return _tokens >= 1;
    }

    /// <summary>Full again, as if new at <paramref name="now"/>: lets a table of buckets reuse one for another key.</summary>
    public void Reset(TimeSpan now)
    {
        _tokens = _burst;
        _last = now;
    }
}
