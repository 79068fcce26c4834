using System.Diagnostics.CodeAnalysis;
using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Tcp;

/// <summary>
/// The transmission control block of RFC 9293 §3.3.1 and the state machine that drives it. It does no I/O and
/// reads no clock: <see cref="OnSegment"/> takes an arriving segment and the time, <see cref="OnTimer"/> the time,
/// and <see cref="TryBuildSegment"/> hands out the next segment to send, so tests drive it directly.
/// <code>
///   Send sequence space (RFC 9293 §3.3.1, Figure 3)
///          1         2          3          4
///     ----------|----------|----------|----------
///            SND.UNA    SND.NXT    SND.UNA
///                                 +SND.WND
///   1 - acknowledged  2 - sent, not acknowledged  3 - allowed to send  4 - not yet allowed
/// </code>
/// </summary>
internal sealed partial class TcpControlBlock
{
    private TcpConnectionOptions _options;
    private SendBuffer _send;
    private ReceiveBuffer _receive;
    private RetransmissionTimer _rto;
    private TokenBucket? _challengeAcks;
    private TcpConnectionCounters? _counters;
    private ushort _ourMss;

    // The variables of RFC 9293 §3.3.1 and its extensions, each group reset as a whole for a new connection. The
    // groups that hold 8-octet values come first, so that the 4-octet ones pack after them without gaps.
    private HighPerformanceState _rfc7323;
    private AckState _ack;
    private ConnectionTimers _timers;
    private SendSequence _snd;
    private ReceiveSequence _rcv;
    private RecoveryState _recovery;
    // RFC 6298 §3, Karn's rule: the one segment being timed for a round-trip sample, and when it left.
    private bool _timing;
    private SeqNumber _timedSeq;
    private TimeSpan _timedAt;

    /// <summary>Sequence number of the first byte in the send buffer (ISS+1 until data is acknowledged).</summary>
    private SeqNumber _sendHead;
    private bool _sendClosed;
    /// <summary>A reset to send, <c>&lt;SEQ=_resetSeq&gt;&lt;CTL=RST&gt;</c>.</summary>
    private SeqNumber? _resetSeq;
    private bool _probePending;
    /// <summary>When data (or the SYN) was last acknowledged, or the connection opened: the user and connect timeouts run from it.</summary>
    private TimeSpan _lastProgress;
    private TimeSpan _lastReceived;
    private int _keepAliveProbes;
    private bool _keepAlivePending;
    private bool _orphaned;
    private bool _buffersReleased;
    /// <summary>The SWS override timer fired (RFC 9293 §3.8.6.2.1): the next small segment may go.</summary>
    private bool _swsOverride;
    /// <summary>RFC 2018 §2: both SYNs carried SACK-permitted, so SACK blocks may be sent and are understood.</summary>
    private bool _sackPermitted;

    /// <summary>A control block to open with <see cref="OpenActive"/>, <see cref="OpenPassive"/> or <see cref="OpenFromSynCookie"/>.</summary>
    public TcpControlBlock()
    {
        // Set by Initialize, which every Open method calls first.
        _options = null!;
        _cc = null!;
    }

    /// <summary>
    /// Makes this control block what a new one for these arguments would be, in state CLOSED: every variable starts
    /// over and the rings are rented again; the objects it owns (congestion control, SACK scoreboard, range table)
    /// are reset and kept. The table reuses control blocks this way, so opening a connection allocates nothing.
    /// </summary>
    [MemberNotNull(nameof(_options), nameof(_cc))]
    private void Initialize(TcpConnectionOptions options, SeqNumber iss, ushort ourMss, TimeSpan now)
    {
        _options = options;
        _send = new SendBuffer(options.SendBufferSize, Rings);
        _receive.Open(options.ReceiveBufferSize, options.MaxOutOfOrderRanges, Rings);
        _buffersReleased = false;
        _rto = default;
        _challengeAcks = null;
        if (_cc?.Algorithm == options.CongestionControl)
            _cc.Reset(DefaultMss);
        else
            _cc = CongestionControl.Create(options.CongestionControl, DefaultMss);
        _scoreboard?.Reset(iss);
        _rack?.Reset();
        _recovery = default;
        _ourMss = ourMss;
        NoDelay = options.NoDelay;
        State = TcpState.Closed;
        Error = TcpError.None;
        _snd = SendSequence.Start(iss);
        _rcv = default;
        _rfc7323 = new HighPerformanceState { OfferedShift = WindowShiftFor(options.ReceiveBufferSize) };
        _ack = default;
        _timers = default;
        _timing = false;
        _timedSeq = default;
        _timedAt = default;
        _sendHead = iss + 1;
        // RFC 9293 §3.7.1: without an MSS option the peer takes 536 octets.
        SendMss = Math.Min((int)ourMss, DefaultMss);
        _sendClosed = false;
        ReceivedFin = false;
        _resetSeq = null;
        _probePending = false;
        _swsOverride = false;
        _lastProgress = now;
        _lastReceived = now;
        _keepAliveProbes = 0;
        _keepAlivePending = false;
        _orphaned = false;
        _sackPermitted = false;
        Retransmissions = 0;
        _counters?.Clear();
    }

