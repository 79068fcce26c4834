namespace Seqs.Scheduling;

/// <summary>
/// An entry on a <see cref="NetLoop"/>'s timer heap: a deadline, and what happens when it passes. Applications
/// create <see cref="NetTimer"/>s; an object of the stack that lives by its timer (a TCP control block) is one
/// itself, which saves it a timer object of its own.
/// </summary>
public abstract class LoopTimer
{
    // Only types of this assembly derive.
    private protected LoopTimer()
    {
    }

    internal int HeapIndex { get; set; } = -1;

    internal long Sequence { get; set; }

    /// <summary>The time at which the timer fires; meaningful while <see cref="IsScheduled"/>.</summary>
    public TimeSpan Deadline { get; internal set; }

    public bool IsScheduled => HeapIndex >= 0;

    /// <summary>Runs on the loop when the deadline has passed; the timer is no longer scheduled.</summary>
    internal abstract void Fire();
}
