using System.Diagnostics;
using Seqs.Scheduling;

namespace Seqs.Tests.Tls;

/// <summary>
/// Measures a loop's turns: attached before the stacks, its Receive starts each turn and its Transmit comes after
/// the timers and queued work (where continuations, and crypto run on the loop, would run). Read from any thread.
/// </summary>
internal sealed class LoopTurnMeter : ILoopParticipant
{
    private long _turnStart;
    private long _longestTicks;
    private long _turns;

    public TimeSpan LongestTurn => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _longestTicks));

    public long Turns => Volatile.Read(ref _turns);

    public void Reset()
    {
        Volatile.Write(ref _longestTicks, 0);
        Volatile.Write(ref _turns, 0);
    }

    public int Receive(int maxFrames)
    {
        _turnStart = Stopwatch.GetTimestamp();
        return 0;
    }

    public void Transmit()
    {
        long ticks = Stopwatch.GetTimestamp() - _turnStart;
        if (ticks > Volatile.Read(ref _longestTicks))
            Volatile.Write(ref _longestTicks, ticks);
        Interlocked.Increment(ref _turns);
    }

    public void ArmWakeUp(Action wakeUp)
    {
    }
}
