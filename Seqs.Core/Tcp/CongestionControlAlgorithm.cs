namespace Seqs.Tcp;

/// <summary>How a connection sizes its congestion window; see <see cref="TcpConnectionOptions.CongestionControl"/>.</summary>
public enum CongestionControlAlgorithm
{
    /// <summary>RFC 5681 slow start and congestion avoidance with RFC 6582 NewReno (or RFC 6675 SACK) recovery.</summary>
    NewReno,

    /// <summary>RFC 9438 CUBIC: a window that grows as a cubic function of the time since the last reduction.</summary>
    Cubic,
}
