namespace Seqs.Tcp;

/// <summary>
/// The retransmission timeout estimator of RFC 6298: SRTT and RTTVAR from round-trip samples, RTO = SRTT +
/// max(G, 4·RTTVAR) bounded by a floor and a ceiling, doubled on each expiry. It holds no clock: callers pass
/// samples and ask for the current RTO, passing the connection's bounds. A mutable struct held in a field of the
/// control block, to save an object; <c>default</c> is an estimator without samples.
/// </summary>
internal struct RetransmissionTimer
{
    /// <summary>RFC 6298 §2: clock granularity G; the loop's clock is far finer than this floor, so 1 ms is safe.</summary>
    private static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(1);

    private TimeSpan _smoothed;
    private TimeSpan _variation;
    private bool _hasSample;
    private byte _backoff;

    /// <summary>
    /// The current timeout, backoff included: <paramref name="initial"/> before any sample, then bounded by
    /// <paramref name="minimum"/> and <paramref name="maximum"/>.
    /// </summary>
    public readonly TimeSpan Timeout(TimeSpan initial, TimeSpan minimum, TimeSpan maximum)
    {
        TimeSpan rto = _hasSample ? _smoothed + Max(Granularity, Scale(_variation, 4)) : initial;
        // RFC 6298 §2.4-2.5: a floor (this stack, like Linux, uses 200 ms rather than 1 s) and a ceiling.
        rto = rto < minimum ? minimum : rto;
        for (int i = 0; i < _backoff && rto < maximum; i++)
            rto = Scale(rto, 2);
        return rto > maximum ? maximum : rto;
    }

    public readonly TimeSpan SmoothedRoundTripTime => _smoothed;

    public readonly int Backoff => _backoff;

    /// <summary>RFC 6298 §2.2-2.3: folds one measurement (never of a retransmitted segment, Karn's rule) into the estimate.</summary>
    public void AddSample(TimeSpan roundTrip)
    {
        if (!_hasSample)
        {
            _smoothed = roundTrip;
            _variation = Scale(roundTrip, 0.5);
            _hasSample = true;
        }
        else
        {
            TimeSpan error = _smoothed - roundTrip;
            _variation = Scale(_variation, 0.75) + Scale(error < TimeSpan.Zero ? -error : error, 0.25);
            _smoothed = Scale(_smoothed, 0.875) + Scale(roundTrip, 0.125);
        }
        _backoff = 0;
    }

    /// <summary>RFC 6298 §5.5: the timer expired; back off by doubling.</summary>
    public void OnExpired()
    {
        if (_backoff < 30)
            _backoff++;
    }

    /// <summary>New data was acknowledged: the backoff ends (RFC 6298 §5.7 allows keeping it; Linux does not).</summary>
    public void OnProgress() => _backoff = 0;

    private static TimeSpan Scale(TimeSpan value, double factor) => new((long)(value.Ticks * factor));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
