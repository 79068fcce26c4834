using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Tcp;

internal sealed partial class TcpControlBlock
{
    /// <summary>RFC 9293 §3.10.7: SEGMENT ARRIVES, for a connection in any state but LISTEN and CLOSED.</summary>
    public void OnSegment(in Segment seg, ReadOnlySpan<byte> payload, TimeSpan now)
    {
        MarkWork();
        // Anything from the peer shows it is alive (RFC 1122 §4.2.3.6 counts any segment as an answer).
        _lastReceived = now;
        _keepAliveProbes = 0;
        TcpState state = State;
        int readable = _receive.Readable;
        SeqNumber una = _snd.Una;
        switch (State)
        {
            case TcpState.SynSent:
                OnSegmentInSynSent(seg, now);
                break;
            case TcpState.Closed:
            case TcpState.Listen:
                break;
            default:
                OnSegmentSynchronizing(seg, payload, now);
                break;
        }
        // What an application waits for: data or the FIN to read, send buffer space, a new state.
        if (State != state || _receive.Readable != readable || _snd.Una != una)
            _ownerWake = true;
    }

    /// <summary>RFC 9293 §3.10.7.3: SYN-SENT.</summary>
    private void OnSegmentInSynSent(in Segment seg, TimeSpan now)
    {
        bool ackAcceptable = false;
        if (seg.HasAck)
        {
            // "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set) and discard."
            if (seg.Ack <= _snd.Iss || seg.Ack > _snd.Nxt)
            {
                if (!seg.HasRst)
                    _resetSeq = seg.Ack;
                return;
            }
            ackAcceptable = true;
        }
        if (seg.HasRst)
        {
            // "If the ACK was acceptable, signal 'error: connection reset', drop the segment, enter CLOSED."
            if (ackAcceptable)
                EnterClosed(TcpError.ConnectionRefused);
            return;
        }
        if (!seg.HasSyn)
            return;
        TakePeerSyn(seg, now);
        _snd.Wl2 = seg.Ack;
        if (ackAcceptable)
        {
            AcknowledgeUpTo(seg.Ack, now, RoundTripFromTimestamps(seg, now));
            State = TcpState.Established;
            _ack.Pending = true;
        }
        else
        {
            // Simultaneous open (RFC 9293 §3.5, Figure 8): answer with SYN,ACK from SYN-RECEIVED.
            State = TcpState.SynReceived;
            _snd.Nxt = _snd.Iss;
            _timers.Retransmit = default;
        }
    }

