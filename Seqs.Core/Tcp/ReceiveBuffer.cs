namespace Seqs.Tcp;

/// <summary>
/// The bytes received and not yet read by the application, with out-of-order data held in place until the gap
/// before it fills. Positions are stream offsets (octets since the first data byte). At most
/// <c>maxRanges</c> disjoint out-of-order ranges are kept; a segment that would need more is dropped, and
/// the peer retransmits it. The ring comes from the stack's <see cref="RingPool"/> and goes back by
/// <see cref="Release"/>. A mutable struct kept in a field of the control block, to save an object.
/// </summary>
internal struct ReceiveBuffer
{
    private int _capacity;
    private byte[] _ring;
    private RangeSet _ranges;
    private long _readOffset;
    private long _latestOutOfOrder;

    public readonly int Capacity => _capacity;

    /// <summary>
    /// Starts over for a new connection: an empty stream in a ring rented for <paramref name="capacity"/> bytes. The
    /// previous ring must have been released; the out-of-order range table is kept when it is the same size.
    /// </summary>
    public void Open(int capacity, int maxRanges, RingPool rings)
    {
        _capacity = capacity;
        _ring = rings.Rent(capacity);
        _ranges.Reset(maxRanges);
        _readOffset = 0;
        _latestOutOfOrder = -1;
        NextOffset = 0;
    }

    /// <summary>The stream offset of RCV.NXT: everything before it has arrived.</summary>
    public long NextOffset { get; private set; }

    /// <summary>In-order bytes waiting for the application.</summary>
    public readonly int Readable => (int)(NextOffset - _readOffset);

    /// <summary>RCV.WND: room left after the bytes not yet read (RFC 9293 §3.8.6.2 offers what the buffer can take).</summary>
    public readonly int Window => _capacity - Readable;

    public readonly int OutOfOrderRanges => _ranges.Count;

    /// <summary>
    /// Stores <paramref name="data"/> at stream offset <paramref name="offset"/> (≥ <see cref="NextOffset"/>, ending
    /// within the window) and returns how far <see cref="NextOffset"/> advanced. Returns -1 when the data is out of
    /// order and no range is left to remember it.
    /// </summary>
    public int Accept(long offset, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return 0;
        long end = offset + data.Length;
        if (offset > NextOffset)
        {
            if (_ranges.Add(offset, end) < 0)
                return -1;
            _latestOutOfOrder = offset;
        }
        int from = (int)(offset % _capacity);
        int first = Math.Min(data.Length, _capacity - from);
        data[..first].CopyTo(_ring.AsSpan(from));
        data[first..].CopyTo(_ring);
        long before = NextOffset;
        if (offset <= NextOffset)
            NextOffset = Math.Max(NextOffset, end);
        // Ranges that the new data reaches or overlaps now join the in-order bytes.
        while (_ranges.Count > 0 && _ranges.Start(0) <= NextOffset)
        {
            NextOffset = Math.Max(NextOffset, _ranges.End(0));
            _ranges.RemoveBelow(_ranges.End(0));
        }
        return (int)(NextOffset - before);
    }

    /// <summary>The <paramref name="index"/>th out-of-order range, lowest first, as stream offsets.</summary>
    public readonly (long Start, long End) GetOutOfOrderRange(int index) => (_ranges.Start(index), _ranges.End(index));

    /// <summary>
    /// The index of the out-of-order range that holds the most recently arrived out-of-order data (the first SACK
    /// block, RFC 2018 §4), or -1 when that data has since joined the in-order bytes.
    /// </summary>
    public readonly int LatestOutOfOrderRange
    {
        get
        {
            for (int i = 0; i < _ranges.Count; i++)
            {
                if (_ranges.Start(i) <= _latestOutOfOrder && _latestOutOfOrder < _ranges.End(i))
                    return i;
            }
            return -1;
        }
    }

    public int Read(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, Readable);
        int from = (int)(_readOffset % _capacity);
        int first = Math.Min(n, _capacity - from);
        _ring.AsSpan(from, first).CopyTo(destination);
        _ring.AsSpan(0, n - first).CopyTo(destination[first..n]);
        _readOffset += n;
        return n;
    }

    /// <summary>
    /// Gives the ring back to the pool once the application will read no more; the window stays as it was, so a
    /// connection lingering in TIME-WAIT still answers correctly.
    /// </summary>
    public void Release(RingPool rings)
    {
        rings.Return(_ring);
        _ring = [];
        _readOffset = NextOffset;
    }
}
