using Seqs.Wire;

namespace Seqs.Tcp;

internal sealed partial class TcpControlBlock
{
    /// <summary>The sequence number the FIN occupies, right after the last queued byte (valid once the send side closed).</summary>
    private SeqNumber FinSeq => _sendHead + _send.Count;

    private int Unsent => _send.Count - (_snd.Nxt - _sendHead);

    /// <summary>
    /// What the windows let go from SND.NXT: the peer's receive window and the congestion window (plus RFC 3042
    /// limited transmit), whichever is smaller.
    /// </summary>
    private int UsableWindow => Math.Min(_snd.Una + _snd.Wnd - _snd.Nxt, _snd.Una + _cc.Window + LimitedTransmitAllowance - _snd.Nxt);

    private bool SendsData => State is TcpState.Established or TcpState.CloseWait or TcpState.FinWait1 or TcpState.Closing or TcpState.LastAck;

    private bool HasSomethingToSend()
    {
        if (State is TcpState.SynSent or TcpState.SynReceived)
            return _snd.Nxt == _snd.Iss;
        if (!SendsData)
            return false;
        return _recovery.RetransmitUna || InSackRecovery || (_recovery.AfterTimeout && _scoreboard is { Count: > 0 }) || _rack is { ProbeDue: true } || (Unsent > 0 && UsableWindow > 0) || (_sendClosed && _snd.Nxt == FinSeq);
    }

    /// <summary>
    /// Builds the next segment to send, if any: a pending RST, the SYN or SYN,ACK, data within the send window
    /// (copied into <paramref name="payload"/>, at most <see cref="SendMss"/> octets, or for new data whole multiples of
    /// it with <paramref name="segmentation"/>, as <paramref name="payload"/> holds), the FIN, a zero-window probe,
    /// or a bare ACK. Call it until it returns false.
    /// </summary>
    /// <param name="segmentation">True when the NIC cuts a segment longer than one MSS into MSS-sized ones (segmentation offload).</param>
    public bool TryBuildSegment(TimeSpan now, Span<byte> payload, out Segment segment, bool segmentation = false)
    {
        if (!TryBuildUnstamped(now, payload, segmentation, out segment))
            return false;
        if (segment.HasRst)
            return true;
        // RFC 7323 §3.2: once negotiated, every segment but a RST carries TSopt; an active SYN offers it.
        bool offer = segment.HasSyn && !segment.HasAck && _options.Timestamps;
        if (_rfc7323.Timestamps || offer)
            segment = segment with { Timestamps = new TcpTimestamps(TimestampClock(now), offer ? 0 : _rfc7323.Recent) };
        if (segment.HasAck)
        {
            _rfc7323.LastAckSent = segment.Ack;
            _ack.Segments = 0;
            _ack.DelayedUntil = default;
        }
        return true;
    }

    private bool TryBuildUnstamped(TimeSpan now, Span<byte> payload, bool segmentation, out Segment segment)
    {
        if (_resetSeq is SeqNumber resetSeq)
        {
            // Every reset this block makes is <SEQ=...><CTL=RST> (RFC 9293 §3.10.7).
            _resetSeq = null;
            segment = new Segment(resetSeq, default, TcpFlags.Rst, 0);
            return true;
        }
        switch (State)
        {
            case TcpState.SynSent when _snd.Nxt == _snd.Iss:
                segment = new Segment(_snd.Iss, default, TcpFlags.Syn, AdvertiseWindow(syn: true), MaximumSegmentSize: _ourMss)
                {
                    WindowScale = _options.WindowScaling ? _rfc7323.OfferedShift : null,
                    SackPermitted = _options.Sack,
                };
                OnSent(_snd.Iss, 1, now);
                return true;
            case TcpState.SynReceived when _snd.Nxt == _snd.Iss:
                // RFC 7323 §2.2 and RFC 2018 §2: a SYN,ACK carries these options only when the SYN did.
                segment = new Segment(_snd.Iss, _rcv.Nxt, TcpFlags.Syn | TcpFlags.Ack, AdvertiseWindow(syn: true), MaximumSegmentSize: _ourMss)
                {
                    WindowScale = _rfc7323.WindowScaling ? _rfc7323.OfferedShift : null,
                    SackPermitted = _sackPermitted,
                };
                OnSent(_snd.Iss, 1, now);
                return true;
        }
        if (SendsData && TryBuildDataSegment(now, payload, segmentation, out segment))
            return true;
        if (_probePending)
        {
            // RFC 9293 §3.8.6.1 probes a zero window; like Linux, with a segment just below SND.UNA, which the peer
            // must answer with an ACK carrying its current window, instead of with a byte it may have to drop.
            _probePending = false;
            segment = new Segment(_snd.Una - 1, _rcv.Nxt, TcpFlags.Ack, AdvertiseWindow(syn: false));
            return true;
        }
        if (_keepAlivePending)
        {
            // RFC 1122 §4.2.3.6: a probe with SEG.SEQ = SND.NXT-1 and no data, which the peer must acknowledge.
            _keepAlivePending = false;
            _ack.Pending = false;
            segment = new Segment(_snd.Max - 1, _rcv.Nxt, TcpFlags.Ack, AdvertiseWindow(syn: false));
            return true;
        }
        if (_ack.Pending && State is not (TcpState.Closed or TcpState.Listen or TcpState.SynSent))
        {
            // SEQ is the highest SND.NXT so far, as Linux sends it: after a timeout sent SND.NXT back, a lower one would
            // fall before the peer's RCV.NXT, fail its acceptability test and the ACK would be lost with it.
            segment = new Segment(_snd.Max, _rcv.Nxt, TcpFlags.Ack, AdvertiseWindow(syn: false)) { Sack = BuildSackBlocks() };
            _ack.Pending = false;
            return true;
        }
        segment = default;
        return false;
    }

