namespace Seqs.Scheduling;

/// <summary>
/// A one-shot timer on a <see cref="NetLoop"/>, created once by its owner and rescheduled as often as needed
/// without allocating. Its callback runs on the loop's thread. Deadlines are loop times (<see cref="NetLoop.Now"/>).
/// </summary>
public sealed class NetTimer
{
    private readonly TimerQueue _queue;

    internal NetTimer(TimerQueue queue, Action<object?> callback, object? state)
    {
        _queue = queue;
        Callback = callback;
        State = state;
    }

    /// <summary>What runs when the timer fires, with <see cref="State"/>: a static callback and a state cost no closure.</summary>
    internal Action<object?> Callback { get; }

    internal object? State { get; }

    internal int HeapIndex { get; set; } = -1;

    internal long Sequence { get; set; }

    /// <summary>The time at which the timer fires; meaningful while <see cref="IsScheduled"/>.</summary>
    public TimeSpan Deadline { get; internal set; }

    public bool IsScheduled => HeapIndex >= 0;

    /// <summary>Schedules (or moves) the timer to fire at <paramref name="deadline"/>; a past deadline fires on the next turn.</summary>
    public void Schedule(TimeSpan deadline) => _queue.Schedule(this, deadline);

    /// <summary>Cancels the timer if it is scheduled.</summary>
    public void Cancel() => _queue.Remove(this);
}
