namespace Seqs.Tcp;

internal sealed partial class TcpControlBlock
{
    /// <summary>
    /// RFC 2018 §4: the SACK blocks the next segment reports, one per out-of-order range held, as many as fit beside
    /// the timestamps option (three with it, four without).
    /// </summary>
    private int SackBlocksToSend => _sackPermitted ? Math.Min(_receive.OutOfOrderRanges, _rfc7323.Timestamps ? 3 : SackBlocks.MaxCount) : 0;

    /// <summary>The SACK option with its two leading NOPs: 4 + 8 octets per block, or nothing.</summary>
    private static int SackOptionLength(int blocks) => blocks == 0 ? 0 : 4 + 8 * blocks;

    /// <summary>
    /// RFC 2018 §4: "The first SACK block ... MUST specify the contiguous block of data containing the segment which
    /// triggered this ACK"; the other ranges follow, lowest first.
    /// </summary>
    private SackBlocks BuildSackBlocks()
    {
        var blocks = new SackBlocks();
        int count = SackBlocksToSend;
        if (count == 0)
            return blocks;
        int latest = _receive.LatestOutOfOrderRange;
        if (latest >= 0)
            blocks.TryAdd(SackBlockFor(latest));
        for (int i = 0; i < _receive.OutOfOrderRanges && blocks.Count < count; i++)
        {
            if (i != latest)
                blocks.TryAdd(SackBlockFor(i));
        }
        return blocks;
    }

    private SackBlock SackBlockFor(int range)
    {
        (long start, long end) = _receive.GetOutOfOrderRange(range);
        return new SackBlock(_rcv.Nxt + (int)(start - _receive.NextOffset), _rcv.Nxt + (int)(end - _receive.NextOffset));
    }
}
