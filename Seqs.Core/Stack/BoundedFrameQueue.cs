using Seqs.Wire;

namespace Seqs.Stack;

/// <summary>
/// A FIFO of whole frames in preallocated slots, each tagged with an address (the next hop a frame waits for,
/// or none) and with the segment size of a large TCP segment the NIC is to cut up (0 for a plain frame). Buffers are allocated on first use and then reused, so a warm queue allocates nothing; when all
/// slots are taken, <see cref="TryEnqueue"/> refuses and the caller counts the drop.
/// </summary>
internal sealed class BoundedFrameQueue
{
    private readonly byte[]?[] _buffers;
    private readonly int[] _lengths;
    private readonly Ipv4Address[] _tags;
    // Made when the first large segment is queued: only a NIC with segmentation offload gets any.
    private int[]? _segmentSizes;
    private readonly int _frameSize;
    private int _head;

    public BoundedFrameQueue(int capacity, int frameSize)
    {
        _buffers = new byte[capacity][];
        _lengths = new int[capacity];
        _tags = new Ipv4Address[capacity];
        _frameSize = frameSize;
    }

    public int Count { get; private set; }

    public bool TryEnqueue(ReadOnlySpan<byte> frame, Ipv4Address tag = default, int segmentSize = 0)
    {
        if (Count == _buffers.Length || frame.Length > _frameSize)
            return false;
        int slot = (_head + Count) % _buffers.Length;
        byte[] buffer = _buffers[slot] ??= new byte[_frameSize];
        frame.CopyTo(buffer);
        _lengths[slot] = frame.Length;
        _tags[slot] = tag;
        if (segmentSize != 0 || _segmentSizes is not null)
            (_segmentSizes ??= new int[_buffers.Length])[slot] = segmentSize;
        Count++;
        return true;
    }

    /// <summary>The oldest frame; valid until the next change to the queue.</summary>
    public Span<byte> PeekHead() => Count == 0 ? default : _buffers[_head].AsSpan(0, _lengths[_head]);

    /// <summary>The segment size the oldest frame was queued with; 0 for a plain frame or an empty queue.</summary>
    public int HeadSegmentSize => Count == 0 || _segmentSizes is null ? 0 : _segmentSizes[_head];

    public void DequeueHead()
    {
        if (Count == 0)
            return;
        _head = (_head + 1) % _buffers.Length;
        Count--;
    }

    /// <summary>
    /// Finds the oldest frame with <paramref name="tag"/>, copies it into <paramref name="destination"/> and removes
    /// it, keeping the order of the others. Returns its length, or 0 when there is none, and the segment size it was
    /// queued with.
    /// </summary>
    public int TakeFirst(Ipv4Address tag, Span<byte> destination, out int segmentSize)
    {
        segmentSize = 0;
        for (int i = 0; i < Count; i++)
        {
            int slot = (_head + i) % _buffers.Length;
            if (_tags[slot] != tag)
                continue;
            int length = _lengths[slot];
            segmentSize = _segmentSizes?[slot] ?? 0;
            _buffers[slot].AsSpan(0, length).CopyTo(destination);
            RemoveAt(i);
            return length;
        }
        return 0;
    }

    /// <summary>Removes every frame with <paramref name="tag"/>; returns how many.</summary>
    public int RemoveAll(Ipv4Address tag)
    {
        int removed = 0;
        for (int i = 0; i < Count;)
        {
            if (_tags[(_head + i) % _buffers.Length] == tag)
            {
                RemoveAt(i);
                removed++;
            }
            else
            {
                i++;
            }
        }
        return removed;
    }

    public void Clear()
    {
        _head = 0;
        Count = 0;
    }

    private void RemoveAt(int position)
    {
        // Shift the later frames one slot towards the head, swapping buffers so none is lost.
        for (int i = position; i < Count - 1; i++)
        {
            int slot = (_head + i) % _buffers.Length;
            int next = (_head + i + 1) % _buffers.Length;
            (_buffers[slot], _buffers[next]) = (_buffers[next], _buffers[slot]);
            _lengths[slot] = _lengths[next];
            _tags[slot] = _tags[next];
            if (_segmentSizes is not null)
                _segmentSizes[slot] = _segmentSizes[next];
        }
        Count--;
    }
}
