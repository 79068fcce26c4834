namespace Seqs.Tcp;

/// <summary>
/// The sender's record of what the peer has selectively acknowledged (RFC 6675 §3, "scoreboard"): disjoint
/// ranges above SND.UNA, lowest first, at most a fixed number of them. It answers the questions loss recovery asks:
/// is this octet SACKed, where does the next hole end, and is a hole lost (RFC 6675 §4, IsLost).
/// </summary>
internal sealed class SackScoreboard(int capacity, SeqNumber una)
{
    private RangeSet _ranges = new(capacity);
    // Ranges are kept as stream positions: _baseOffset is the position of _base, which follows SND.UNA.
    private SeqNumber _base = una;
    private long _baseOffset;

    /// <summary>RFC 6675 §2 DupThresh: three duplicate ACKs, or SACKed data that many segments beyond a hole.</summary>
    public const int DupThresh = 3;

    public int Count => _ranges.Count;

    /// <summary>The highest SACKed sequence number plus one (RFC 6675's "highest octet covered by any SACK"), or null.</summary>
    public SeqNumber? HighestSacked => Count == 0 ? null : SeqAt(_ranges.End(Count - 1));

    /// <summary>
    /// Records one received block and returns the octets it newly SACKs. Blocks that are not strictly between
    /// <paramref name="una"/> and <paramref name="sndMax"/> are ignored (RFC 2018 §3 blocks describe data above the
    /// cumulative ACK; anything else is a D-SACK or bogus). When the table is full, a block that would need a new
    /// range is dropped: the data it covers is retransmitted, which costs time but never correctness.
    /// </summary>
    public int Add(SackBlock block, SeqNumber una, SeqNumber sndMax)
    {
        Advance(una);
        SeqNumber left = SeqNumber.Max(block.Left, una);
        if (block.Right <= left || block.Right > sndMax)
            return 0;
        return (int)Math.Max(0, _ranges.Add(PositionOf(left), PositionOf(block.Right)));
    }

    /// <summary>SND.UNA moved: ranges at or below it are no longer needed.</summary>
    public void Advance(SeqNumber una)
    {
        if (una <= _base)
            return;
        _baseOffset += una - _base;
        _base = una;
        _ranges.RemoveBelow(_baseOffset);
    }

    public void Clear() => _ranges.Clear();

    /// <summary>Empties the scoreboard for a new connection whose SND.UNA is <paramref name="una"/>.</summary>
    public void Reset(SeqNumber una)
    {
        Clear();
        _base = una;
        _baseOffset = 0;
    }

    /// <summary>
    /// Where <paramref name="seq"/> falls: if inside a SACKed range, false and the range's right edge in
    /// <paramref name="edge"/>; otherwise true and the left edge of the next SACKed range above it (the end of its
    /// hole) in <paramref name="edge"/>, or null when nothing above it is SACKed.
    /// </summary>
    public bool IsHole(SeqNumber seq, out SeqNumber? edge)
    {
        long position = PositionOf(seq);
        for (int i = 0; i < Count; i++)
        {
            if (position < _ranges.Start(i))
            {
                edge = SeqAt(_ranges.Start(i));
                return true;
            }
            if (position < _ranges.End(i))
            {
                edge = SeqAt(_ranges.End(i));
                return false;
            }
        }
        edge = null;
        return true;
    }

    /// <summary>
    /// RFC 6675 §4 IsLost(SeqNum): DupThresh discontiguous SACKed ranges lie above it, or more than
    /// (DupThresh - 1) · SMSS octets above it are SACKed.
    /// </summary>
    public bool IsLost(SeqNumber seq, int mss)
    {
        long position = PositionOf(seq);
        int ranges = 0;
        long bytes = 0;
        for (int i = Count - 1; i >= 0 && _ranges.Start(i) > position; i--)
        {
            ranges++;
            bytes += _ranges.End(i) - _ranges.Start(i);
        }
        return ranges >= DupThresh || bytes > (DupThresh - 1) * mss;
    }

    private long PositionOf(SeqNumber seq) => _baseOffset + (seq - _base);

    private SeqNumber SeqAt(long position) => _base + (int)(position - _baseOffset);
}