    /// <summary>RFC 9293 §3.7.1 / RFC 1122 §4.2.2.6: the send MSS when the peer sent no MSS option.</summary>
    public const int DefaultMss = 536;

    public TcpState State { get; private set; }

    public TcpError Error { get; private set; }

    public SeqNumber Iss => _snd.Iss;

    public SeqNumber Irs => _rcv.Irs;

    public SeqNumber SndUna => _snd.Una;

    public SeqNumber SndNxt => _snd.Nxt;

    public int SndWnd => _snd.Wnd;

    public SeqNumber RcvNxt => _rcv.Nxt;

    /// <summary>Largest data payload per segment: the peer's MSS option (or 536) and ours, whichever is smaller.</summary>
    public int SendMss { get; private set; }

    /// <summary>
    /// Option octets the next data segment carries: 12 with timestamps (NOP, NOP, TSopt), plus the SACK option
    /// (NOP, NOP, kind, length, 8 per block) while out-of-order data is held.
    /// </summary>
    public int DataOptionsLength => (_rfc7323.Timestamps ? TimestampsOptionLength : 0) + SackOptionLength(SackBlocksToSend);

    /// <summary>RFC 7323 §3.2: the timestamps option padded to a 32-bit boundary with two NOPs.</summary>
    public const int TimestampsOptionLength = 12;

    /// <summary>RCV.WND as it would be advertised now: the free receive buffer, as far as the window field can say.</summary>
    public int RcvWnd => Math.Min(_receive.Window, ushort.MaxValue << _rfc7323.RcvShift);

    /// <summary>RFC 7323 §2.2-2.3: window scaling was negotiated; the shift counts each side applies.</summary>
    public bool WindowScaling => _rfc7323.WindowScaling;

    public int ReceiveWindowShift => _rfc7323.RcvShift;

    public int SendWindowShift => _rfc7323.SndShift;

    /// <summary>Nagle's algorithm (RFC 9293 §3.7.4) is off: small segments go at once even with data in flight.</summary>
    public bool NoDelay { get; set; }

    /// <summary>RFC 2018 §2: SACK was negotiated.</summary>
    public bool SackPermitted => _sackPermitted;

    public int Readable => _receive.Readable;

    public int WritableSpace => _sendClosed || !CanSend ? 0 : _send.Free;

    /// <summary>The send buffer's size, fixed when the block opened.</summary>
    public int SendBufferCapacity => _send.Capacity;

    /// <summary>The receive buffer's size, fixed when the block opened.</summary>
    public int ReceiveBufferCapacity => _receive.Capacity;

    /// <summary>The peer's FIN arrived and every byte before it was read or is readable.</summary>
    public bool ReceivedFin { get; private set; }

    private TcpConnectionCounters Counters => _counters ??= new TcpConnectionCounters();

    /// <summary>Retransmission timeouts (RFC 6298 §5.4); fast retransmits are counted in <see cref="FastRetransmits"/>.</summary>
    public int Retransmissions { get; private set; }

    /// <summary>Consecutive retransmission timeouts without progress (the RFC 6298 backoff exponent).</summary>
    public int Backoff => _rto.Backoff;

