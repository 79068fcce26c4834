namespace Seqs.Tcp;

/// <summary>
/// When each outstanding octet was last sent, which RACK (RFC 8985 §6.1, Segment.xmit_ts) needs: the sequence
/// space from SND.UNA up is cut into runs sent at one time, lowest first. Segments sent in one turn of the loop share
/// a run, and a retransmission gives its range a run of its own. The table holds a fixed number of runs; when it is
/// full, the two neighbours closest in time become one, which keeps the later time: a segment then looks sent later
/// than it was, so RACK finds its loss later (or leaves it to the timeout), never too early.
/// <para>
/// RFC 8985 §6.2 RACK_sent_after orders segments sent at one time by sequence number, which holds for data sent in
/// sequence order. A retransmission sent in the same clock tick as data above it (a zero RTT, in the same turn of the
/// loop) would then look sent before that data: once the data is delivered, lost again the moment it left, sent
/// again, and so on without end. So the recorded times never go back, and a retransmission recorded in the tick of
/// the latest time takes the next tick: the times order every transmission, at the cost of one tick (100 ns).
/// </para>
/// </summary>
internal sealed class SendTimes
{
    /// <summary>Runs kept: a few more than the bursts of one round trip that recovery tells apart.</summary>
    public const int Capacity = 16;

    private readonly SeqNumber[] _ends = new SeqNumber[Capacity];
    private readonly long[] _ticks = new long[Capacity];
    private SeqNumber _start;
    private int _count;
    private long _latestTicks;

    /// <summary>Forgets every run; the next one starts where it is sent.</summary>
    public void Clear()
    {
        _count = 0;
        _start = default;
        _latestTicks = 0;
    }

    /// <summary>Octets <paramref name="start"/> to <paramref name="end"/> were sent at <paramref name="at"/>.</summary>
    public void Record(SeqNumber start, SeqNumber end, TimeSpan at)
    {
        if (end <= start)
            return;
        long ticks = Math.Max(at.Ticks, _latestTicks);
        if (_count > 0 && start < _ends[_count - 1] && ticks == _latestTicks)
            ticks++;
        _latestTicks = ticks;
        if (_count == 0)
        {
            _start = start;
            Append(end, ticks);
            return;
        }
        SeqNumber last = _ends[_count - 1];
        if (end > last)
        {
            // New data, right after what was sent (data sent after a gap, none of which is left in this stack, joins
            // too), or the part of a retransmission that reaches past it.
            if (_ticks[_count - 1] == ticks)
                _ends[_count - 1] = end;
            else
                Append(end, ticks);
            if (start >= last)
                return;
            end = last;
        }
        Overwrite(SeqNumber.Max(start, _start), end, ticks);
    }

    /// <summary>SND.UNA moved: the runs below it go.</summary>
    public void Advance(SeqNumber una)
    {
        if (_count == 0 || una <= _start)
            return;
        int drop = 0;
        while (drop < _count && _ends[drop] <= una)
            drop++;
        Remove(0, drop);
        _start = una;
    }

    /// <summary>
    /// When <paramref name="seq"/> was last sent, and where its run ends (RACK's tie-break for segments sent at one
    /// time, RFC 8985 §6.2 RACK_sent_after); false when it is not in the table.
    /// </summary>
    public bool TryGet(SeqNumber seq, out TimeSpan at, out SeqNumber runEnd)
    {
        if (_count > 0 && seq >= _start)
        {
            for (int i = 0; i < _count; i++)
            {
                if (seq < _ends[i])
                {
                    at = new TimeSpan(_ticks[i]);
                    runEnd = _ends[i];
                    return true;
                }
            }
        }
        at = default;
        runEnd = default;
        return false;
    }

    /// <summary>
    /// The latest send time of the octets <paramref name="start"/> to <paramref name="end"/>, with the end of the
    /// part sent then (the most recently sent segment among them, RFC 8985 §6.2 step 2); false when none is here.
    /// </summary>
    public bool TryGetLatest(SeqNumber start, SeqNumber end, out TimeSpan at, out SeqNumber latestEnd)
    {
        at = default;
        latestEnd = default;
        bool found = false;
        SeqNumber runStart = _start;
        for (int i = 0; i < _count && runStart < end; i++)
        {
            if (_ends[i] > start && (!found || _ticks[i] >= at.Ticks))
            {
                at = new TimeSpan(_ticks[i]);
                latestEnd = SeqNumber.Min(_ends[i], end);
                found = true;
            }
            runStart = _ends[i];
        }
        return found;
    }

    private void Overwrite(SeqNumber start, SeqNumber end, long ticks)
    {
        // Two splits may add two runs: make room first.
        while (_count > Capacity - 2)
            MergeClosest();
        int first = Split(start);
        int last = Split(end) - 1;
        if (last < first)
            return;
        Remove(first, last - first);
        _ticks[first] = ticks;
        if (first + 1 < _count && _ticks[first + 1] == ticks)
            Remove(first, 1);
        if (first > 0 && _ticks[first - 1] == ticks)
            Remove(first - 1, 1);
    }

    /// <summary>Makes <paramref name="seq"/> the start of a run; returns that run's index (or the count, at the end).</summary>
    private int Split(SeqNumber seq)
    {
        if (seq <= _start)
            return 0;
        for (int i = 0; i < _count; i++)
        {
            if (seq == _ends[i])
                return i + 1;
            if (seq < _ends[i])
            {
                Array.Copy(_ends, i, _ends, i + 1, _count - i);
                Array.Copy(_ticks, i, _ticks, i + 1, _count - i);
                _count++;
                _ends[i] = seq;
                return i + 1;
            }
        }
        return _count;
    }

    private void Append(SeqNumber end, long ticks)
    {
        if (_count == Capacity)
            MergeClosest();
        _ends[_count] = end;
        _ticks[_count] = ticks;
        _count++;
    }

    /// <summary>Joins the two neighbouring runs sent closest in time, keeping the later time.</summary>
    private void MergeClosest()
    {
        int best = 0;
        long bestGap = long.MaxValue;
        for (int i = 0; i + 1 < _count; i++)
        {
            long gap = Math.Abs(_ticks[i + 1] - _ticks[i]);
            if (gap < bestGap)
            {
                bestGap = gap;
                best = i;
            }
        }
        _ticks[best + 1] = Math.Max(_ticks[best], _ticks[best + 1]);
        Remove(best, 1);
    }

    /// <summary>Removes <paramref name="n"/> runs from <paramref name="index"/>; the run after them takes their octets.</summary>
    private void Remove(int index, int n)
    {
        if (n <= 0)
            return;
        Array.Copy(_ends, index + n, _ends, index, _count - index - n);
        Array.Copy(_ticks, index + n, _ticks, index, _count - index - n);
        _count -= n;
    }
}
