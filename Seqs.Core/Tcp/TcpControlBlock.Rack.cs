namespace Seqs.Tcp;

/// <summary>
/// RACK-TLP (RFC 8985) on a connection that negotiated SACK: RACK finds lost segments, retransmissions included, by
/// the time they were sent compared with the most recently sent segment known delivered (§6), and a tail loss probe
/// makes the peer report a loss at the end of a flight that no later segment would show (§7). It joins RFC 6675's
/// scoreboard as a second loss detector (§9.1): a hole is lost when either says so.
/// </summary>
internal sealed partial class TcpControlBlock
{
    // Made when the connection first sends data or gets a duplicate: a connection that does neither never carries it.
    private RackTlp? _rack;

    private RackTlp Rack => _rack ??= new RackTlp();

    /// <summary>Tail loss probes sent (RFC 8985 §7.3).</summary>
    public int LossProbes => _counters?.LossProbes ?? 0;

    /// <summary>D-SACK blocks received (RFC 2883): the peer got a segment twice.</summary>
    public int DuplicateSacksReceived => _counters?.DuplicateSacksReceived ?? 0;

    /// <summary>D-SACK blocks that reported data this end had sent twice: retransmissions that were not needed.</summary>
    public int SpuriousRetransmissions => _counters?.SpuriousRetransmissions ?? 0;

    /// <summary>Window reductions undone because D-SACKs showed every retransmission of them needless (RFC 3708 §3).</summary>
    public int WindowReductionsUndone => _counters?.WindowReductionsUndone ?? 0;

    /// <summary>RFC 8985 §6.2 step 4 RACK.reo_wnd_mult, 1 until a D-SACK widens the reordering window.</summary>
    public int ReorderWindowMultiplier => _rack?.ReorderWindowMultiplier ?? 1;

    /// <summary>When the RACK reordering timer or the TLP PTO next fires, for <see cref="NextDeadline"/>.</summary>
    private DueTime LossDetectionDeadline => _rack is null || !SendsData ? default : DueTime.Earlier(_rack.ReorderTimer, _rack.ProbeTimer);

    /// <summary>RFC 8985 §6.1 Segment.xmit_ts: octets <paramref name="seq"/> to <paramref name="end"/> left now.</summary>
    private void RecordSendTime(SeqNumber seq, SeqNumber end, bool retransmission, TimeSpan now)
    {
        if (!_sackPermitted || !SendsData)
            return;
        RackTlp rack = Rack;
        rack.Times.Record(seq, end, now);
        if (retransmission && (rack.RetransmittedEnd is not SeqNumber highest || end > highest))
            rack.RetransmittedEnd = end;
    }

    /// <summary>RFC 8985 §6.2 steps 1-3 for octets <paramref name="start"/> to <paramref name="end"/>, just delivered.</summary>
    private void OnDelivered(SeqNumber start, SeqNumber end, TimeSpan now)
    {
        if (_rack is not RackTlp rack || !rack.Times.TryGetLatest(start, end, out TimeSpan sentAt, out SeqNumber latestEnd))
            return;
        bool retransmitted = rack.RetransmittedEnd is SeqNumber highest && start < highest;
        rack.OnDelivered(sentAt, latestEnd, retransmitted, now);
    }

    /// <summary>
    /// RFC 2883 §4 (sender side) and RFC 8985 §7.4: the first SACK block of an ACK reports a duplicate. It is counted,
    /// as a needless retransmission when it covers data sent twice, and it shows that a retransmitted loss probe was
    /// not needed, so no congestion response follows it. Once such reports cover every octet retransmitted since the
    /// last window reduction, the reduction is undone (RFC 2883 §5, RFC 3708 §3; Linux's tcp_try_undo_dsack).
    /// </summary>
    private void OnDuplicateSack(SackBlock block)
    {
        Counters.DuplicateSacksReceived++;
        if (_rack is not RackTlp rack)
            return;
        if (rack.RetransmittedEnd is SeqNumber highest && block.Right <= highest)
        {
            Counters.SpuriousRetransmissions++;
            if (TableCounters is not null)
                TableCounters.SpuriousRetransmissions++;
            if (rack.TryUndo(block, out int priorWindow, out int priorThreshold))
                UndoWindowReduction(priorWindow, priorThreshold);
        }
        if (rack.ProbeEnd is SeqNumber probeEnd && rack.ProbeIsRetransmission && block.Left < probeEnd && probeEnd <= block.Right)
            rack.ProbeEnd = null;
    }