    public TimeSpan RetransmissionTimeout =>
        _rto.Timeout(_options.InitialRetransmissionTimeout, _options.MinimumRetransmissionTimeout, _options.MaximumRetransmissionTimeout);

    public TimeSpan SmoothedRoundTripTime => _rto.SmoothedRoundTripTime;

    /// <summary>All sent data, SYN and FIN included, has been acknowledged.</summary>
    public bool AllAcknowledged => _snd.Una == _snd.Max && _send.Count == 0;

    /// <summary>Finished: CLOSED after a close, a reset or a timeout. The connection can be forgotten.</summary>
    public bool IsClosed => State == TcpState.Closed;

    private bool CanSend => State is TcpState.SynSent or TcpState.SynReceived or TcpState.Established or TcpState.CloseWait;

    private bool Synchronized => State is not (TcpState.Closed or TcpState.Listen or TcpState.SynSent or TcpState.SynReceived);

    /// <summary>The table's counters, to which retransmissions are added as they happen; null when driven alone.</summary>
    private TcpCounters? TableCounters => Table?.Counters;

    /// <summary>RFC 9293 §3.10.1: an active OPEN goes to SYN-SENT; the SYN leaves with the next built segment.</summary>
    public void OpenActive(TcpConnectionOptions options, SeqNumber iss, ushort ourMss, TimeSpan now)
    {
        Initialize(options, iss, ourMss, now);
        State = TcpState.SynSent;
        MarkWork();
    }

    /// <summary>
    /// RFC 9293 §3.10.7.2: a SYN to a LISTEN socket makes a connection in SYN-RECEIVED with RCV.NXT = SEG.SEQ+1 and
    /// IRS = SEG.SEQ; the SYN-ACK leaves with the next built segment.
    /// </summary>
    public void OpenPassive(TcpConnectionOptions options, SeqNumber iss, ushort ourMss, in Segment syn, TimeSpan now)
    {
        Initialize(options, iss, ourMss, now);
        State = TcpState.SynReceived;
        TakePeerSyn(syn, now);
    }

    /// <summary>
    /// The connection a valid SYN cookie stands for (RFC 4987 §3.6): the handshake is complete, ISS is SEG.ACK-1
    /// and IRS is SEG.SEQ-1; the MSS is the one the cookie encoded, and timestamps, window scaling and SACK are on
    /// when <see cref="CookieSynAck"/> offered them, as the ACK's TSecr tells. The caller then passes the ACK segment
    /// itself to <see cref="OnSegment"/>, as it may carry data.
    /// </summary>
    public void OpenFromSynCookie(TcpConnectionOptions options, ushort ourMss, ushort peerMss, in Segment ack, TimeSpan now)
    {
        Initialize(options, ack.Ack - 1, ourMss, now);
        State = TcpState.Established;
        _snd.Una = ack.Ack;
        _snd.Nxt = ack.Ack;
        _snd.Max = ack.Ack;
        _rcv.Irs = ack.Seq - 1;
        _rcv.Nxt = ack.Seq;
        SendMss = Math.Max(1, Math.Min((int)peerMss, ourMss));
        _cc.OnMssKnown(SendMss);
        // The extensions the cookie's SYN,ACK offered (CookieSynAck), as the ACK's TSecr echoes them.
        if (_options.Timestamps && ack.Timestamps is TcpTimestamps ts)
        {
            _rfc7323.Timestamps = true;
            _rfc7323.Recent = ts.Value;
            _rfc7323.RecentAt = now;
            SynCookieOptions offered = SynCookieOptions.FromEcho(ts.EchoReply);
            if (_options.WindowScaling && offered.WindowShift is byte shift)
            {
                _rfc7323.WindowScaling = true;
                _rfc7323.RcvShift = _rfc7323.OfferedShift;
                _rfc7323.SndShift = shift;
            }
            _sackPermitted = _options.Sack && offered.SackPermitted;
        }
        _snd.Wnd = PeerWindow(ack);
        _snd.MaxWnd = _snd.Wnd;
        _snd.Wl1 = ack.Seq;
        _snd.Wl2 = ack.Ack;
    }

