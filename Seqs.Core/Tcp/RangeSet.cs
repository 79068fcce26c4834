namespace Seqs.Tcp;

/// <summary>
/// A bounded set of disjoint, non-touching ranges [start, end) of stream positions, lowest first: what a receiver
/// holds out of order, or what a sender knows the peer SACKed. Adding merges with every range it overlaps or
/// touches; a range that would need a slot when all are taken is refused. A mutable struct kept in a field of its
/// owner, to save an object: its table (start and end of each range, side by side) is made when the first range is
/// added, so a connection that never sees loss never pays for it, and is kept when the owner is reused.
/// </summary>
internal struct RangeSet(int capacity)
{
    private long[]? _bounds;
    private int _capacity = capacity;

    public int Count { get; private set; }

    public readonly long Start(int index) => _bounds![2 * index];

    public readonly long End(int index) => _bounds![2 * index + 1];

    /// <summary>Adds [start, end) and returns how many positions were not in the set before, or -1 if refused.</summary>
    public long Add(long start, long end)
    {
        long[] bounds = _bounds ??= new long[2 * _capacity];
        int i = 0;
        while (i < Count && bounds[2 * i + 1] < start)
            i++;
        int j = i;
        long covered = 0;
        while (j < Count && bounds[2 * j] <= end)
        {
            covered += bounds[2 * j + 1] - bounds[2 * j];
            start = Math.Min(start, bounds[2 * j]);
            end = Math.Max(end, bounds[2 * j + 1]);
            j++;
        }
        int merged = j - i;
        if (merged == 0 && Count == _capacity)
            return -1;
        int shift = 1 - merged;
        if (shift != 0)
            Array.Copy(bounds, 2 * j, bounds, 2 * (j + shift), 2 * (Count - j));
        bounds[2 * i] = start;
        bounds[2 * i + 1] = end;
        Count += shift;
        return end - start - covered;
    }

    /// <summary>Forgets every position below <paramref name="position"/>.</summary>
    public void RemoveBelow(long position)
    {
        int drop = 0;
        while (drop < Count && End(drop) <= position)
            drop++;
        if (drop > 0)
        {
            Array.Copy(_bounds!, 2 * drop, _bounds!, 0, 2 * (Count - drop));
            Count -= drop;
        }
        if (Count > 0 && _bounds![0] < position)
            _bounds[0] = position;
    }

    public void Clear() => Count = 0;

    /// <summary>Empties the set for a new owner with room for <paramref name="ranges"/>; the table is kept when it fits.</summary>
    public void Reset(int ranges)
    {
        Count = 0;
        if (ranges != _capacity)
        {
            _capacity = ranges;
            _bounds = null;
        }
    }
}
