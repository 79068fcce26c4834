namespace Seqs.Simulation;

/// <summary>
/// Virtual time for simulations: starts at zero and moves only when <see cref="Advance"/> or <see cref="AdvanceTo"/>
/// is called, never backwards. Timestamps are in ticks (<see cref="TimeSpan.TicksPerSecond"/> per second), so
/// <c>NetLoop.Now</c> equals <see cref="Elapsed"/> exactly.
/// Timers from <see cref="CreateTimer"/> (and so <c>Task.Delay(TimeSpan, TimeProvider)</c>) are supported: they fire
/// on the thread that advances the clock, in (due time, creation order) order, with the clock reading their due
/// time while their callback runs. A timer due at the current instant fires on the next advance, including
/// <c>Advance(TimeSpan.Zero)</c>.
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    /// <summary>The wall-clock time at virtual time zero unless another is given: 2000-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultEpoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly object _gate = new();
    private readonly List<VirtualClockTimer> _timers = [];
    private long _ticks;
    private long _timerSequence;

    public VirtualClock()
        : this(DefaultEpoch)
    {
    }

    /// <param name="epoch">What <see cref="GetUtcNow"/> returns at virtual time zero.</param>
    public VirtualClock(DateTimeOffset epoch) => Epoch = epoch;

    public DateTimeOffset Epoch { get; }

    /// <summary>Virtual time since the clock was created.</summary>
    public TimeSpan Elapsed => new(Volatile.Read(ref _ticks));

    /// <summary>When the earliest scheduled timer is due; null when none is scheduled.</summary>
    public TimeSpan? NextTimerDue
    {
        get
        {
            lock (_gate)
                return EarliestTimer() is { } timer ? timer.Due : null;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    // Volatile reads of 64-bit values are atomic on every platform .NET runs on, and cheaper than Interlocked.
    public override long GetTimestamp() => Volatile.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => Epoch + Elapsed;

    /// <summary>Moves time forward by <paramref name="delta"/>, firing the timers that fall due on the way.</summary>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Virtual time never goes backwards.");
        AdvanceTo(Elapsed + delta);
    }

    /// <summary>Moves time forward to <paramref name="time"/>, firing the timers that fall due on the way.</summary>
    public void AdvanceTo(TimeSpan time)
    {
        if (time < Elapsed)
            throw new ArgumentOutOfRangeException(nameof(time), time, $"Virtual time never goes backwards; it is already {Elapsed}.");
        FireTimersUntil(time);
        Interlocked.Exchange(ref _ticks, time.Ticks);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (callback is null)
            throw new ArgumentNullException(nameof(callback));
        var timer = new VirtualClockTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Fires the timers due at the current instant; returns how many fired.</summary>
    internal int FireDueTimers() => FireTimersUntil(Elapsed);

    internal void Schedule(VirtualClockTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
                return;
            timer.Due = Elapsed + dueTime;
            timer.Period = period;
            timer.Sequence = _timerSequence++;
            _timers.Add(timer);
        }
    }

    internal void Unschedule(VirtualClockTimer timer)
    {
        lock (_gate)
            _timers.Remove(timer);
    }

    private int FireTimersUntil(TimeSpan time)
    {
        int fired = 0;
        while (true)
        {
            VirtualClockTimer? timer;
            lock (_gate)
            {
                timer = EarliestTimer();
                if (timer is null || timer.Due > time)
                    return fired;
                if (timer.Due > Elapsed)
                    Interlocked.Exchange(ref _ticks, timer.Due.Ticks);
                if (timer.Period > TimeSpan.Zero)
                {
                    timer.Due += timer.Period;
                    timer.Sequence = _timerSequence++;
                }
                else
                {
                    _timers.Remove(timer);
                }
            }
            fired++;
            timer.Fire();
        }
    }

    private VirtualClockTimer? EarliestTimer()
    {
        VirtualClockTimer? earliest = null;
        foreach (VirtualClockTimer timer in _timers)
        {
            if (earliest is null || timer.Due < earliest.Due || (timer.Due == earliest.Due && timer.Sequence < earliest.Sequence))
                earliest = timer;
        }
        return earliest;
    }
}
