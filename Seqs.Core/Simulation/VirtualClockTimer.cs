namespace Seqs.Simulation;

/// <summary>A timer of a <see cref="VirtualClock"/>; the clock fires it while advancing.</summary>
internal sealed class VirtualClockTimer : ITimer
{
    private readonly VirtualClock _clock;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private bool _disposed;

    public VirtualClockTimer(VirtualClock clock, TimerCallback callback, object? state)
    {
        _clock = clock;
        _callback = callback;
        _state = state;
    }

    public TimeSpan Due { get; set; }

    /// <summary>Zero for a one-shot timer.</summary>
    public TimeSpan Period { get; set; }

    public long Sequence { get; set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "The due time must be zero or more, or Timeout.InfiniteTimeSpan.");
        if (period < TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be zero or more, or Timeout.InfiniteTimeSpan.");
        if (_disposed)
            return false;
        _clock.Schedule(this, dueTime, period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period);
        return true;
    }

    public void Fire() => _callback(_state);

    public void Dispose()
    {
        _disposed = true;
        _clock.Unschedule(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }
}
