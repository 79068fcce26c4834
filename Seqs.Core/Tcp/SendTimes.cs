namespace Seqs.Tcp;

/// <summary>
/// When each outstanding octet was last sent, which RACK (RFC 8985 §6.1, Segment.xmit_ts) needs: the sequence
/// space from SND.UNA up is cut into runs sent at one time, lowest first. Segments sent in one turn of the loop share
/// a run, and a retransmission gives its range a run of its own. The table holds a fixed number of runs; when it is
/// full, the two neighbours closest in time become one, which keeps the later time: a segment then looks sent later
/// than it was, so RACK finds its loss later (or leaves it to the timeout), never too early.
/// <para>
/// A run is 8 octets: where it ends, and the microsecond it was sent, rounded up and kept modulo 2^32 (71 minutes),
/// read back relative to the latest time recorded, so that a time older than that reads as later, never earlier.
/// </para>
/// <para>
/// RFC 8985 §6.2 RACK_sent_after orders segments sent at one time by sequence number, which holds for data sent in
/// sequence order. A retransmission sent in the same microsecond as data above it (a zero RTT, in the same turn of
/// the loop) would then look sent before that data: once the data is delivered, lost again the moment it left, sent
/// again, and so on without end. So the recorded times never go back, and a retransmission recorded in the
/// microsecond of the latest time takes the next one: the times order every transmission.
/// </para>
/// A value kept inside <see cref="RackTlp"/>, so that it costs its array and no object of its own; used by reference.
/// </summary>
internal struct SendTimes
{
    /// <summary>Runs kept: a few more than the bursts of one round trip that recovery tells apart.</summary>
    public const int Capacity = 16;

    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    // Each run: its end in the high 32 bits, the low 32 bits of the microsecond it was sent in the low ones.
    private readonly ulong[] _runs;
    private SeqNumber _start;
    private int _count;
    private long _latestMicroseconds;

    public SendTimes() => _runs = new ulong[Capacity];

    /// <summary>Forgets every run; the next one starts where it is sent.</summary>
    public void Clear()
    {
        _count = 0;
        _start = default;
        _latestMicroseconds = 0;
    }

    /// <summary>Octets <paramref name="start"/> to <paramref name="end"/> were sent at <paramref name="at"/>.</summary>
    public void Record(SeqNumber start, SeqNumber end, TimeSpan at)
    {
        if (end <= start)
            return;
        long microseconds = Math.Max((at.Ticks + TicksPerMicrosecond - 1) / TicksPerMicrosecond, _latestMicroseconds);
        if (_count > 0 && start < End(_count - 1) && microseconds == _latestMicroseconds)
            microseconds++;
        _latestMicroseconds = microseconds;
        if (_count == 0)
        {
            _start = start;
            Append(end, microseconds);
            return;
        }
        SeqNumber last = End(_count - 1);
        if (end > last)
        {
            // New data, right after what was sent (data sent after a gap, none of which is left in this stack, joins
            // too), or the part of a retransmission that reaches past it.
            if (SentAt(_count - 1) == microseconds)
                _runs[_count - 1] = Run(end, microseconds);
            else
                Append(end, microseconds);
            if (start >= last)
                return;
            end = last;
        }
        Overwrite(SeqNumber.Max(start, _start), end, microseconds);
    }

    /// <summary>SND.UNA moved: the runs below it go.</summary>
    public void Advance(SeqNumber una)
    {
        if (_count == 0 || una <= _start)
            return;
        int drop = 0;
        while (drop < _count && End(drop) <= una)
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
                if (seq < End(i))
                {
                    at = Time(SentAt(i));
                    runEnd = End(i);
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
        latestEnd = default;
        long latest = 0;
        bool found = false;
        SeqNumber runStart = _start;
        for (int i = 0; i < _count && runStart < end; i++)
        {
            if (End(i) > start && (!found || SentAt(i) >= latest))
            {
                latest = SentAt(i);
                latestEnd = SeqNumber.Min(End(i), end);
                found = true;
            }
            runStart = End(i);
        }
        at = Time(latest);
        return found;
    }

    /// <summary>The runs held, lowest in sequence first.</summary>
    public int Count => _count;

    /// <summary>Where run <paramref name="i"/> starts: SND.UNA for the first, else where the one before it ends.</summary>
    public SeqNumber RunStart(int i) => i == 0 ? _start : End(i - 1);

    /// <summary>Where run <paramref name="i"/> ends.</summary>
    public SeqNumber RunEnd(int i) => End(i);

    /// <summary>When run <paramref name="i"/> was sent.</summary>
    public TimeSpan RunSentAt(int i) => Time(SentAt(i));

    private static ulong Run(SeqNumber end, long microseconds) => ((ulong)end.Value << 32) | (uint)microseconds;

    private SeqNumber End(int i) => new((uint)(_runs[i] >> 32));

    /// <summary>The microsecond run <paramref name="i"/> was sent, unwrapped against the latest time recorded.</summary>
    private long SentAt(int i) => _latestMicroseconds - (uint)((uint)_latestMicroseconds - (uint)_runs[i]);

    private static TimeSpan Time(long microseconds) => new(microseconds * TicksPerMicrosecond);

    private void Overwrite(SeqNumber start, SeqNumber end, long microseconds)
    {
        // Two splits may add two runs: make room first.
        while (_count > Capacity - 2)
            MergeClosest();
        int first = Split(start);
        int last = Split(end) - 1;
        if (last < first)
            return;
        Remove(first, last - first);
        _runs[first] = Run(End(first), microseconds);
        if (first + 1 < _count && SentAt(first + 1) == microseconds)
            Remove(first, 1);
        if (first > 0 && SentAt(first - 1) == microseconds)
            Remove(first - 1, 1);
    }

    /// <summary>Makes <paramref name="seq"/> the start of a run; returns that run's index (or the count, at the end).</summary>
    private int Split(SeqNumber seq)
    {
        if (seq <= _start)
            return 0;
        for (int i = 0; i < _count; i++)
        {
            if (seq == End(i))
                return i + 1;
            if (seq < End(i))
            {
                Array.Copy(_runs, i, _runs, i + 1, _count - i);
                _count++;
                _runs[i] = Run(seq, SentAt(i + 1));
                return i + 1;
            }
        }
        return _count;
    }

    private void Append(SeqNumber end, long microseconds)
    {
        if (_count == Capacity)
            MergeClosest();
        _runs[_count++] = Run(end, microseconds);
    }

    /// <summary>Joins the two neighbouring runs sent closest in time, keeping the later time.</summary>
    private void MergeClosest()
    {
        int best = 0;
        long bestGap = long.MaxValue;
        for (int i = 0; i + 1 < _count; i++)
        {
            long gap = Math.Abs(SentAt(i + 1) - SentAt(i));
            if (gap < bestGap)
            {
                bestGap = gap;
                best = i;
            }
        }
        _runs[best + 1] = Run(End(best + 1), Math.Max(SentAt(best), SentAt(best + 1)));
        Remove(best, 1);
    }

    /// <summary>Removes <paramref name="n"/> runs from <paramref name="index"/>; the run after them takes their octets.</summary>
    private void Remove(int index, int n)
    {
        if (n <= 0)
            return;
        Array.Copy(_runs, index + n, _runs, index, _count - index - n);
        _count -= n;
    }
}