    /// <summary>
    /// The SYN,ACK of a SYN cookie (RFC 4987 §3.6), which keeps no state: ISS is the cookie, the MSS is ours, and
    /// when the SYN carried timestamps, the extensions it asked for that <paramref name="options"/> allow are
    /// offered, with the peer's part of them kept in the TSval (<see cref="SynCookieOptions"/>).
    /// </summary>
    public static Segment CookieSynAck(TcpConnectionOptions options, in Segment syn, SeqNumber cookie, ushort ourMss, TimeSpan now)
    {
        // RFC 7323 §2.2: the window of a SYN is never scaled.
        var synAck = new Segment(cookie, syn.Seq + 1, TcpFlags.Syn | TcpFlags.Ack, Math.Min(options.ReceiveBufferSize, ushort.MaxValue),
            MaximumSegmentSize: ourMss);
        if (!options.Timestamps || syn.Timestamps is not TcpTimestamps ts)
            return synAck;
        bool windowScaling = options.WindowScaling && syn.WindowScale is not null;
        var offered = new SynCookieOptions(windowScaling ? Math.Min(syn.WindowScale!.Value, MaxWindowShift) : null, options.Sack && syn.SackPermitted);
        return synAck with
        {
            Timestamps = new TcpTimestamps(offered.ToTimestamp(TimestampClock(now)), ts.Value),
            WindowScale = windowScaling ? WindowShiftFor(options.ReceiveBufferSize) : null,
            SackPermitted = offered.SackPermitted,
        };
    }

    /// <summary>
    /// RFC 9293 §3.10.7.1: the reply to a segment that reaches no connection. Null for an incoming RST, which is
    /// never answered.
    /// </summary>
    public static Segment? ResetFor(in Segment incoming)
    {
        if (incoming.HasRst)
            return null;
        return incoming.HasAck
            ? new Segment(incoming.Ack, default, TcpFlags.Rst, 0)
            : new Segment(default, incoming.Seq + incoming.SequenceLength, TcpFlags.Rst | TcpFlags.Ack, 0);
    }

    /// <summary>Queues data; returns how much fit in the send buffer.</summary>
    public int Write(ReadOnlySpan<byte> data)
    {
        int n = WritableSpace == 0 ? 0 : _send.Write(data);
        if (n > 0)
            MarkWork();
        return n;
    }

    /// <summary>Takes in-order received data. Reading can open the window, so it may queue a window update.</summary>
    public int Read(Span<byte> destination)
    {
        int n = _receive.Read(destination);
        if (n == 0)
            return 0;
        MarkWork();
        // RFC 9293 §3.8.6.2.2: tell the peer once the window has grown by a full segment or half the buffer.
        if (Synchronized && RcvWnd - _rcv.AdvertisedWindow >= WindowUpdateThreshold)
            _ack.Pending = true;
        return n;
    }

    /// <summary>
    /// The application has no more to send (CLOSE, or a half-close): a FIN follows the queued data
    /// (RFC 9293 §3.10.4).
    /// </summary>
    public void Close()
    {
        MarkWork();
        switch (State)
        {
            case TcpState.SynSent:
                // RFC 9293 §3.10.4: CLOSE in SYN-SENT deletes the TCB.
                EnterClosed(TcpError.None);
                break;
            case TcpState.SynReceived:
            case TcpState.Established:
                _sendClosed = true;
                State = TcpState.FinWait1;
                break;
            case TcpState.CloseWait:
                _sendClosed = true;
                State = TcpState.LastAck;
                break;
        }
    }

    /// <summary>
    /// Nobody reads or writes the connection any more (it was disposed, its connect failed, or it died before it was
    /// accepted): it detaches from its owner, and a FIN-WAIT-2 that never ends is cut short after
    /// <see cref="TcpConnectionOptions.FinWait2Timeout"/>.
    /// </summary>
    public void Orphan(TimeSpan now)
    {
        MarkWork();
        Owner = null;
        _orphaned = true;
        if (State == TcpState.FinWait2 && !_timers.FinWait2.IsSet)
            _timers.FinWait2 = now + _options.FinWait2Timeout;
    }

