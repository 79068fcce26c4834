namespace Seqs.Tcp;

/// <summary>
/// RFC 9438 CUBIC. After a reduction the window follows W_cubic(t) = C·(t - K)³ + W_max (§4.2), concave up to the
/// window where the loss happened and convex beyond it, but never below what Reno would have reached in the same
/// time (the Reno-friendly region, §4.3). Windows inside the formulas are in segments, as in the RFC.
/// </summary>
internal sealed class Cubic(int mss) : CongestionControl(mss)
{
    /// <summary>RFC 9438 §5: C = 0.4.</summary>
    private const double C = 0.4;

    /// <summary>RFC 9438 §4.6: β_cubic = 0.7.</summary>
    private const double Beta = 0.7;

    /// <summary>RFC 9438 §4.3: α_cubic = 3·(1 - β_cubic) / (1 + β_cubic).</summary>
    private const double Alpha = 3 * (1 - Beta) / (1 + Beta);

    private double _wMax;
    private double _wLastMax;
    private double _cwndPrior;
    private double _wEst;
    private double _k;
    private TimeSpan? _epochStart;

    public override CongestionControlAlgorithm Algorithm => CongestionControlAlgorithm.Cubic;

    public override void Reset(int mss)
    {
        base.Reset(mss);
        _wMax = 0;
        _wLastMax = 0;
        _cwndPrior = 0;
        _wEst = 0;
        _k = 0;
        _epochStart = null;
    }

    /// <summary>RFC 9438 §4.6 multiplicative decrease and §4.7 fast convergence.</summary>
    public override void OnLoss(int flightSize, int mss, TimeSpan now)
    {
        double cwnd = (double)Window / mss;
        // §4.7: when the window at this loss is below the last one, release bandwidth faster.
        _wMax = cwnd < _wLastMax ? cwnd * (1 + Beta) / 2 : cwnd;
        _wLastMax = cwnd;
        _cwndPrior = cwnd;
        // §4.6: ssthresh = flight_size · β_cubic, at least 2 segments (RFC 5681's floor).
        SlowStartThreshold = Math.Max((int)(flightSize * Beta), 2 * mss);
        Window = SlowStartThreshold;
        _epochStart = null;
    }

    protected override void GrowInCongestionAvoidance(int bytesAcked, int mss, TimeSpan now, TimeSpan roundTrip)
    {
        double cwnd = (double)Window / mss;
        if (_epochStart is null)
        {
            // §4.2: a new congestion avoidance epoch; K is when W_cubic climbs back to W_max.
            _epochStart = now;
            if (_wMax < cwnd)
                _wMax = cwnd;
            _k = Math.Cbrt((_wMax - cwnd) / C);
            _wEst = cwnd;
            if (_cwndPrior == 0)
                _cwndPrior = cwnd;
        }
        double t = (now - _epochStart.Value).TotalSeconds;
        double segmentsAcked = (double)bytesAcked / mss;
        // §4.3: the Reno-friendly estimate, α_cubic per round trip until it passes cwnd_prior, then 1.
        _wEst += (_wEst >= _cwndPrior ? 1 : Alpha) * segmentsAcked / cwnd;
        double grown;
        if (WCubic(t) < _wEst)
        {
            grown = _wEst;
        }
        else
        {
            // §4.4-4.5: aim at W_cubic one round trip ahead, between cwnd and 1.5·cwnd, and close (target - cwnd) / cwnd
            // of the distance per segment acknowledged.
            double target = Math.Min(Math.Max(WCubic(t + roundTrip.TotalSeconds), cwnd), 1.5 * cwnd);
            grown = cwnd + (target - cwnd) / cwnd * segmentsAcked;
        }
        Window = Math.Max(Window, (int)Math.Min(int.MaxValue / 2, grown * mss));
    }

    private double WCubic(double t) => C * Math.Pow(t - _k, 3) + _wMax;
}