    /// <summary>
    /// The next data (or FIN) segment: first a retransmission loss recovery asked for, then, during SACK recovery,
    /// what RFC 6675's NextSeg picks, else the data at SND.NXT that the windows allow.
    /// </summary>
    private bool TryBuildDataSegment(TimeSpan now, Span<byte> payload, bool segmentation, out Segment segment)
    {
        // RFC 7323 §3.2 (and RFC 9293 §3.7.1): the MSS counts data only, so options in every segment take from it.
        int room = Math.Min(SendMss - DataOptionsLength, payload.Length);
        if (_rack is { ProbeDue: true } && TryBuildLossProbe(room, now, payload, out segment))
            return true;
        if (_recovery.RetransmitUna)
        {
            _recovery.RetransmitUna = false;
            if (_snd.Una < _snd.Max && TryBuildRetransmission(_snd.Una, _snd.Max, room, now, payload, out segment))
                return true;
        }
        if (InSackRecovery)
            return TryBuildSackRecoverySegment(room, now, payload, out segment);
        if (TryBuildLostRetransmissionAfterTimeout(room, now, payload, out segment))
            return true;

        // After a timeout SND.NXT went back to SND.UNA: data the peer SACKed is not sent again (RFC 6675 §5.1).
        SeqNumber limit = _snd.Max;
        if (_snd.Nxt < _snd.Max && _scoreboard is { Count: > 0 })
        {
            SeqNumber? edge;
            while (!_scoreboard.IsHole(_snd.Nxt, out edge))
                _snd.Nxt = edge!.Value;
            if (edge is SeqNumber holeEnd)
                limit = holeEnd;
        }
        int unsent = Unsent;
        int length = Math.Min(Math.Min(unsent, UsableWindow), (segmentation ? NewDataRoom(room, payload.Length) : room));
        if (_snd.Nxt < _snd.Max && _snd.Nxt + length > limit)
            length = limit - _snd.Nxt;
        if (length > 0 && _snd.Nxt == _snd.Max && !MaySendNew(length, unsent, room, now))
        {
            segment = default;
            return false;
        }
        bool finDue = _sendClosed && _snd.Nxt + length == FinSeq;
        if (length > 0 || (finDue && _snd.Nxt == FinSeq))
        {
            segment = DataSegment(_snd.Nxt, length, finDue, payload);
            if (_snd.Nxt < _snd.Max)
            {
                CountRetransmitted(_snd.Nxt, length);
                // The go-back's retransmissions, which RACK may find lost again (RFC 6675 HighRxt).
                _recovery.HighRxt = SeqNumber.Max(_recovery.HighRxt, _snd.Nxt + length + (finDue ? 1 : 0));
            }
            OnSent(_snd.Nxt, length + (finDue ? 1 : 0), now);
            return true;
        }
        // A zero window with data waiting and nothing in flight: start the persist timer (RFC 9293 §3.8.6.1). The
        // wait for the window to open counts from here (see the persist timeout in OnTimer).
        if (unsent > 0 && _snd.Wnd == 0 && !_timers.Retransmit.IsSet && !_timers.Persist.IsSet)
        {
            _timers.Persist = now + RetransmissionTimeout;
            _lastProgress = now;
        }
        segment = default;
        return false;
    }