    /// <summary>RFC 9293 §3.10.7.4: SYN-RECEIVED and every synchronized state.</summary>
    private void OnSegmentSynchronizing(in Segment seg, ReadOnlySpan<byte> payload, TimeSpan now)
    {
        // The peer's SYN again, in SYN-RECEIVED: either our SYN,ACK was lost (answer it again) or, in a simultaneous
        // open (RFC 9293 Figure 8, line 5), its SYN,ACK acknowledging ours. SEG.SEQ is IRS, before RCV.NXT, so the
        // acceptability test below would only drop it.
        if (State == TcpState.SynReceived && seg.HasSyn && !seg.HasRst && seg.Seq == _rcv.Irs)
        {
            if (seg.HasAck && _snd.Una < seg.Ack && seg.Ack <= _snd.Max)
                OnAck(seg with { Seq = seg.Seq + 1, Flags = seg.Flags & ~TcpFlags.Syn, Window = seg.Window >> _rfc7323.SndShift }, now);
            else
                _snd.Nxt = _snd.Iss;
            return;
        }

        // RFC 9293 §3.10.7.4, TIME-WAIT: "The only thing that can arrive in this state is a retransmission of the
        // remote FIN. Acknowledge it, and restart the 2 MSL timeout." It lies just before RCV.NXT, so it is
        // recognised here rather than rejected as unacceptable.
        if (State == TcpState.TimeWait && seg.HasFin && !seg.HasRst && seg.Seq + seg.SequenceLength == _rcv.Nxt)
        {
            _ack.Pending = true;
            _timers.TimeWait = now + _options.TimeWaitDuration;
            return;
        }

        // RFC 7323 §5.3 R1, PAWS: a segment whose TSval is older than TS.Recent is an old duplicate.
        if (_rfc7323.Timestamps && !seg.HasRst && seg.Timestamps is TcpTimestamps arriving
            && unchecked((int)(arriving.Value - _rfc7323.Recent)) < 0 && now - _rfc7323.RecentAt < PawsIdleLimit)
        {
            if (MayAnswerInvalid(seg, now))
                _ack.Pending = true;
            Counters.PawsRejected++;
            return;
        }

        // First: is the segment acceptable, i.e. does any of it fall in the receive window?
        if (!IsAcceptable(seg))
        {
            // "If an incoming segment is not acceptable, an acknowledgment should be sent in reply (unless the RST
            // bit is set)."
            if (!seg.HasRst && MayAnswerInvalid(seg, now))
                _ack.Pending = true;
            if (seg.DataLength > 0 && seg.Seq + seg.DataLength <= _rcv.Nxt)
                ReportDuplicate(seg.Seq, seg.DataLength);
            // "If the RCV.WND is zero, no segments will be acceptable, but special allowance should be made to accept
            // valid ACKs": a peer whose data we cannot take may be acknowledging ours, and a receiver that waits for
            // its send buffer to drain before reading would otherwise never open its window again.
            if (RcvWnd == 0 && seg.Seq == _rcv.Nxt && seg.HasAck && !seg.HasRst && !seg.HasSyn)
                OnAck(seg, now);
            return;
        }

        // RFC 7323 §5.3 R3: remember the newest TSval of a segment that covers the last ACK we sent.
        if (_rfc7323.Timestamps && seg.Timestamps is TcpTimestamps recent && unchecked((int)(recent.Value - _rfc7323.Recent)) >= 0 && seg.Seq <= _rfc7323.LastAckSent)
        {
            _rfc7323.Recent = recent.Value;
            _rfc7323.RecentAt = now;
        }

        // Second: RST. RFC 5961 §3.2: reset only on an exact RCV.NXT match; anywhere else in the window gets a
        // challenge ACK, so a blind attacker must guess the exact sequence number.
        if (seg.HasRst)
        {
            if (seg.Seq != _rcv.Nxt)
            {
                SendChallengeAck(now);
                return;
            }
            EnterClosed(State == TcpState.SynReceived ? TcpError.ConnectionRefused : TcpError.ConnectionReset);
            return;
        }

        // Fourth: SYN. RFC 5961 §4.2: any SYN in a synchronized state gets a challenge ACK and is dropped.
        if (seg.HasSyn)
        {
            if (State == TcpState.SynReceived && seg.Seq == _rcv.Irs)
            {
                // A retransmitted SYN: our SYN,ACK was lost; send it again.
                _snd.Nxt = _snd.Iss;
                return;
            }
            SendChallengeAck(now);
            return;
        }

        // Fifth: ACK. "if the ACK bit is off, drop the segment".
        if (!seg.HasAck)
            return;
        if (!OnAck(seg, now))
            return;

        // Seventh: segment text, in ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2.
        if (payload.Length > 0 && State is TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2)
            AcceptText(seg.Seq, payload, now);

        // Eighth: FIN, once everything before it has arrived.
        if (seg.HasFin && seg.Seq + seg.DataLength == _rcv.Nxt && State is TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2)
            OnFin(now);
    }

    /// <summary>
    /// RFC 9293 §3.10.7.4, first check, the four cases: zero-length segments need SEG.SEQ in the window (or equal to
    /// RCV.NXT when the window is zero); segments with length need their first or last octet in it.
    /// </summary>
    private bool IsAcceptable(in Segment seg)
    {
        int length = seg.SequenceLength;
        int window = RcvWnd;
        if (length == 0)
            return window == 0 ? seg.Seq == _rcv.Nxt : seg.Seq.InWindow(_rcv.Nxt, window);
        if (window == 0)
            return false;
        return seg.Seq.InWindow(_rcv.Nxt, window) || (seg.Seq + (length - 1)).InWindow(_rcv.Nxt, window);
    }