    /// <summary>RFC 9293 §3.10.5 ABORT: a RST goes out in synchronized states and the connection is closed.</summary>
    public void Abort()
    {
        MarkWork();
        if (State is TcpState.SynReceived or TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2 or TcpState.CloseWait)
            _resetSeq = _snd.Max;
        EnterClosed(TcpError.Aborted);
    }

    /// <summary>
    /// The link layer could not resolve the next hop (RFC 1122 §4.2.3.9 lets a connection being opened give up on a
    /// hard error): an active open fails at once rather than retrying until the connect timeout.
    /// </summary>
    public void OnNextHopUnreachable()
    {
        if (State == TcpState.SynSent)
            EnterClosed(TcpError.HostUnreachable);
    }

    /// <summary>
    /// A SYN for this connection in TIME-WAIT that <see cref="AllowsNewIncarnation"/> lets open a new incarnation
    /// ends the old one quietly; the caller hands the SYN to the listener.
    /// </summary>
    /// <param name="syn">The arriving segment.</param>
    /// <param name="timestampsForNew">Timestamps would be on for the new incarnation: the SYN offers them and the listener takes them.</param>
    public bool TryEndTimeWaitFor(in Segment syn, bool timestampsForNew)
    {
        if (State != TcpState.TimeWait || !syn.HasSyn || syn.HasAck || syn.HasRst
            || !AllowsNewIncarnation(syn, _rcv.Nxt, _rfc7323.Timestamps, _rfc7323.Recent, timestampsForNew))
            return false;
        EnterClosed(TcpError.None);
        return true;
    }

    /// <summary>
    /// RFC 6191 §2 (after RFC 1122 §4.2.2.13): whether a SYN may open a new incarnation of a connection in TIME-WAIT.
    /// When the old one used timestamps and the new one would, the SYN's TSval must be above TS.Recent, or equal with
    /// SEG.SEQ above RCV.NXT; when the new one would not, SEG.SEQ above RCV.NXT decides. When the old one did not use
    /// them, a new one that would is let in, and one that would not needs SEG.SEQ above RCV.NXT. Otherwise the SYN
    /// is silently dropped and the old connection stays in TIME-WAIT.
    /// </summary>
    internal static bool AllowsNewIncarnation(in Segment syn, SeqNumber rcvNxt, bool oldUsedTimestamps, uint tsRecent, bool timestampsForNew)
    {
        bool sequenceAdvanced = syn.Seq > rcvNxt;
        if (!timestampsForNew || syn.Timestamps is not TcpTimestamps ts)
            return sequenceAdvanced;
        if (!oldUsedTimestamps)
            return true;
        int newer = unchecked((int)(ts.Value - tsRecent));
        return newer > 0 || (newer == 0 && sequenceAdvanced);
    }

    /// <summary>What TIME-WAIT needs of this connection once the control block itself is let go of.</summary>
    public TimeWaitEntry ToTimeWait() => new()
    {
        Local = Local,
        Remote = Remote,
        SndNxt = _snd.Max,
        RcvNxt = _rcv.Nxt,
        TsRecent = _rfc7323.Recent,
        Timestamps = _rfc7323.Timestamps,
        Window = (ushort)Math.Min(ushort.MaxValue, _rcv.AdvertisedWindow >> _rfc7323.RcvShift),
        Until = _timers.TimeWait,
    };

    /// <summary>
    /// The application is done with the connection (disposed it) and the connection needs its buffers no more
    /// (closed, or in TIME-WAIT with everything acknowledged): they go back to the pool. Returns whether it happened.
    /// </summary>
    public bool TryReleaseBuffers()
    {
        if (_buffersReleased || !(IsClosed || State == TcpState.TimeWait))
            return false;
        _buffersReleased = true;
        _send.Release(Rings);
        _receive.Release(Rings);
        return true;
    }

    /// <summary>
    /// Ends a TIME-WAIT in the control block: early, to make room for a new connection (the table is full), or because
    /// the wait goes on in the table's compact set; false in other states.
    /// </summary>
    public bool TryEndTimeWait()
    {
        if (State != TcpState.TimeWait)
            return false;
        EnterClosed(TcpError.None);
        return true;
    }

    /// <summary>When the last segment arrived (for an open in SYN-RECEIVED, the SYN): how long the connection has been idle.</summary>
    public TimeSpan LastReceived => _lastReceived;

