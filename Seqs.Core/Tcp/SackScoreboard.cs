namespace Seqs.Tcp;

/// <summary>
/// The sender's record of what the peer has selectively acknowledged (RFC 6675 §3, "scoreboard"): disjoint
/// ranges above SND.UNA, lowest first, at most a fixed number of them. It answers the questions loss recovery asks:
/// is this octet SACKed, where does the next hole end, and is a hole lost (RFC 6675 §4, IsLost).
/// </summary>
internal sealed class SackScoreboard(int capacity)
{
    private readonly SeqNumber[] _left = new SeqNumber[capacity];
    private readonly SeqNumber[] _right = new SeqNumber[capacity];

    /// <summary>RFC 6675 §2 DupThresh: three duplicate ACKs, or SACKed data that many segments beyond a hole.</summary>
    public const int DupThresh = 3;

    public int Count { get; private set; }

    /// <summary>Octets SACKed above SND.UNA.</summary>
    public int SackedBytes { get; private set; }

    /// <summary>The highest SACKed sequence number plus one (RFC 6675's "highest octet covered by any SACK"), or null.</summary>
    public SeqNumber? HighestSacked => Count == 0 ? null : _right[Count - 1];

    /// <summary>
    /// Records one received block and returns the octets it newly SACKs. Blocks that are not strictly between
    /// <paramref name="una"/> and <paramref name="sndMax"/> are ignored (RFC 2018 §3 blocks describe data above the
    /// cumulative ACK; anything else is a D-SACK or bogus). When the table is full, a block that would need a new
    /// range is dropped: the data it covers is retransmitted, which costs time but never correctness.
    /// </summary>
    public int Add(SackBlock block, SeqNumber una, SeqNumber sndMax)
    {
        SeqNumber left = SeqNumber.Max(block.Left, una);
        SeqNumber right = block.Right;
        if (right <= left || right > sndMax)
            return 0;
        int i = 0;
        while (i < Count && _right[i] < left)
            i++;
        int j = i;
        int covered = 0;
        while (j < Count && _left[j] <= right)
        {
            covered += _right[j] - _left[j];
            left = SeqNumber.Min(left, _left[j]);
            right = SeqNumber.Max(right, _right[j]);
            j++;
        }
        int merged = j - i;
        if (merged == 0 && Count == _left.Length)
            return 0;
        int shift = 1 - merged;
        if (shift != 0)
        {
            Array.Copy(_left, j, _left, j + shift, Count - j);
            Array.Copy(_right, j, _right, j + shift, Count - j);
        }
        _left[i] = left;
        _right[i] = right;
        Count += shift;
        int added = right - left - covered;
        SackedBytes += added;
        return added;
    }

    /// <summary>SND.UNA moved: ranges at or below it are no longer needed.</summary>
    public void Advance(SeqNumber una)
    {
        int drop = 0;
        while (drop < Count && _right[drop] <= una)
        {
            SackedBytes -= _right[drop] - _left[drop];
            drop++;
        }
        if (drop > 0)
        {
            Array.Copy(_left, drop, _left, 0, Count - drop);
            Array.Copy(_right, drop, _right, 0, Count - drop);
            Count -= drop;
        }
        if (Count > 0 && _left[0] < una)
        {
            SackedBytes -= una - _left[0];
            _left[0] = una;
        }
    }

    public void Clear()
    {
        Count = 0;
        SackedBytes = 0;
    }

    /// <summary>
    /// Where <paramref name="seq"/> falls: if inside a SACKed range, false and the range's right edge in
    /// <paramref name="edge"/>; otherwise true and the left edge of the next SACKed range above it (the end of its
    /// hole) in <paramref name="edge"/>, or null when nothing above it is SACKed.
    /// </summary>
    public bool IsHole(SeqNumber seq, out SeqNumber? edge)
    {
        for (int i = 0; i < Count; i++)
        {
            if (seq < _left[i])
            {
                edge = _left[i];
                return true;
            }
            if (seq < _right[i])
            {
                edge = _right[i];
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
        int ranges = 0;
        int bytes = 0;
        for (int i = Count - 1; i >= 0 && _left[i] > seq; i--)
        {
            ranges++;
            bytes += _right[i] - _left[i];
        }
        return ranges >= DupThresh || bytes > (DupThresh - 1) * mss;
    }

    /// <summary>
    /// RFC 6675 §4 SetPipe: the octets in flight between <paramref name="una"/> and <paramref name="sndMax"/>. An
    /// unSACKed octet counts once unless it is deemed lost, and once more if it was retransmitted (below
    /// <paramref name="highRxt"/>).
    /// </summary>
    public int Pipe(SeqNumber una, SeqNumber sndMax, SeqNumber highRxt, int mss)
    {
        int pipe = 0;
        SeqNumber holeStart = una;
        for (int i = 0; i <= Count; i++)
        {
            SeqNumber holeEnd = i < Count ? _left[i] : sndMax;
            if (holeEnd > holeStart)
            {
                int length = holeEnd - holeStart;
                int retransmitted = Math.Max(0, Math.Min(length, highRxt - holeStart));
                pipe += retransmitted + (i < Count && IsLost(holeStart, mss) ? 0 : length);
            }
            if (i < Count)
                holeStart = _right[i];
        }
        return pipe;
    }
}
