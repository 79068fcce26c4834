using System.Buffers;

namespace Seqs.Simulation;

/// <summary>
/// Every frame in flight in one simulation, as a binary min-heap of <see cref="WireEvent"/>s ordered by
/// (time, sequence): events due at the same instant happen in the order they were scheduled, so runs replay exactly.
/// </summary>
internal sealed class WireEventQueue(VirtualClock clock)
{
    private WireEvent[] _heap = new WireEvent[64];
    private long _sequence;

    public VirtualClock Clock { get; } = clock;

    public FrameTap? Tap { get; set; }

    public int Count { get; private set; }

    public TimeSpan? NextTime => Count == 0 ? null : _heap[0].Time;

    public void Schedule(TimeSpan time, LinkChannel channel, byte[]? frame, int length)
    {
        if (Count == _heap.Length)
            Array.Resize(ref _heap, _heap.Length * 2);
        var item = new WireEvent(time, _sequence++, channel, frame, length);
        int index = Count++;
        while (index > 0)
        {
            int parent = (index - 1) / 2;
            if (!item.IsBefore(in _heap[parent]))
                break;
            _heap[index] = _heap[parent];
            index = parent;
        }
        _heap[index] = item;
    }

    /// <summary>Removes the earliest event if it is due at or before <paramref name="now"/>.</summary>
    public bool TryDequeueDue(TimeSpan now, out WireEvent item)
    {
        if (Count == 0 || _heap[0].Time > now)
        {
            item = default;
            return false;
        }
        item = _heap[0];
        Count--;
        WireEvent last = _heap[Count];
        _heap[Count] = default;
        if (Count > 0)
            SiftDown(last);
        return true;
    }

    /// <summary>Drops every event, returning frame buffers to the pool.</summary>
    public void Clear()
    {
        for (int i = 0; i < Count; i++)
        {
            if (_heap[i].Frame is { } frame)
                ArrayPool<byte>.Shared.Return(frame);
            _heap[i] = default;
        }
        Count = 0;
    }

    private void SiftDown(WireEvent item)
    {
        int index = 0;
        while (true)
        {
            int child = 2 * index + 1;
            if (child >= Count)
                break;
            if (child + 1 < Count && _heap[child + 1].IsBefore(in _heap[child]))
                child++;
            if (!_heap[child].IsBefore(in item))
                break;
            _heap[index] = _heap[child];
            index = child;
        }
        _heap[index] = item;
    }
}
