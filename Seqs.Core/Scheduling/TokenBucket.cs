namespace Seqs.Scheduling;

/// <summary>
/// A token bucket for rate limits (ICMP errors, RFC 1812 §4.3.2.8): <c>rate</c> tokens a second up to
/// <c>burst</c>; refilled lazily from the time passed in, so it needs no timer.
/// </summary>
internal sealed class TokenBucket
{
    private readonly int _ratePerSecond;
    private readonly int _burst;
    private double _tokens;
    private TimeSpan _last;

    public TokenBucket(int ratePerSecond, int burst)
    {
        _ratePerSecond = ratePerSecond;
        _burst = burst;
        _tokens = burst;
    }

    public bool TryTake(TimeSpan now)
    {
        if (now > _last)
        {
            _tokens = Math.Min(_burst, _tokens + (now - _last).TotalSeconds * _ratePerSecond);
            _last = now;
        }
        if (_tokens < 1)
            return false;
        _tokens -= 1;
        return true;
    }
}
