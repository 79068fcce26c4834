namespace Seqs.Scheduling;

/// <summary>
/// A one-shot timer on a <see cref="NetLoop"/>, created once by its owner and rescheduled as often as needed
/// without allocating. Its callback runs on the loop's thread. Deadlines are loop times (<see cref="NetLoop.Now"/>).
/// </summary>
public sealed class NetTimer : LoopTimer
{
    private readonly TimerQueue _queue;
    private readonly Action _callback;

    internal NetTimer(TimerQueue queue, Action callback)
    {
        _queue = queue;
        _callback = callback;
    }

    /// <summary>Schedules (or moves) the timer to fire at <paramref name="deadline"/>; a past deadline fires on the next turn.</summary>
    public void Schedule(TimeSpan deadline) => _queue.Schedule(this, deadline);

    /// <summary>Cancels the timer if it is scheduled.</summary>
    public void Cancel() => _queue.Remove(this);

    internal override void Fire() => _callback();
}
