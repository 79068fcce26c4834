namespace Seqs.Tcp;

/// <summary>RFC 5681 congestion avoidance: about one segment per round trip; halve on loss.</summary>
internal sealed class NewReno(int mss) : CongestionControl(mss)
{
    public override CongestionControlAlgorithm Algorithm => CongestionControlAlgorithm.NewReno;

    /// <summary>RFC 5681 §3.2 equation (4): ssthresh = max(FlightSize / 2, 2·SMSS); recovery runs at ssthresh.</summary>
    public override void OnLoss(int flightSize, int mss, TimeSpan now)
    {
        SlowStartThreshold = Math.Max(flightSize / 2, 2 * mss);
        Window = SlowStartThreshold;
    }

    /// <summary>RFC 5681 §3.1 equation (3): cwnd += SMSS·SMSS / cwnd per ACK, at least one octet.</summary>
    protected override void GrowInCongestionAvoidance(int bytesAcked, int mss, TimeSpan now, TimeSpan roundTrip) =>
        Window += Math.Max(1, (int)((long)mss * mss / Window));
}
