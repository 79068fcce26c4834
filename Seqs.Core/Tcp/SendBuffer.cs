namespace Seqs.Tcp;

/// <summary>
/// The bytes a connection has accepted from the application and not yet had acknowledged: a ring whose head is
/// the oldest unacknowledged byte (SND.UNA's data), so retransmission reads from it and an ACK frees it
/// (RFC 9293 §3.8.1: data is kept until acknowledged). The ring comes from the stack's <see cref="RingPool"/> and
/// goes back by <see cref="Release"/>, so that short connections one after another reuse the same memory. A mutable
/// struct kept in a field of the control block, to save an object.
/// </summary>
internal struct SendBuffer(int capacity, RingPool rings)
{
    private byte[] _ring = rings.Rent(capacity);
    private int _start;

    public readonly int Capacity => capacity;

    /// <summary>Bytes held: unacknowledged ones, sent or not.</summary>
    public int Count { get; private set; }

    public readonly int Free => capacity - Count;

    public int Write(ReadOnlySpan<byte> data)
    {
        int n = Math.Min(data.Length, Free);
        int tail = (_start + Count) % capacity;
        int first = Math.Min(n, capacity - tail);
        data[..first].CopyTo(_ring.AsSpan(tail));
        data[first..n].CopyTo(_ring);
        Count += n;
        return n;
    }

    /// <summary>Copies <paramref name="destination"/>.Length bytes starting <paramref name="offset"/> bytes after the head.</summary>
    public readonly void CopyTo(int offset, Span<byte> destination)
    {
        int from = (_start + offset) % capacity;
        int first = Math.Min(destination.Length, capacity - from);
        _ring.AsSpan(from, first).CopyTo(destination);
        _ring.AsSpan(0, destination.Length - first).CopyTo(destination[first..]);
    }

    /// <summary>Frees the oldest <paramref name="count"/> bytes, now acknowledged.</summary>
    public void Discard(int count)
    {
        count = Math.Min(count, Count);
        _start = (_start + count) % capacity;
        Count -= count;
        if (Count == 0)
            _start = 0;
    }

    /// <summary>Gives the ring back to the pool; the buffer must not be used again.</summary>
    public void Release(RingPool rings)
    {
        rings.Return(_ring);
        _ring = [];
        Count = 0;
    }
}
