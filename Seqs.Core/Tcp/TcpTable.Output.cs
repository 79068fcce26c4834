using Seqs.Wire;

namespace Seqs.Tcp;

public sealed partial class TcpTable
{
    /// <summary>RFC 9293 §3.10.7: a reset for a segment that no connection takes, counted.</summary>
    internal void SendReset(Ipv4EndPoint local, Ipv4EndPoint remote, in Segment reset)
    {
        Counters.ResetsSent++;
        Send(local, remote, reset);
    }

    /// <summary>
    /// Writes the TCP header and its options in front of the payload already in place, and hands the segment to the
    /// IPv4 layer. Data segments' options are exactly <see cref="TcpControlBlock.DataOptionsLength"/> octets, the
    /// room <see cref="SendPending"/> left before the payload. A segment with more data than
    /// <paramref name="segmentSize"/> (a connection's MSS less those options) goes to the NIC to cut into segments of
    /// that size, each checksummed there (segmentation offload); 0 for a segment that is sent as it is.
    /// </summary>
    internal void Send(Ipv4EndPoint local, Ipv4EndPoint remote, in Segment segment, int segmentSize = 0)
    {
        Span<byte> tcp = _network.SegmentBuffer;
        int optionsLength = 0;
        if (segment.MaximumSegmentSize != 0 || segment.Timestamps is not null || segment.Sack.Count > 0)
            optionsLength = WriteOptions(tcp[TcpSegment.MinHeaderLength..(TcpSegment.MinHeaderLength + TcpOptions.MaxLength)], segment);
        int headerLength = TcpSegment.WriteHeader(tcp, local.Port, remote.Port, segment.Seq.Value, segment.Ack.Value,
            segment.Flags, (ushort)segment.Window, optionsLength);
        int length = headerLength + segment.DataLength;
        if (segment.DataLength <= segmentSize)
            segmentSize = 0;
        if (segmentSize == 0)
            TcpSegment.WriteChecksum(tcp[..length], local.Address, remote.Address);
        if (_network.Send(remote.Address, length, segmentSize))
            Counters.SegmentsSent++;
    }

    /// <summary>
    /// The options in the order Linux sends them, each 32-bit aligned as RFC 7323 Appendix A suggests: on a SYN, MSS,
    /// SACK-permitted with timestamps (or NOPs in their place), NOP and window scale; on other segments, NOP, NOP and
    /// timestamps, then NOP, NOP and the SACK blocks.
    /// </summary>
    private static int WriteOptions(Span<byte> area, in Segment segment)
    {
        var options = new TcpOptionWriter(area);
        if (segment.MaximumSegmentSize != 0)
            options.WriteMaximumSegmentSize(segment.MaximumSegmentSize);
        if (segment.SackPermitted)
        {
            if (segment.Timestamps is null)
            {
                options.WriteNop();
                options.WriteNop();
            }
            options.WriteSackPermitted();
        }
        if (segment.Timestamps is TcpTimestamps timestamps)
        {
            if (!segment.SackPermitted)
            {
                options.WriteNop();
                options.WriteNop();
            }
            options.WriteTimestamps(timestamps.Value, timestamps.EchoReply);
        }
        if (segment.WindowScale is byte shift)
        {
            options.WriteNop();
            options.WriteWindowScale(shift);
        }
        if (segment.Sack.Count > 0)
        {
            options.WriteNop();
            options.WriteNop();
            Span<(uint Left, uint Right)> blocks = stackalloc (uint, uint)[segment.Sack.Count];
            for (int i = 0; i < blocks.Length; i++)
                blocks[i] = (segment.Sack[i].Left.Value, segment.Sack[i].Right.Value);
            options.WriteSackBlocks(blocks);
        }
        return options.Finish();
    }
}
