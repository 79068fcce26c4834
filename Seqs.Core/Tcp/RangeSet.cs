namespace Seqs.Tcp;

/// <summary>
/// A bounded set of disjoint, non-touching ranges [start, end) of stream positions, lowest first: what a receiver
/// holds out of order, or what a sender knows the peer SACKed. Adding merges with every range it overlaps or
/// touches; a range that would need a slot when all are taken is refused.
/// </summary>
internal sealed class RangeSet(int capacity)
{
    private readonly long[] _starts = new long[capacity];
    private readonly long[] _ends = new long[capacity];

    public int Count { get; private set; }

    public long Start(int index) => _starts[index];

    public long End(int index) => _ends[index];

    /// <summary>Adds [start, end) and returns how many positions were not in the set before, or -1 if refused.</summary>
    public long Add(long start, long end)
    {
        int i = 0;
        while (i < Count && _ends[i] < start)
            i++;
        int j = i;
        long covered = 0;
        while (j < Count && _starts[j] <= end)
        {
            covered += _ends[j] - _starts[j];
            start = Math.Min(start, _starts[j]);
            end = Math.Max(end, _ends[j]);
            j++;
        }
        int merged = j - i;
        if (merged == 0 && Count == _starts.Length)
            return -1;
        int shift = 1 - merged;
        if (shift != 0)
        {
            Array.Copy(_starts, j, _starts, j + shift, Count - j);
            Array.Copy(_ends, j, _ends, j + shift, Count - j);
        }
        _starts[i] = start;
        _ends[i] = end;
        Count += shift;
        return end - start - covered;
    }

    /// <summary>Forgets every position below <paramref name="position"/>.</summary>
    public void RemoveBelow(long position)
    {
        int drop = 0;
        while (drop < Count && _ends[drop] <= position)
            drop++;
        if (drop > 0)
        {
            Array.Copy(_starts, drop, _starts, 0, Count - drop);
            Array.Copy(_ends, drop, _ends, 0, Count - drop);
            Count -= drop;
        }
        if (Count > 0 && _starts[0] < position)
            _starts[0] = position;
    }

    public void Clear() => Count = 0;
}
