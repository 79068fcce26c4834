namespace Seqs.Drivers.Cyw43;

/// <summary>
/// Frames waiting, oldest first, in preallocated slots, so that queuing a frame allocates nothing: the F2 frames the
/// emulated chip holds for the host (2048-byte slots: embassy runner.rs rx; docs/reference/cyw43439.md#receive), and
/// the Ethernet frames the driver read while it waited for something else. Not thread-safe: its owner's lock guards it.
/// </summary>
internal sealed class FrameQueue
{
    private readonly byte[][] _slots;
    private readonly int[] _lengths;
    private int _head;

    public FrameQueue(int capacity, int slotSize)
    {
        _slots = new byte[capacity][];
        for (int i = 0; i < capacity; i++)
            _slots[i] = new byte[slotSize];
        _lengths = new int[capacity];
        SlotSize = slotSize;
    }

    public int SlotSize { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == _slots.Length;

    /// <summary>The length of the oldest frame; 0 when empty.</summary>
    public int HeadLength => Count == 0 ? 0 : _lengths[_head];

    /// <summary>The next free slot, cleared; <see cref="Commit"/> queues what was written there. Check <see cref="IsFull"/> first.</summary>
    public Span<byte> Reserve()
    {
        Span<byte> slot = _slots[(_head + Count) % _slots.Length];
        slot.Clear();
        return slot;
    }

    public void Commit(int length)
    {
        _lengths[(_head + Count) % _slots.Length] = length;
        Count++;
    }

    /// <summary>Copies the oldest frame into <paramref name="destination"/> (as much as fits), removes it and returns its length.</summary>
    public int Dequeue(Span<byte> destination)
    {
        ReadOnlySpan<byte> frame = _slots[_head].AsSpan(0, _lengths[_head]);
        frame[..Math.Min(frame.Length, destination.Length)].CopyTo(destination);
        DropHead();
        return frame.Length;
    }

    /// <summary>Queues a copy of <paramref name="frame"/>; false when full.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> frame)
    {
        if (IsFull)
            return false;
        frame.CopyTo(_slots[(_head + Count) % _slots.Length]);
        Commit(frame.Length);
        return true;
    }

    public void DropHead()
    {
        _head = (_head + 1) % _slots.Length;
        Count--;
    }

    public void Clear()
    {
        _head = 0;
        Count = 0;
    }
}