    /// <summary>
    /// A window reduction was spurious: cwnd and ssthresh go back, and a recovery still under way ends, since nothing it
    /// repaired was lost (its end would otherwise set cwnd to the restored ssthresh); RACK still finds a real hole.
    /// </summary>
    private void UndoWindowReduction(int priorWindow, int priorThreshold)
    {
        _cc.Undo(priorWindow, priorThreshold);
        if (_recovery.Active)
        {
            _recovery.Active = false;
            _rack?.OnRecoveryEnd();
        }
        Counters.WindowReductionsUndone++;
        if (TableCounters is not null)
            TableCounters.WindowReductionsUndone++;
    }

    /// <summary>
    /// After an ACK has been taken: RFC 8985 §7.4 (did a probe repair a loss?), §6.2 step 5 (detect losses, arm the
    /// reordering timer) and §7.2 (restart the PTO when SND.UNA advanced; SACKed data leaves it to RACK's timer).
    /// </summary>
    private void OnAckForRackTlp(in Segment seg, bool advanced, TimeSpan now)
    {
        if (_rack is not RackTlp rack || !_sackPermitted)
            return;
        if (rack.ProbeEnd is SeqNumber probeEnd && seg.Ack >= probeEnd)
        {
            if (!rack.ProbeIsRetransmission)
            {
                rack.ProbeEnd = null;
            }
            else if (seg.Ack > probeEnd)
            {
                // RFC 8985 §7.4.2: acknowledged beyond the probe with no D-SACK for it: the probe repaired a loss,
                // which calls for the congestion response of a fast recovery.
                rack.ProbeEnd = null;
                _cc.OnLoss(FlightSize, SendMss, now);
                _cc.OnRecoveryEnd();
            }
            else if (!advanced && seg.Sack.Count == 0 && seg.DataLength == 0)
            {
                // A duplicate ACK without SACK: the probe's own acknowledgment cannot tell whether it was needed.
                rack.ProbeEnd = null;
            }
        }
        DetectLosses(now);
        if (advanced)
            ArmLossProbe(now);
        else if (_scoreboard is { Count: > 0 })
            rack.ProbeTimer = default;
    }

    /// <summary>
    /// RFC 8985 §6.2 step 5, RACK_detect_loss: any octet not yet acknowledged or SACKed, sent before the most recently
    /// delivered segment and RACK.rtt + RACK.reo_wnd before now, is lost: a hole below the highest SACKed octet, or
    /// the tail above it when a later retransmission was delivered. One that would be later arms the reordering
    /// timer (§6.3) for when the last of them is due. A loss found outside recovery starts one (§9.1: RACK takes the
    /// place of DupThresh).
    /// </summary>
    private void DetectLosses(TimeSpan now)
    {
        RackTlp rack = _rack!;
        rack.ReorderTimer = default;
        TimeSpan window = ReorderWindow(rack);
        bool lost = false;
        TimeSpan wait = TimeSpan.Zero;
        ref SendTimes times = ref rack.Times;
        for (int i = 0; i < times.Count; i++)
        {
            TimeSpan sentAt = times.RunSentAt(i);
            SeqNumber runEnd = times.RunEnd(i);
            // The first unSACKed part of the run: every octet of a run was sent at one time.
            SeqNumber seq = SeqNumber.Max(times.RunStart(i), _snd.Una);
            SeqNumber holeEnd = runEnd;
            while (seq < runEnd && !IsUnsacked(seq, out holeEnd))
                seq = holeEnd;
            if (seq >= runEnd || !rack.DeliveredAfter(sentAt, SeqNumber.Min(runEnd, holeEnd)))
                continue;
            TimeSpan remaining = sentAt + rack.RoundTrip + window - now;
            if (remaining <= TimeSpan.Zero)
                lost = true;
            else if (remaining > wait)
                wait = remaining;
        }
        if (wait > TimeSpan.Zero)
            rack.ReorderTimer = now + wait;
        if (lost && !_recovery.Active && !_recovery.AfterTimeout)
            EnterRecovery(now);
    }

