using System.Runtime.CompilerServices;
using System.Text;
using Seqs.Wire;

namespace Seqs.Tcp;

/// <summary>
/// The fields of a TCP segment the control block reasons about, in RFC 9293 vocabulary: SEG.SEQ, SEG.ACK, the
/// control bits, SEG.WND as carried in the header (before any window scaling), SEG.LEN's data part, and the options
/// the stack uses: MSS, window scale and SACK-permitted (on SYNs), timestamps and SACK blocks. Printed as in the RFC
/// figures: <c>&lt;SEQ=100&gt;&lt;ACK=301&gt;&lt;CTL=SYN,ACK&gt;</c>.
/// </summary>
public readonly record struct Segment(SeqNumber Seq, SeqNumber Ack, TcpFlags Flags, int Window, int DataLength = 0, ushort MaximumSegmentSize = 0, TcpTimestamps? Timestamps = null)
{
    /// <summary>The window scale option's shift count (RFC 7323 §2.2), on a SYN; null when absent.</summary>
    public byte? WindowScale { get; init; }

    /// <summary>The SACK-permitted option (RFC 2018 §2), on a SYN.</summary>
    public bool SackPermitted { get; init; }

    /// <summary>The SACK option's blocks (RFC 2018 §3); empty when absent.</summary>
    public SackBlocks Sack { get; init; }

    /// <summary>
    /// The fields of an arriving segment the control block reasons about. Kept out of line, so that its temporaries do
    /// not widen the frame of the caller, which runs for every segment.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Segment Read(in TcpSegment tcp)
    {
        ref readonly TcpOptions options = ref tcp.ParsedOptionsRef;
        return new Segment(new SeqNumber(tcp.SequenceNumber), new SeqNumber(tcp.AcknowledgmentNumber), tcp.Flags,
            tcp.WindowSize, tcp.Payload.Length, options.MaximumSegmentSize ?? 0,
            options.HasTimestamps ? new TcpTimestamps(options.TimestampValue, options.TimestampEchoReply) : null)
        {
            WindowScale = options.WindowScale,
            SackPermitted = options.SackPermitted,
            Sack = ReadSackBlocks(options),
        };
    }

    private static SackBlocks ReadSackBlocks(in TcpOptions options)
    {
        if (options.SackBlockCount == 0)
            return default;
        var blocks = new SackBlocks();
        for (int i = 0; i < options.SackBlockCount; i++)
        {
            (uint left, uint right) = options.GetSackBlock(i);
            blocks.TryAdd(new SackBlock(new SeqNumber(left), new SeqNumber(right)));
        }
        return blocks;
    }

    public bool HasSyn => (Flags & TcpFlags.Syn) != 0;

    public bool HasAck => (Flags & TcpFlags.Ack) != 0;

    public bool HasFin => (Flags & TcpFlags.Fin) != 0;

    public bool HasRst => (Flags & TcpFlags.Rst) != 0;

    /// <summary>SEG.LEN: the octets of data plus one each for SYN and FIN (RFC 9293 §3.4).</summary>
    public int SequenceLength => DataLength + (HasSyn ? 1 : 0) + (HasFin ? 1 : 0);

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("<SEQ=").Append(Seq.Value).Append('>');
        if (HasAck)
            text.Append("<ACK=").Append(Ack.Value).Append('>');
        text.Append("<CTL=");
        bool first = true;
        foreach ((TcpFlags flag, string name) in new[] { (TcpFlags.Syn, "SYN"), (TcpFlags.Fin, "FIN"), (TcpFlags.Rst, "RST"), (TcpFlags.Psh, "PSH"), (TcpFlags.Ack, "ACK") })
        {
            if ((Flags & flag) == 0)
                continue;
            text.Append(first ? "" : ",").Append(name);
            first = false;
        }
        text.Append("><WND=").Append(Window).Append('>');
        if (DataLength > 0)
            text.Append("<DATA=").Append(DataLength).Append('>');
        if (MaximumSegmentSize != 0)
            text.Append("<MSS=").Append(MaximumSegmentSize).Append('>');
        if (Timestamps is TcpTimestamps ts)
            text.Append("<TSval=").Append(ts.Value).Append("><TSecr=").Append(ts.EchoReply).Append('>');
        if (WindowScale is byte shift)
            text.Append("<WS=").Append(shift).Append('>');
        if (SackPermitted)
            text.Append("<SACK-PERM>");
        if (Sack.Count > 0)
            text.Append("<SACK=").Append(Sack).Append('>');
        return text.ToString();
    }
}