    /// <summary>
    /// How much data at SND.NXT may go in one segment when the NIC cuts segments apart (segmentation offload): for new
    /// data as many whole MSS-sized (<paramref name="room"/>) segments as the windows and the buffer below allow; every one of them full, so that a short tail is left to the sender SWS avoidance below as a
    /// segment of its own, as with per-MSS sending. Retransmissions stay one MSS.
    /// </summary>
    private int NewDataRoom(int room, int bufferLength)
    {
        if (_snd.Nxt != _snd.Max || bufferLength < 2 * room)
            return room;
        int whole = (Math.Min(Unsent, UsableWindow) / room) * room;
        return Math.Max(room, Math.Min(whole, bufferLength - bufferLength % room));
    }

    /// <summary>
    /// RFC 9293 §3.8.6.2.1 sender SWS avoidance with Nagle's algorithm (§3.7.4): new data goes when a full segment
    /// can, when everything queued can and nothing is unacknowledged (or <see cref="NoDelay"/>, or the send side
    /// is closing), or when at least half the largest window the peer offered can. Otherwise it waits for an ACK;
    /// with nothing in flight to bring one, the override timer (here the persist timer) lets it go later.
    /// </summary>
    private bool MaySendNew(int length, int unsent, int room, TimeSpan now)
    {
        bool idle = _snd.Una == _snd.Max || NoDelay || _sendClosed;
        if (length >= room || (idle && (length == unsent || length >= _snd.MaxWnd / 2)) || _swsOverride)
        {
            _swsOverride = false;
            return true;
        }
        if (_snd.Una == _snd.Max && !_timers.Persist.IsSet)
            _timers.Persist = now + RetransmissionTimeout;
        return false;
    }

    /// <summary>A segment of <paramref name="length"/> octets from the send buffer at <paramref name="seq"/>.</summary>
    private Segment DataSegment(SeqNumber seq, int length, bool fin, Span<byte> payload)
    {
        _send.CopyTo(seq - _sendHead, payload[..length]);
        TcpFlags flags = TcpFlags.Ack;
        if (length > 0 && seq + length == _sendHead + _send.Count)
            flags |= TcpFlags.Psh;
        if (fin)
            flags |= TcpFlags.Fin;
        return new Segment(seq, _rcv.Nxt, flags, AdvertiseWindow(syn: false), length) { Sack = BuildSackBlocks() };
    }

    /// <summary>
    /// Sends again what lies at <paramref name="seq"/>, up to <paramref name="end"/> and one segment, whatever the
    /// windows allow; the FIN goes with it when the range reaches it.
    /// </summary>
    private bool TryBuildRetransmission(SeqNumber seq, SeqNumber end, int room, TimeSpan now, Span<byte> payload, out Segment segment)
    {
        SeqNumber dataEnd = _sendHead + _send.Count;
        int length = Math.Max(0, Math.Min(room, SeqNumber.Min(end, dataEnd) - seq));
        bool fin = _sendClosed && seq + length == FinSeq && end > FinSeq;
        if (length == 0 && !fin)
        {
            segment = default;
            return false;
        }
        segment = DataSegment(seq, length, fin, payload);
        CountRetransmitted(seq, length);
        SeqNumber sentEnd = seq + length + (fin ? 1 : 0);
        if (sentEnd > _recovery.HighRxt)
            _recovery.HighRxt = sentEnd;
        RecordSendTime(seq, sentEnd, retransmission: true, now);
        // After a timeout SND.NXT went back to SND.UNA; what was just sent need not go again.
        if (_snd.Nxt < sentEnd)
            _snd.Nxt = sentEnd;
        // Karn's rule (RFC 6298 §3): a retransmitted range gives no RTT sample.
        if (_timing && _timedSeq < sentEnd)
            _timing = false;
        if (!_timers.Retransmit.IsSet)
            _timers.Retransmit = now + RetransmissionTimeout;
        _ack.Pending = false;
        return true;
    }

