namespace Seqs.Wire;

/// <summary>LI, the leap indicator (RFC 5905 §7.3, Figure 9).</summary>
public enum NtpLeapIndicator : byte
{
    NoWarning = 0,
    LastMinuteHas61Seconds = 1,
    LastMinuteHas59Seconds = 2,

    /// <summary>"Unknown (clock unsynchronized)": a server sending it must not be trusted (RFC 4330 §5).</summary>
    Unsynchronized = 3,
}
