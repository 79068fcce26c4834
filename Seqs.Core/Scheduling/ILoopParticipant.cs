namespace Seqs.Scheduling;

/// <summary>
/// What <see cref="NetLoop"/> drives on each turn: usually a <c>NetStack</c> bound to one NIC. Every member is
/// called on the loop's thread.
/// </summary>
public interface ILoopParticipant
{
    /// <summary>Receives and processes at most <paramref name="maxFrames"/> frames; returns how many it took.</summary>
    int Receive(int maxFrames);

    /// <summary>Transmits what is waiting to go out, for as long as the NIC takes frames.</summary>
    void Transmit();

    /// <summary>Arms the NIC's one-shot wake-up before the loop sleeps (see <c>IEthernetNic.ArmWakeUp</c>).</summary>
    void ArmWakeUp(Action wakeUp);
}
