namespace Seqs.Tcp;

/// <summary>
/// What a connection counts of the rarer events in its life: recovery from loss, and segments turned away by PAWS
/// and RFC 5961. Made when the first of them happens, so that a connection that sees none does not carry them;
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
        LossProbes = 0;
        DuplicateSacksReceived = 0;
        SpuriousRetransmissions = 0;
        WindowReductionsUndone = 0;
    }
}