    /// <summary>Fifth check of RFC 9293 §3.10.7.4; returns false when the segment is to be dropped.</summary>
    private bool OnAck(in Segment seg, TimeSpan now)
    {
        if (State == TcpState.SynReceived)
        {
            // "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED ... If the segment acknowledgment is not
            // acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST>."
            if (!(_snd.Una < seg.Ack && seg.Ack <= _snd.Max))
            {
                _resetSeq = seg.Ack;
                return false;
            }
            State = _sendClosed ? TcpState.FinWait1 : TcpState.Established;
            _snd.Wnd = PeerWindow(seg);
            _snd.MaxWnd = Math.Max(_snd.MaxWnd, _snd.Wnd);
            _snd.Wl1 = seg.Seq;
            _snd.Wl2 = seg.Ack;
        }

        // RFC 5961 §5.2: an ACK outside [SND.UNA - MAX.SND.WND, SND.MAX] gets an ACK back and is dropped.
        if (seg.Ack > _snd.Max || seg.Ack < _snd.Una - _snd.MaxWnd)
        {
            if (MayAnswerInvalid(seg, now))
                SendChallengeAck(now);
            return false;
        }
        int newlySacked = TakeSackBlocks(seg, now);
        bool advanced = seg.Ack > _snd.Una;
        if (advanced)
        {
            int flightBefore = FlightSize;
            int acked = seg.Ack - _snd.Una;
            AcknowledgeUpTo(seg.Ack, now, RoundTripFromTimestamps(seg, now));
            OnNewDataAcked(acked, flightBefore, now);
        }
        else if (IsDuplicateAck(seg, newlySacked))
        {
            OnDuplicateAck(now);
        }
        OnAckForRackTlp(seg, advanced, now);

        // RFC 9293 §3.10.7.4: "If SND.UNA < SEG.ACK =< SND.NXT, the send window should be updated", else only from
        // segments newer than the last update (SND.WL1, SND.WL2). An ACK of new data always updates it, as Linux's
        // tcp_may_update_window does: an in-window segment far ahead of RCV.NXT (forged, or reordered) sets SND.WL1
        // beyond every ACK the peer sends later, and by the WL1 test alone the window it carried would stay forever
        // (found by fuzzing: a forged 1-octet window, then the data went out an octet per round trip for minutes).
        if (advanced || _snd.Wl1 < seg.Seq || (_snd.Wl1 == seg.Seq && _snd.Wl2 <= seg.Ack))
        {
            bool opened = _snd.Wnd == 0 && seg.Window > 0;
            _snd.Wnd = PeerWindow(seg);
            _snd.MaxWnd = Math.Max(_snd.MaxWnd, _snd.Wnd);
            _snd.Wl1 = seg.Seq;
            _snd.Wl2 = seg.Ack;
            if (opened)
                _timers.Persist = default;
        }

        bool finAcked = _sendClosed && _snd.Una == FinSeq + 1;
        switch (State)
        {
            case TcpState.FinWait1 when finAcked:
                State = TcpState.FinWait2;
                if (_orphaned)
                    _timers.FinWait2 = now + _options.FinWait2Timeout;
                break;
            case TcpState.Closing when finAcked:
                EnterTimeWait(now);
                break;
            case TcpState.LastAck when finAcked:
                EnterClosed(TcpError.None);
                return false;
            case TcpState.TimeWait:
                return false;
        }
        return true;
    }

    /// <summary>
    /// RFC 7323 §4.1 RTTM: an ACK of new data whose TSecr echoes one of our timestamps measures the round trip,
    /// retransmissions included, so every such ACK gives a sample. A TSecr of 0 is taken as no echo, as Linux does.
    /// </summary>
    private TimeSpan? RoundTripFromTimestamps(in Segment seg, TimeSpan now)
    {
        if (!_rfc7323.Timestamps || seg.Timestamps is not TcpTimestamps ts || ts.EchoReply == 0)
            return null;
        int elapsed = unchecked((int)(TimestampClock(now) - ts.EchoReply));
        return elapsed >= 0 ? TimeSpan.FromMilliseconds(elapsed) : null;
    }

    /// <summary>SND.UNA moves to <paramref name="ack"/>: acknowledged data leaves the send buffer, the RTT is sampled.</summary>
    private void AcknowledgeUpTo(SeqNumber ack, TimeSpan now, TimeSpan? roundTrip)
    {
        int dataAcked = Math.Min(Math.Max(ack - _sendHead, 0), _send.Count);
        _send.Discard(dataAcked);
        _sendHead += dataAcked;
        _snd.Una = ack;
        if (_snd.Nxt < ack)
            _snd.Nxt = ack;
        _lastProgress = now;
        // Karn's rule: only a segment sent once is timed, and the timing stops at a retransmission.
        if (_timing && ack > _timedSeq)
        {
            _rto.AddSample(roundTrip ?? now - _timedAt);
            _timing = false;
        }
        else if (roundTrip is TimeSpan measured)
        {
            _rto.AddSample(measured);
        }
        _rto.OnProgress();
        // RFC 6298 §5.2-5.3: stop the timer when everything is acknowledged, else restart it.
        _timers.Retransmit = _snd.Una == _snd.Max ? default(DueTime) : now + RetransmissionTimeout;
    }

