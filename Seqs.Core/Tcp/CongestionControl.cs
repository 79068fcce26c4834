namespace Seqs.Tcp;

/// <summary>
/// The congestion window and slow-start threshold of one connection (RFC 5681 §3.1) and how they react to
/// acknowledgments, to a loss detected by duplicate ACKs or SACK, and to a retransmission timeout. Loss detection
/// and recovery (which segment to send) belong to the control block; an algorithm only sizes the window.
/// Windows are in octets.
/// </summary>
internal abstract class CongestionControl
{
    protected CongestionControl(int mss) => Reset(mss);

    /// <summary>The algorithm this is, so that a reused control block keeps it only when the options ask for the same.</summary>
    public abstract CongestionControlAlgorithm Algorithm { get; }

    /// <summary>cwnd.</summary>
    public int Window { get; protected set; }

    /// <summary>ssthresh.</summary>
    public int SlowStartThreshold { get; protected set; }

    public bool InSlowStart => Window < SlowStartThreshold;

    public static CongestionControl Create(CongestionControlAlgorithm algorithm, int mss) => algorithm switch
    {
        CongestionControlAlgorithm.Cubic => new Cubic(mss),
        _ => new NewReno(mss),
    };

    /// <summary>Starts over for a new connection, as if just made.</summary>
    public virtual void Reset(int mss)
    {
        Window = InitialWindow(mss);
        // RFC 5681 §3.1: "The initial value of ssthresh SHOULD be set arbitrarily high."
        SlowStartThreshold = int.MaxValue;
    }

    /// <summary>RFC 6928 §2: IW = min(10·MSS, max(2·MSS, 14600)).</summary>
    public static int InitialWindow(int mss) => Math.Min(10 * mss, Math.Max(2 * mss, 14600));

    /// <summary>The send MSS became known (the handshake ended): the initial window follows it.</summary>
    public void OnMssKnown(int mss)
    {
        Window = InitialWindow(mss);
    }

    /// <summary>
    /// New data was acknowledged outside loss recovery. <paramref name="windowLimited"/> says whether the sender
    /// was using the window it has: RFC 7661's point that an application-limited sender must not grow it.
    /// </summary>
    public void OnAcked(int bytesAcked, int mss, bool windowLimited, TimeSpan now, TimeSpan roundTrip)
    {
        if (!windowLimited)
            return;
        if (InSlowStart)
        {
            // RFC 5681 §3.1 with RFC 3465 §2.2 appropriate byte counting, L = 2·SMSS: delayed ACKs do not halve growth.
            Window += Math.Min(bytesAcked, 2 * mss);
            return;
        }
        GrowInCongestionAvoidance(bytesAcked, mss, now, roundTrip);
    }

    /// <summary>
    /// Loss was detected by duplicate ACKs or SACK (RFC 5681 §3.2 step 2, RFC 6675 §5 step 4): set ssthresh and
    /// cwnd to the reduced window the recovery runs with.
    /// </summary>
    public abstract void OnLoss(int flightSize, int mss, TimeSpan now);

    /// <summary>
    /// RFC 5681 §3.1 equation (4) and the loss window: after a retransmission timeout ssthresh follows the loss
    /// reaction and cwnd is one segment.
    /// </summary>
    public void OnRetransmissionTimeout(int flightSize, int mss, TimeSpan now)
    {
        OnLoss(flightSize, mss, now);
        Window = mss;
    }

    /// <summary>RFC 6582 §3.2 step 5 / RFC 6675: recovery ended with a full acknowledgment; cwnd is ssthresh.</summary>
    public void OnRecoveryEnd() => Window = SlowStartThreshold;

    /// <summary>
    /// The reduction was for nothing (D-SACKs showed every retransmission needless, RFC 3708 §3): cwnd and ssthresh go
    /// back to at least what they were before it, as Linux's tcp_undo_cwnd_reduction does.
    /// </summary>
    public void Undo(int priorWindow, int priorThreshold)
    {
        Window = Math.Max(Window, priorWindow);
        SlowStartThreshold = Math.Max(SlowStartThreshold, priorThreshold);
    }

    /// <summary>RFC 5681 §3.2 step 4 (and RFC 6582 partial ACKs): NewReno's window inflation during recovery.</summary>
    public void Inflate(int bytes) => Window += bytes;

    /// <summary>RFC 6582 §3.2 step 5: deflate by what a partial ACK acknowledged, adding back one segment.</summary>
    public void Deflate(int bytesAcked, int mss) => Window = Math.Max(mss, Window - bytesAcked + (bytesAcked >= mss ? mss : 0));

    /// <summary>Keeps cwnd within what could ever be in flight, so an idle burst later is not unbounded.</summary>
    public void Limit(int maximum)
    {
        if (Window > maximum)
            Window = maximum;
    }

    protected abstract void GrowInCongestionAvoidance(int bytesAcked, int mss, TimeSpan now, TimeSpan roundTrip);
}
