namespace Seqs.Tcp;

/// <summary>
/// What a connection counts of the rarer events in its life: recovery from loss, and segments turned away by PAWS
/// and RFC 5961, with when an invalid segment was last answered. Made when the first of them happens, so that a connection that sees none does not carry them;
/// kept, zeroed, when the control block is reused.
/// </summary>
internal sealed class TcpConnectionCounters
{
    public int FastRetransmits { get; set; }

    public long RetransmittedBytes { get; set; }

    public long FlightAtLosses { get; set; }

    public int LostRetransmissions { get; set; }

    public int PawsRejected { get; set; }

    public int ChallengeAcksSent { get; set; }

    /// <summary>Invalid segments left unanswered because one was answered less than 500 ms before (an ACK loop's).</summary>
    public int InvalidSegmentsUnanswered { get; set; }

    /// <summary>When an ACK last answered an invalid segment (<see cref="TcpControlBlock.MayAnswerInvalid"/>).</summary>
    public DueTime InvalidSegmentAnsweredAt { get; set; }

    public int LossProbes { get; set; }

    public int DuplicateSacksReceived { get; set; }

    public int SpuriousRetransmissions { get; set; }

    public int WindowReductionsUndone { get; set; }

    public void Clear()
    {
        FastRetransmits = 0;
        RetransmittedBytes = 0;
        FlightAtLosses = 0;
        LostRetransmissions = 0;
        PawsRejected = 0;
        ChallengeAcksSent = 0;
        InvalidSegmentsUnanswered = 0;
        InvalidSegmentAnsweredAt = default;
        LossProbes = 0;
        DuplicateSacksReceived = 0;
        SpuriousRetransmissions = 0;
        WindowReductionsUndone = 0;
    }
}