    private void OnSent(SeqNumber seq, int sequenceLength, TimeSpan now)
    {
        SeqNumber end = seq + sequenceLength;
        bool retransmission = seq < _snd.Max;
        RecordSendTime(seq, end, retransmission, now);
        // Karn's rule (RFC 6298 §3): time only segments sent for the first time, one at a time.
        if (!_timing && seq >= _snd.Max && sequenceLength > 0)
        {
            _timing = true;
            _timedSeq = end - 1;
            _timedAt = now;
        }
        _snd.Nxt = end;
        if (end > _snd.Max)
            _snd.Max = end;
        // RFC 6298 §5.1: start the timer when a segment that occupies sequence space leaves and it is not running.
        // Nothing was waiting for an acknowledgment then, so the user timeout (RFC 9293 §3.8.3) counts from now, not
        // from the last acknowledgment of an exchange that may have ended long ago.
        if (sequenceLength > 0 && !_timers.Retransmit.IsSet)
        {
            _timers.Retransmit = now + RetransmissionTimeout;
            _lastProgress = now;
        }
        if (!retransmission && sequenceLength > 0)
            ArmLossProbe(now);
        if (State is not (TcpState.SynSent))
            _ack.Pending = false;
    }

    /// <summary>Handles the timers that are due: retransmission with backoff, the persist probe, the TIME-WAIT end.</summary>
    public void OnTimer(TimeSpan now)
    {
        if (_timers.TimeWait.IsDue(now))
        {
            EnterClosed(TcpError.None);
            return;
        }
        if (_timers.FinWait2.IsDue(now))
        {
            // Like Linux after tcp_fin_timeout: the peer acknowledged our FIN but never sent its own.
            EnterClosed(TcpError.None);
            return;
        }
        // RFC 9293 §3.8.3 / RFC 1122 §4.2.3.5: after R2 without progress on sent data, give up and tell the peer.
        if (_timers.Retransmit.IsSet && Synchronized && now - _lastProgress >= _options.UserTimeout)
        {
            _resetSeq = _snd.Max;
            EnterClosed(TcpError.TimedOut);
            return;
        }
        OnLossDetectionTimers(now);
        if (_timers.Retransmit.IsDue(now))
        {
            // Nothing is acknowledged before the handshake ends, so the last progress is the open.
            if (State is TcpState.SynSent or TcpState.SynReceived && now - _lastProgress >= _options.ConnectTimeout)
            {
                EnterClosed(TcpError.TimedOut);
                return;
            }
            // A passive open whose SYN,ACKs all went unanswered is given up on their schedule (Linux's
            // tcp_synack_retries), so a spoofed SYN holds its slot for about a minute, not the connect timeout.
            if (State == TcpState.SynReceived && Listener is not null && Retransmissions >= _options.SynAckRetries)
            {
                if (TableCounters is not null)
                    TableCounters.HalfOpenTimeouts++;
                EnterClosed(TcpError.TimedOut);
                return;
            }
            // RFC 6298 §5.4-5.6: retransmit the earliest unacknowledged segment, back off, restart the timer.
            _rto.OnExpired();
            Retransmissions++;
            if (TableCounters is not null)
                TableCounters.RetransmissionTimeouts++;
            _timing = false;
            OnRetransmissionTimeout(now);
            _snd.Nxt = _snd.Una;
            // The first segment goes again whatever the windows say now: it fitted them when first sent, and with
            // the peer's window closed meanwhile it is the probe that learns when it opens (RFC 9293 §3.8.6.1).
            _recovery.RetransmitUna = Synchronized;
            _timers.Retransmit = now + RetransmissionTimeout;
        }
        if (KeepAliveDeadline.IsDue(now))
        {
            if (_keepAliveProbes >= _options.KeepAliveCount)
            {
                _resetSeq = _snd.Max;
                EnterClosed(TcpError.TimedOut);
                return;
            }
            _keepAliveProbes++;
            _keepAlivePending = true;
        }
        if (_timers.Persist.IsDue(now))
        {
            _timers.Persist = default;
            if (_snd.Wnd == 0 && Unsent > 0)
            {
                // RFC 6429 §2: a window kept closed need not hold the connection forever when resources run short;
                // like Linux with TCP_USER_TIMEOUT, a peer that answers every probe without ever opening its window
                // is given the user timeout, then aborted (a zero-window client would otherwise pin a connection,
                // and its buffers, for good).
                if (now - _lastProgress >= _options.UserTimeout)
                {
                    _resetSeq = _snd.Max;
                    if (TableCounters is not null)
                        TableCounters.ZeroWindowTimeouts++;
                    EnterClosed(TcpError.TimedOut);
                    return;
                }
                _probePending = true;
                _rto.OnExpired();
                _timers.Persist = now + RetransmissionTimeout;
            }
            else if (Unsent > 0 && _snd.Una == _snd.Max)
            {
                // RFC 9293 §3.8.6.2.1: the SWS override timeout; send what the window allows.
                _swsOverride = true;
            }
        }
        if (_ack.DelayedUntil.IsDue(now))
        {
            _ack.DelayedUntil = default;
            _ack.Pending = true;
        }
    }
}