    /// <summary>
    /// Whether <paramref name="seq"/> is neither acknowledged nor SACKed; <paramref name="end"/> is where that hole,
    /// or else the SACKed range, ends (SND.MAX for the hole above the highest SACKed octet).
    /// </summary>
    private bool IsUnsacked(SeqNumber seq, out SeqNumber end)
    {
        if (_scoreboard is not { Count: > 0 } scoreboard)
        {
            end = _snd.Max;
            return true;
        }
        bool hole = scoreboard.IsHole(seq, out SeqNumber? edge);
        end = edge ?? _snd.Max;
        return hole;
    }

    /// <summary>RFC 8985 §6.2 step 4 with this connection's recovery state, SACKed data and SRTT.</summary>
    private TimeSpan ReorderWindow(RackTlp rack) =>
        rack.ReorderWindow(_recovery.Active || _recovery.AfterTimeout, _scoreboard is { Count: > 0 } && _scoreboard.IsLost(_snd.Una, SendMss), _rto.SmoothedRoundTripTime);

    /// <summary>RFC 8985 §6.2 step 5 for one hole from <paramref name="seq"/> to <paramref name="holeEnd"/>: is it lost now?</summary>
    private bool IsRackLost(SeqNumber seq, SeqNumber holeEnd, TimeSpan now) =>
        _rack is RackTlp rack && rack.Times.TryGet(seq, out TimeSpan sentAt, out SeqNumber runEnd)
        && rack.DeliveredAfter(sentAt, SeqNumber.Min(runEnd, holeEnd))
        && sentAt + rack.RoundTrip + ReorderWindow(rack) <= now;

    /// <summary>
    /// Unacknowledged octets from <paramref name="seq"/> to <paramref name="holeEnd"/> are lost: a retransmission (below
    /// HighRxt) when RACK says so, data sent once when RFC 6675's IsLost or RACK does (only RACK above the highest
    /// SACKed octet, where IsLost never holds).
    /// </summary>
    private bool IsHoleLost(SeqNumber seq, SeqNumber holeEnd, TimeSpan now) =>
        seq < _recovery.HighRxt
            ? IsRackLost(seq, holeEnd, now)
            : _scoreboard?.IsLost(seq, SendMss) == true || IsRackLost(seq, holeEnd, now);

    /// <summary>
    /// The octets in flight during SACK recovery (RFC 6675 §4 SetPipe, with RFC 8985's marks), taken a send-time run
    /// at a time: every unSACKed octet counts once, unless it is lost and not sent again since. After a timeout only
    /// what was sent since counts: RFC 8985 §6.3 marks the rest lost.
    /// </summary>
    private int RecoveryPipe(TimeSpan now)
    {
        SeqNumber top = _recovery.AfterTimeout ? _snd.Nxt : _snd.Max;
        int pipe = 0;
        SeqNumber seq = _snd.Una;
        while (seq < top)
        {
            if (!IsUnsacked(seq, out SeqNumber end))
            {
                seq = end;
                continue;
            }
            end = SeqNumber.Min(end, top);
            if (seq < _recovery.HighRxt)
                end = SeqNumber.Min(end, _recovery.HighRxt);
            if (_rack is RackTlp rack && rack.Times.TryGet(seq, out _, out SeqNumber runEnd))
                end = SeqNumber.Min(end, runEnd);
            if (!IsHoleLost(seq, end, now))
                pipe += end - seq;
            seq = end;
        }
        return pipe;
    }

    /// <summary>
    /// RFC 8985 §6.2: a retransmission RACK finds lost (sent before a segment since delivered) goes again first.
    /// </summary>
    private bool TryBuildLostRetransmission(int room, TimeSpan now, Span<byte> payload, out Segment segment)
    {
        SackScoreboard scoreboard = Scoreboard;
        SeqNumber seq = _snd.Una;
        while (seq < _recovery.HighRxt)
        {
            if (!scoreboard.IsHole(seq, out SeqNumber? edge))
            {
                seq = edge!.Value;
                continue;
            }
            SeqNumber end = SeqNumber.Min(edge ?? _snd.Max, _recovery.HighRxt);
            if (IsRackLost(seq, end, now) && TryBuildRetransmission(seq, end, room, now, payload, out segment))
            {
                Counters.LostRetransmissions++;
                return true;
            }
            seq = end;
        }
        segment = default;
        return false;
    }

