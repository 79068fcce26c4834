namespace Seqs.Ntp;

/// <summary>
/// Network time: the local clock plus the offset the last NTP poll measured. Until the first poll it reads the
/// local clock. It is a <see cref="TimeProvider"/>, so code that takes one can run on network time; timestamps
/// and timers are the local clock's. Safe to read from any thread.
/// </summary>
public sealed class NetworkClock : TimeProvider
{
    private readonly TimeProvider _local;
    private long _offsetTicks;
    private long _synchronizedAtTicks;

    public NetworkClock(TimeProvider localClock) => _local = localClock ?? throw new ArgumentNullException(nameof(localClock));

    public TimeProvider LocalClock => _local;

    /// <summary>Network time minus local time.</summary>
    public TimeSpan Offset => new(Volatile.Read(ref _offsetTicks));

    public bool IsSynchronized => Volatile.Read(ref _synchronizedAtTicks) != 0;

    /// <summary>When the offset was last set, in local UTC time; null before the first synchronisation.</summary>
    public DateTimeOffset? LastSynchronized
    {
        get
        {
            long ticks = Volatile.Read(ref _synchronizedAtTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public override DateTimeOffset GetUtcNow() => _local.GetUtcNow() + Offset;

    public override long GetTimestamp() => _local.GetTimestamp();

    public override long TimestampFrequency => _local.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _local.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _local.CreateTimer(callback, state, dueTime, period);

    internal void Update(TimeSpan offset, DateTimeOffset localTime)
    {
        Volatile.Write(ref _offsetTicks, offset.Ticks);
        Volatile.Write(ref _synchronizedAtTicks, localTime.UtcTicks);
    }
}
