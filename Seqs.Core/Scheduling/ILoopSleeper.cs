namespace Seqs.Scheduling;

/// <summary>
/// A NIC that can hold the loop's own thread while the loop sleeps, so that a frame wakes the loop directly: one
/// thread switch per wake-up instead of the two of a NIC thread that wakes the loop (a host NIC such as a TAP,
/// whose descriptor the loop can poll). Set as <see cref="NetLoop.Sleeper"/>.
/// </summary>
public interface ILoopSleeper
{
    /// <summary>
    /// Blocks the calling thread until a frame can be received, a transmit the NIC refused may now succeed, the link
    /// changes, <see cref="Interrupt"/> is called, or <paramref name="timeout"/> passes
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: no timeout). It may return early; the loop then takes a turn.
    /// </summary>
    void Sleep(TimeSpan timeout);

    /// <summary>Ends a <see cref="Sleep"/> in progress, or makes the next one return at once. Any thread may call it.</summary>
    void Interrupt();
}