    /// <summary>Stores in-window text, trimmed to what is new and what fits.</summary>
    private void AcceptText(SeqNumber seq, ReadOnlySpan<byte> payload, TimeSpan now)
    {
        // Trim what was already received and what lies beyond the window (RFC 9293 §3.10.7.4, first check).
        int skip = _rcv.Nxt - seq;
        if (skip > 0)
        {
            ReportDuplicate(seq, Math.Min(skip, payload.Length));
            if (skip >= payload.Length)
            {
                _ack.Pending = true;
                return;
            }
            payload = payload[skip..];
            seq = _rcv.Nxt;
        }
        int offsetInWindow = seq - _rcv.Nxt;
        int room = _receive.Window - offsetInWindow;
        if (payload.Length > room)
            payload = payload[..Math.Max(0, room)];
        ReportIfHeldAlready(seq, payload.Length);
        bool gapsBefore = _receive.OutOfOrderRanges > 0;
        int advanced = _receive.Accept(_receive.NextOffset + offsetInWindow, payload);
        if (advanced > 0)
            _rcv.Nxt += advanced;
        // RFC 5681 §4.2: out-of-order data (or data that could not be kept) is answered at once with a duplicate
        // ACK, and so is data that fills a gap; in-order data may wait for a delayed ACK.
        // So is data that leaves the window nearly closed: the sender must learn at once that it has to stop.
        // A segment larger than our MSS is several coalesced into one by the NIC (receive offload): it counts as
        // the second full-sized segment at least.
        if (advanced <= 0 || gapsBefore || RcvWnd < WindowUpdateThreshold || payload.Length > _ourMss)
            _ack.Pending = true;
        else
            DelayAck(now);
    }

    /// <summary>
    /// RFC 9293 §3.8.6.3 (RFC 1122 §4.2.3.2): acknowledge at least every second segment, and no later than the
    /// delayed-ACK timeout; any segment sent meanwhile carries the ACK instead.
    /// </summary>
    private void DelayAck(TimeSpan now)
    {
        if (_options.DelayedAckTimeout == TimeSpan.Zero || ++_ack.Segments >= 2)
        {
            _ack.Pending = true;
            return;
        }
        if (!_ack.DelayedUntil.IsSet)
            _ack.DelayedUntil = now + _options.DelayedAckTimeout;
    }

    /// <summary>RFC 9293 §3.10.7.4, eighth check.</summary>
    private void OnFin(TimeSpan now)
    {
        _rcv.Nxt += 1;
        ReceivedFin = true;
        _ack.Pending = true;
        switch (State)
        {
            case TcpState.Established:
                State = TcpState.CloseWait;
                break;
            case TcpState.FinWait1:
                // Our FIN not yet acknowledged: simultaneous close (Figure 13).
                if (_sendClosed && _snd.Una == FinSeq + 1)
                    EnterTimeWait(now);
                else
                    State = TcpState.Closing;
                break;
            case TcpState.FinWait2:
                EnterTimeWait(now);
                break;
        }
    }

    /// <summary>
    /// The least time between two ACKs answering invalid segments of one connection: the default of Linux's
    /// <c>tcp_invalid_ratelimit</c> (Documentation/networking/ip-sysctl.rst), 500 ms.
    /// </summary>
    internal static readonly TimeSpan InvalidSegmentAnswerInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Whether an invalid segment (outside the receive window, RFC 9293 §3.10.7.4; failing PAWS, RFC 7323 §5.3; or
    /// acknowledging what was never sent, RFC 5961 §5.2) may be answered with an ACK now. Two ends that each find the
    /// other's segments invalid (a connection desynchronised by a forged segment, or a middlebox rewriting headers)
    /// would otherwise answer each other for ever at the round-trip rate, an ACK loop that the whole-stack fuzz target
    /// found growing by one loop at every retransmission timeout. As Linux does (tcp_oow_rate_limited), such a segment
    /// without data, or with SYN, is answered at most once per <see cref="InvalidSegmentAnswerInterval"/>; one with
    /// data is always answered, since its sender needs the acknowledgment to recover.
    /// </summary>
    internal bool MayAnswerInvalid(in Segment seg, TimeSpan now)
    {
        if (seg.DataLength > 0 && !seg.HasSyn)
            return true;
        // Kept with the counters of rare events, made on the first: most connections never see an invalid segment.
        TcpConnectionCounters counters = Counters;
        if (counters.InvalidSegmentAnsweredAt.IsSet && now - counters.InvalidSegmentAnsweredAt.At < InvalidSegmentAnswerInterval)
        {
            counters.InvalidSegmentsUnanswered++;
            return false;
        }
        counters.InvalidSegmentAnsweredAt = now;
        return true;
    }

    private void SendChallengeAck(TimeSpan now)
    {
        // The rate limiter is made on the first challenge: most connections never need one.
        _challengeAcks ??= new TokenBucket(_options.ChallengeAcksPerSecond, _options.ChallengeAcksPerSecond);
        if (_challengeAcks.TryTake(now))
        {
            _ack.Pending = true;
            Counters.ChallengeAcksSent++;
        }
    }

    public int ChallengeAcksSent => _counters?.ChallengeAcksSent ?? 0;

    /// <summary>Segments dropped by PAWS (RFC 7323 §5): older TSval than the connection has seen.</summary>
    public int PawsRejected => _counters?.PawsRejected ?? 0;

    /// <summary>RFC 7323 §5.5: a TS.Recent idle for 24 days is no longer trusted for PAWS.</summary>
    private static readonly TimeSpan PawsIdleLimit = TimeSpan.FromDays(24);
}
