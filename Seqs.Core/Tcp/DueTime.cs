namespace Seqs.Tcp;

/// <summary>
/// When one of a connection's timers is due, in loop time, or not set (<c>default</c>): what a
/// <c>TimeSpan?</c> says, in half its size, for the control block's several timers.
/// </summary>
internal readonly struct DueTime
{
    // The time in ticks plus one, so that zero (the default) means "not set".
    private readonly long _ticksPlusOne;

    private DueTime(TimeSpan at) => _ticksPlusOne = at.Ticks + 1;

    public bool IsSet => _ticksPlusOne != 0;

    /// <summary>The time; only meaningful when <see cref="IsSet"/>.</summary>
    public TimeSpan At => new(_ticksPlusOne - 1);

    /// <summary>Set, and not after <paramref name="now"/>.</summary>
    public bool IsDue(TimeSpan now) => IsSet && At <= now;

    public static implicit operator DueTime(TimeSpan at) => new(at);

    /// <summary>The earlier of two deadlines, either of which may not be set.</summary>
    public static DueTime Earlier(DueTime a, DueTime b) =>
        !b.IsSet || (a.IsSet && a._ticksPlusOne <= b._ticksPlusOne) ? a : b;
}
