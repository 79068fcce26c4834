namespace Seqs.Tcp;

internal sealed partial class TcpControlBlock
{
    /// <summary>
    /// RFC 2018 §4: the SACK blocks the next segment reports, one per out-of-order range held plus a D-SACK block
    /// (RFC 2883 §4) after a duplicate, as many as fit beside the timestamps option (three with it, four without).
    /// </summary>
    private int SackBlocksToSend => _sackPermitted
        ? Math.Min(_receive.OutOfOrderRanges + (_rack?.DuplicateToReport is null ? 0 : 1), _rfc7323.Timestamps ? 3 : SackBlocks.MaxCount)
        : 0;

    /// <summary>The SACK option with its two leading NOPs: 4 + 8 octets per block, or nothing.</summary>
    private static int SackOptionLength(int blocks) => blocks == 0 ? 0 : 4 + 8 * blocks;

    /// <summary>
    /// RFC 2018 §4: "The first SACK block ... MUST specify the contiguous block of data containing the segment which
    /// triggered this ACK"; the other ranges follow, lowest first. RFC 2883 §4: after a duplicate, the first block is
    /// the D-SACK block reporting it, sent once, and when the duplicate lies in a range held above RCV.NXT, that
    /// range comes second.
    /// </summary>
    private SackBlocks BuildSackBlocks()
    {
        var blocks = new SackBlocks();
        int count = SackBlocksToSend;
        if (count == 0)
            return blocks;
        int first = _receive.LatestOutOfOrderRange;
        if (_rack?.DuplicateToReport is SackBlock duplicate)
        {
            _rack.DuplicateToReport = null;
            blocks.TryAdd(duplicate);
            int holding = RangeHolding(duplicate);
            if (holding >= 0)
                first = holding;
        }
        if (first >= 0 && blocks.Count < count)
            blocks.TryAdd(SackBlockFor(first));
        for (int i = 0; i < _receive.OutOfOrderRanges && blocks.Count < count; i++)
        {
            if (i != first)
                blocks.TryAdd(SackBlockFor(i));
        }
        return blocks;
    }

    /// <summary>RFC 2883 §4: octets <paramref name="seq"/> onwards arrived again; the next ACK reports them.</summary>
    private void ReportDuplicate(SeqNumber seq, int length)
    {
        if (_sackPermitted && length > 0)
            Rack.DuplicateToReport = new SackBlock(seq, seq + length);
    }

    /// <summary>A segment above RCV.NXT whose octets are all held already is a duplicate too (RFC 2883 §4.1.2).</summary>
    private void ReportIfHeldAlready(SeqNumber seq, int length)
    {
        if (_sackPermitted && length > 0 && RangeHolding(new SackBlock(seq, seq + length)) >= 0)
            ReportDuplicate(seq, length);
    }

    /// <summary>The out-of-order range that holds all of <paramref name="block"/>, or -1.</summary>
    private int RangeHolding(SackBlock block)
    {
        for (int i = 0; i < _receive.OutOfOrderRanges; i++)
        {
            SackBlock range = SackBlockFor(i);
            if (range.Left <= block.Left && block.Right <= range.Right)
                return i;
        }
        return -1;
    }

    private SackBlock SackBlockFor(int range)
    {
        (long start, long end) = _receive.GetOutOfOrderRange(range);
        return new SackBlock(_rcv.Nxt + (int)(start - _receive.NextOffset), _rcv.Nxt + (int)(end - _receive.NextOffset));
    }
}