    /// <summary>
    /// RFC 8985 §7.2: after new data leaves or SND.UNA advances, a probe is due in PTO = 2·SRTT (plus WCDelAckT when
    /// one segment is in flight; 1 s before any sample), no later than the RTO. Not during recovery, after a
    /// timeout, while SACKed data lets RACK's reordering timer watch instead, or while a probe is outstanding.
    /// </summary>
    private void ArmLossProbe(TimeSpan now)
    {
        if (_rack is not RackTlp rack)
            return;
        rack.ProbeTimer = default;
        if (!_sackPermitted || !SendsData || _recovery.Active || _recovery.AfterTimeout || FlightSize == 0
            || _scoreboard is { Count: > 0 } || rack.ProbeEnd is not null)
            return;
        TimeSpan smoothed = _rto.SmoothedRoundTripTime;
        TimeSpan timeout = smoothed > TimeSpan.Zero ? smoothed + smoothed : RackTlp.InitialProbeTimeout;
        timeout += FlightSize <= SendMss ? RackTlp.WorstCaseDelayedAck : RackTlp.MinimumProbeMargin;
        DueTime at = now + timeout;
        rack.ProbeTimer = DueTime.Earlier(at, _timers.Retransmit);
    }

    /// <summary>The RACK reordering timer (RFC 8985 §6.3) and the TLP PTO (§7.3) when they are due.</summary>
    private void OnLossDetectionTimers(TimeSpan now)
    {
        if (_rack is not RackTlp rack || !SendsData)
            return;
        if (rack.ReorderTimer.IsDue(now))
            DetectLosses(now);
        if (rack.ProbeTimer.IsDue(now))
        {
            rack.ProbeTimer = default;
            if (!_recovery.Active && FlightSize > 0 && rack.ProbeEnd is null)
            {
                rack.ProbeDue = true;
                // RFC 8985 §7.3: the RTO is rearmed once the probe is sent; it must not fire in its place now.
                _timers.Retransmit = now + RetransmissionTimeout;
            }
        }
    }

    /// <summary>
    /// RFC 8985 §7.3 TLP_send_probe: a new segment if one is waiting and the receive window allows, else the last
    /// segment sent again; either way without regard to cwnd. TLP.end_seq is SND.NXT after it, and the RTO restarts.
    /// </summary>
    private bool TryBuildLossProbe(int room, TimeSpan now, Span<byte> payload, out Segment segment)
    {
        RackTlp rack = Rack;
        rack.ProbeDue = false;
        int window = _snd.Una + _snd.Wnd - _snd.Nxt;
        int unsent = Unsent;
        if (_snd.Nxt == _snd.Max && unsent > 0 && window > 0)
        {
            int length = Math.Min(Math.Min(unsent, window), room);
            bool finDue = _sendClosed && _snd.Nxt + length == FinSeq;
            rack.ProbeIsRetransmission = false;
            rack.ProbeEnd = _snd.Nxt + length + (finDue ? 1 : 0);
            segment = DataSegment(_snd.Nxt, length, finDue, payload);
            OnSent(_snd.Nxt, length + (finDue ? 1 : 0), now);
        }
        else
        {
            SeqNumber dataEnd = SeqNumber.Min(_snd.Max, _sendHead + _send.Count);
            SeqNumber start = SeqNumber.Max(_snd.Una, dataEnd - room);
            if (!TryBuildRetransmission(start, _snd.Max, room, now, payload, out segment))
                return false;
            rack.ProbeIsRetransmission = true;
            rack.ProbeEnd = _snd.Nxt;
        }
        rack.ProbeTimer = default;
        _timers.Retransmit = now + RetransmissionTimeout;
        Counters.LossProbes++;
        if (TableCounters is not null)
            TableCounters.LossProbes++;
        return true;
    }

    /// <summary>A timeout ends any probe episode and RACK's timer: go-back-N recovery takes over (RFC 8985 §7.3).</summary>
    private void StopLossDetection()
    {
        if (_rack is not RackTlp rack)
            return;
        rack.ProbeTimer = default;
        rack.ReorderTimer = default;
        rack.ProbeDue = false;
        rack.ProbeEnd = null;
    }
}