    /// <summary>When TIME-WAIT ends, or null outside it.</summary>
    public TimeSpan? TimeWaitEnd => _timers.TimeWait.IsSet ? _timers.TimeWait.At : null;

    /// <summary>When <see cref="OnTimer"/> next has work, or null.</summary>
    public TimeSpan? NextDeadline
    {
        get
        {
            DueTime next = _timers.Retransmit;
            // The user timeout runs while sent data waits for its acknowledgment (RFC 9293 §3.8.3).
            if (_timers.Retransmit.IsSet && Synchronized)
                next = DueTime.Earlier(next, _lastProgress + _options.UserTimeout);
            next = DueTime.Earlier(next, _timers.Persist);
            next = DueTime.Earlier(next, _timers.TimeWait);
            next = DueTime.Earlier(next, KeepAliveDeadline);
            next = DueTime.Earlier(next, _timers.FinWait2);
            next = DueTime.Earlier(next, _ack.DelayedUntil);
            next = DueTime.Earlier(next, LossDetectionDeadline);
            return next.IsSet ? next.At : null;
        }
    }

    /// <summary>True when <see cref="TryBuildSegment"/> has something to send.</summary>
    public bool WantsToSend => _ack.Pending || WantsToSendMoreThanAnAck;

    /// <summary>
    /// The peer has closed (CLOSE-WAIT) and all that is due is a bare ACK, of its FIN: it may wait for the end of the
    /// loop's turn, so that the FIN of an application that closes in that turn carries it (one FIN,ACK instead of an
    /// ACK and a FIN, as a delayed ACK lets Linux do). Nothing else is deferred: data ACKs keep their timing.
    /// </summary>
    public bool MayDeferAck => State == TcpState.CloseWait && !WantsToSendMoreThanAnAck;

    private bool WantsToSendMoreThanAnAck => _resetSeq is not null || _probePending || _keepAlivePending || HasSomethingToSend();

    /// <summary>
    /// RFC 1122 §4.2.3.6: when the next keep-alive probe is due, for an idle synchronized connection with nothing
    /// in flight (FIN-WAIT-2 included, as Linux does: a half-closed connection waiting for data can lose its peer
    /// too); not set when keep-alive is off or does not apply.
    /// </summary>
    private DueTime KeepAliveDeadline =>
        _options.KeepAlive && State is TcpState.Established or TcpState.CloseWait or TcpState.FinWait2 && _snd.Una == _snd.Max
            ? _lastReceived + _options.KeepAliveIdle + TimeSpan.FromTicks(_options.KeepAliveInterval.Ticks * _keepAliveProbes)
            : default(DueTime);

    /// <summary>
    /// The peer's SYN (RFC 9293 §3.10.7.2-3): IRS = SEG.SEQ, RCV.NXT = SEG.SEQ+1, the send window and its first
    /// update point from the SYN, and its options.
    /// </summary>
    private void TakePeerSyn(in Segment syn, TimeSpan now)
    {
        _rcv.Irs = syn.Seq;
        _rcv.Nxt = syn.Seq + 1;
        TakePeerSynOptions(syn, now);
        _snd.Wnd = syn.Window;
        _snd.MaxWnd = syn.Window;
        _snd.Wl1 = syn.Seq;
    }

    /// <summary>
    /// The options of the peer's SYN: the MSS, and the extensions used only when both SYNs carry them: timestamps
    /// (RFC 7323 §3.2), window scaling (RFC 7323 §2.2) and SACK (RFC 2018 §2).
    /// </summary>
    private void TakePeerSynOptions(in Segment syn, TimeSpan now)
    {
        TakePeerMss(syn);
        if (_options.Timestamps && syn.Timestamps is TcpTimestamps ts)
        {
            _rfc7323.Timestamps = true;
            _rfc7323.Recent = ts.Value;
            _rfc7323.RecentAt = now;
        }
        if (_options.WindowScaling && syn.WindowScale is byte shift)
        {
            _rfc7323.WindowScaling = true;
            _rfc7323.RcvShift = _rfc7323.OfferedShift;
            // RFC 7323 §2.3: a shift above 14 is taken as 14.
            _rfc7323.SndShift = Math.Min(shift, MaxWindowShift);
        }
        _sackPermitted = _options.Sack && syn.SackPermitted;
    }

