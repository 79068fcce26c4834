using Seqs.Scheduling;

namespace Seqs.Tests.Simulation;

/// <summary>A participant with nothing to do that reports each turn (each <see cref="Receive"/> call).</summary>
internal sealed class CountingParticipant(Action onTurn) : ILoopParticipant
{
    public int Receive(int maxFrames)
    {
        onTurn();
        return 0;
    }

    public void Transmit()
    {
    }

    public void ArmWakeUp(Action wakeUp)
    {
    }
}
