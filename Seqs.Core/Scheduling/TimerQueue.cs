namespace Seqs.Scheduling;

/// <summary>
/// A binary min-heap of <see cref="LoopTimer"/>s ordered by deadline, then by scheduling order so that timers due
/// at the same instant fire in the order they were set (deterministic replays). Insert, move and cancel are
/// O(log n); each timer knows its heap slot.
/// </summary>
internal sealed class TimerQueue
{
    // Slots wrap the timers in a struct: storing a derived type into a LoopTimer[] would pay the array covariance
    // check on every move.
    private Slot[] _heap = new Slot[4];
    private long _sequence;

    public int Count { get; private set; }

    public TimeSpan? NextDeadline => Count == 0 ? null : _heap[0].Timer.Deadline;

    public NetTimer Create(Action callback) => new(this, callback);

    public void Schedule(LoopTimer timer, TimeSpan deadline)
    {
        Remove(timer);
        timer.Deadline = deadline;
        timer.Sequence = _sequence++;
        if (Count == _heap.Length)
            Array.Resize(ref _heap, _heap.Length * 2);
        _heap[Count].Timer = timer;
        timer.HeapIndex = Count;
        Count++;
        SiftUp(timer.HeapIndex);
    }

    public void Remove(LoopTimer timer)
    {
        int index = timer.HeapIndex;
        if (index < 0)
            return;
        timer.HeapIndex = -1;
        Count--;
        if (index == Count)
        {
            _heap[Count].Timer = null!;
            return;
        }
        LoopTimer last = _heap[Count].Timer;
        _heap[Count].Timer = null!;
        _heap[index].Timer = last;
        last.HeapIndex = index;
        SiftDown(index);
        SiftUp(last.HeapIndex);
    }

    /// <summary>
    /// Fires the timers due at <paramref name="now"/>. A timer rescheduled by a callback to a time that is already
    /// due waits for the next turn, so a careless callback cannot stall the loop. A callback that throws is
    /// reported to <paramref name="onException"/> and the others still run.
    /// </summary>
    public int RunDue(TimeSpan now, Action<Exception> onException)
    {
        long horizon = _sequence;
        int fired = 0;
        while (Count > 0 && _heap[0].Timer.Deadline <= now && _heap[0].Timer.Sequence < horizon)
        {
            LoopTimer timer = _heap[0].Timer;
            Remove(timer);
            fired++;
            try
            {
                timer.Fire();
            }
            catch (Exception e)
            {
                onException(e);
            }
        }
        return fired;
    }

    private static bool Before(LoopTimer a, LoopTimer b) =>
        a.Deadline < b.Deadline || (a.Deadline == b.Deadline && a.Sequence < b.Sequence);

    private void SiftUp(int index)
    {
        LoopTimer timer = _heap[index].Timer;
        while (index > 0)
        {
            int parent = (index - 1) / 2;
            if (!Before(timer, _heap[parent].Timer))
                break;
            Place(_heap[parent].Timer, index);
            index = parent;
        }
        Place(timer, index);
    }

    private void SiftDown(int index)
    {
        LoopTimer timer = _heap[index].Timer;
        while (true)
        {
            int child = 2 * index + 1;
            if (child >= Count)
                break;
            if (child + 1 < Count && Before(_heap[child + 1].Timer, _heap[child].Timer))
                child++;
            if (!Before(_heap[child].Timer, timer))
                break;
            Place(_heap[child].Timer, index);
            index = child;
        }
        Place(timer, index);
    }

    private void Place(LoopTimer timer, int index)
    {
        _heap[index].Timer = timer;
        timer.HeapIndex = index;
    }

    private struct Slot
    {
        public LoopTimer Timer;
    }
}