    /// <summary>RFC 7323 §2.3: the largest shift count, for windows up to 2^30.</summary>
    public const byte MaxWindowShift = 14;

    /// <summary>The smallest shift that lets a 16-bit window field describe a receive buffer of this size.</summary>
    internal static byte WindowShiftFor(int receiveBufferSize)
    {
        byte shift = 0;
        while (shift < MaxWindowShift && receiveBufferSize >> shift > ushort.MaxValue)
            shift++;
        return shift;
    }

    /// <summary>SEG.WND in octets: RFC 7323 §2.2, the window of a SYN is never scaled.</summary>
    private int PeerWindow(in Segment seg) => seg.HasSyn ? seg.Window : seg.Window << _rfc7323.SndShift;

    /// <summary>RFC 9293 §3.8.6.2.2: the receive window opens in steps of min(RCV.BUFF / 2, Eff.snd.MSS) or more.</summary>
    private int WindowUpdateThreshold => Math.Min(_receive.Capacity / 2, (int)_ourMss);

    /// <summary>
    /// The window field for an outgoing segment, which records what was advertised. RFC 9293 §3.8.6.2.2 (receiver
    /// SWS avoidance): the right edge moves only when it can move by <see cref="WindowUpdateThreshold"/>, so that
    /// a slowly reading application does not invite a stream of tiny segments.
    /// </summary>
    private int AdvertiseWindow(bool syn)
    {
        int available = RcvWnd;
        if (syn)
        {
            _rcv.AdvertisedWindow = available;
            return Math.Min(available, ushort.MaxValue);
        }
        SeqNumber edge = _rcv.Nxt + available;
        if (_rcv.RightEdge is not SeqNumber advertised || edge - advertised >= WindowUpdateThreshold || available == _receive.Capacity)
            _rcv.RightEdge = edge;
        _rcv.AdvertisedWindow = Math.Max(0, Math.Min(available, _rcv.RightEdge.Value - _rcv.Nxt));
        return _rcv.AdvertisedWindow >> _rfc7323.RcvShift;
    }

    /// <summary>The timestamp clock: milliseconds of loop time (RFC 7323 §5.4 asks for 1 ms to 1 s a tick).</summary>
    internal static uint TimestampClock(TimeSpan now) => unchecked((uint)(now.Ticks / TimeSpan.TicksPerMillisecond));

    private void TakePeerMss(in Segment syn)
    {
        // RFC 9293 §3.7.1: the send MSS is the peer's option, bounded by what our interface can carry; a peer's
        // option below MinimumPeerMss is raised to it.
        int peer = syn.MaximumSegmentSize != 0 ? syn.MaximumSegmentSize : DefaultMss;
        SendMss = Math.Max(1, Math.Min(Math.Max(peer, MinimumPeerMss), _ourMss));
        _cc.OnMssKnown(SendMss);
    }

    /// <summary>
    /// The smallest MSS taken from a peer's option, Linux's <c>TCP_MIN_MSS</c>: 88 = (60 + 60 + 8) - (20 + 20), the
    /// largest IPv4 and TCP headers and 8 octets of data, less the smallest headers. A peer announcing a few octets
    /// would make each one a segment, which costs this host a full segment's work per octet.
    /// </summary>
    public const int MinimumPeerMss = 88;

    private void EnterClosed(TcpError error)
    {
        _ownerWake = true;
        State = TcpState.Closed;
        if (Error == TcpError.None)
            Error = error;
        _timers.Retransmit = default;
        _timers.Persist = default;
        _timers.TimeWait = default;
        _timers.FinWait2 = default;
        _ack.DelayedUntil = default;
        _ack.Pending = false;
        _probePending = false;
    }

    private void EnterTimeWait(TimeSpan now)
    {
        _ownerWake = true;
        State = TcpState.TimeWait;
        _timers.FinWait2 = default;
        _timers.Retransmit = default;
        _timers.Persist = default;
        _timers.TimeWait = now + _options.TimeWaitDuration;
    }
}
