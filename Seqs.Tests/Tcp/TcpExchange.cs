using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Tcp;

/// <summary>
/// Drives one <see cref="TcpControlBlock"/> in virtual milliseconds, in the manner of the RFC figures: segments
/// arrive at given times, timers fire when due, and every segment the block sends is recorded with its time.
/// Expected segments are matched on SEQ, ACK (when the ACK bit is set), the control bits and the data length.
/// </summary>
internal sealed class TcpExchange
{
    private readonly byte[] _payload = new byte[65536];
    private readonly List<(int AtMs, Segment Segment, byte[] Data)> _sent = [];

    private TcpExchange(TcpControlBlock tcb, TimeSpan now)
    {
        Tcb = tcb;
        Now = now;
    }

    public TcpControlBlock Tcb { get; }

    public TimeSpan Now { get; private set; }

    public int NowMs => (int)Now.TotalMilliseconds;

    public static TcpExchange ActiveOpen(uint iss, TcpConnectionOptions? options = null, ushort mss = 1460)
    {
        var tcb = new TcpControlBlock();
        tcb.OpenActive(options ?? new TcpConnectionOptions(), new SeqNumber(iss), mss, TimeSpan.Zero);
        var exchange = new TcpExchange(tcb, TimeSpan.Zero);
        exchange.Drain();
        return exchange;
    }

    public static TcpExchange PassiveOpen(uint iss, Segment syn, TcpConnectionOptions? options = null, ushort mss = 1460)
    {
        var tcb = new TcpControlBlock();
        tcb.OpenPassive(options ?? new TcpConnectionOptions(), new SeqNumber(iss), mss, syn, TimeSpan.Zero);
        var exchange = new TcpExchange(tcb, TimeSpan.Zero);
        exchange.Drain();
        return exchange;
    }

    /// <summary>
    /// An active open completed at time 0: local ISS <paramref name="localIss"/>, remote <paramref name="remoteIss"/>,
    /// MSS 1460; the peer's SYN,ACK agrees to SACK when <paramref name="sack"/> is set, and to timestamps (TSval 1)
    /// when <paramref name="timestamps"/> is.
    /// </summary>
    public static TcpExchange Established(uint localIss, uint remoteIss, int remoteWindow = 65535, TcpConnectionOptions? options = null, bool sack = false, bool timestamps = false)
    {
        TcpExchange exchange = ActiveOpen(localIss, options);
        exchange.Arrives(0, Seg(remoteIss, localIss + 1, TcpFlags.Syn | TcpFlags.Ack, remoteWindow, mss: 1460) with
        {
            SackPermitted = sack,
            Timestamps = timestamps ? new TcpTimestamps(1, 0) : null,
        });
        exchange.TakeSent();
        return exchange;
    }

    public static Segment Seg(uint seq, uint ack, TcpFlags flags, int window = 65535, int data = 0, ushort mss = 0) =>
        new(new SeqNumber(seq), new SeqNumber(ack), flags, window, data, mss);

    /// <summary>Advances to <paramref name="atMs"/> (firing timers on the way), then delivers the segment.</summary>
    public void Arrives(int atMs, Segment segment, byte[]? data = null)
    {
        At(atMs);
        data ??= new byte[segment.DataLength];
        Tcb.OnSegment(segment with { DataLength = data.Length }, data, Now);
        Drain();
    }

    public int Write(byte[] data)
    {
        int n = Tcb.Write(data);
        Drain();
        return n;
    }

    public void Close()
    {
        Tcb.Close();
        Drain();
    }

    /// <summary>Moves time forward to <paramref name="atMs"/>, firing each timer at its own deadline.</summary>
    public void At(int atMs)
    {
        var target = TimeSpan.FromMilliseconds(atMs);
        while (Tcb.NextDeadline is TimeSpan deadline && deadline <= target)
        {
            Now = deadline > Now ? deadline : Now;
            Tcb.OnTimer(Now);
            Drain();
        }
        Now = target > Now ? target : Now;
    }

    public List<(int AtMs, Segment Segment, byte[] Data)> TakeSent()
    {
        List<(int, Segment, byte[])> sent = [.. _sent];
        _sent.Clear();
        return sent;
    }

    public List<(int AtMs, Segment Segment, byte[] Data)> TakeSentAt(int atMs)
    {
        At(atMs);
        return TakeSent();
    }

    /// <summary>Builds what the block wants to send after a change made outside the exchange (a read).</summary>
    public List<(int AtMs, Segment Segment, byte[] Data)> TakeSentAfterDrain()
    {
        Drain();
        return TakeSent();
    }

    public void ExpectSent(int atMs, params Segment[] expected)
    {
        At(atMs);
        List<(int AtMs, Segment Segment, byte[] Data)> sent = TakeSent();
        Assert.That(sent.Select(s => Describe(s.Segment)), Is.EqualTo(expected.Select(Describe)), $"segments sent by {atMs} ms");
        Assert.That(sent.Select(s => s.AtMs), Is.All.EqualTo(atMs), "sent at");
    }

    public void ExpectNothingSent(int atMs)
    {
        At(atMs);
        Assert.That(TakeSent().Select(s => $"{s.AtMs} ms: {s.Segment}"), Is.Empty, $"nothing sent by {atMs} ms");
    }

    public void ExpectState(TcpState state) => Assert.That(Tcb.State.ToRfcName(), Is.EqualTo(state.ToRfcName()));

    /// <summary>More segments than any window holds, built at one instant: the block would never stop sending.</summary>
    private const int SegmentsAtOneInstantBound = 10_000;

    private void Drain()
    {
        int built = 0;
        while (Tcb.TryBuildSegment(Now, _payload, out Segment segment))
        {
            _sent.Add((NowMs, segment, _payload.AsSpan(0, segment.DataLength).ToArray()));
            if (++built == SegmentsAtOneInstantBound)
                Assert.Fail($"the block built {built} segments at {NowMs} ms without stopping; the last: {segment}");
        }
    }

    private static string Describe(Segment s)
    {
        string ack = s.HasAck ? $"<ACK={s.Ack.Value}>" : "";
        return $"<SEQ={s.Seq.Value}>{ack}<CTL={s.Flags}><DATA={s.DataLength}>";
    }
}
