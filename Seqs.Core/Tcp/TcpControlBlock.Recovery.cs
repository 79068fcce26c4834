namespace Seqs.Tcp;

/// <summary>
/// Congestion control and loss recovery: the congestion window (RFC 5681), fast retransmit and NewReno recovery
/// (RFC 6582) or, with SACK, the conservative SACK-based recovery of RFC 6675, limited transmit (RFC 3042) and the
/// reaction to a retransmission timeout.
/// </summary>
internal sealed partial class TcpControlBlock
{
    /// <summary>Scoreboard ranges kept per connection: more than a receiver reports at once (three or four).</summary>
    private const int ScoreboardRanges = 16;

    private CongestionControl _cc;
    // Made when the first SACK block arrives: a connection without loss never carries it.
    private SackScoreboard? _scoreboard;

    private SackScoreboard Scoreboard => _scoreboard ??= new SackScoreboard(ScoreboardRanges, _snd.Una);

    /// <summary>cwnd, in octets.</summary>
    public int CongestionWindow => _cc.Window;

    /// <summary>ssthresh, in octets.</summary>
    public int SlowStartThreshold => _cc.SlowStartThreshold;

    /// <summary>Loss recoveries entered on duplicate ACKs or SACK information (RFC 5681 §3.2 fast retransmit).</summary>
    public int FastRetransmits => _counters?.FastRetransmits ?? 0;

    /// <summary>Octets of data sent more than once, by any mechanism.</summary>
    public long RetransmittedBytes => _counters?.RetransmittedBytes ?? 0;

    /// <summary>
    /// The sum of FlightSize at each loss detected (fast retransmit or timeout): what a go-back-N sender, which
    /// resends everything outstanding, would have sent again. Compared with <see cref="RetransmittedBytes"/> it shows
    /// what SACK and fast recovery saved.
    /// </summary>
    public long FlightAtLosses => _counters?.FlightAtLosses ?? 0;

    /// <summary>In fast recovery, after three duplicate ACKs or SACK information showed a loss.</summary>
    public bool InRecovery => _recovery.Active;

    /// <summary>FlightSize (RFC 5681 §2): data sent and not yet acknowledged.</summary>
    private int FlightSize => _snd.Max - _snd.Una;

    /// <summary>RFC 6675 recovery, driven by the scoreboard, on a connection that negotiated SACK.</summary>
    private bool InSackRecovery => _recovery.Active && _sackPermitted;

    /// <summary>
    /// RFC 3042: on the first and second duplicate ACK, one new segment each may go beyond cwnd (the receive window
    /// still applies), to keep the ACK clock going so that a loss in a small window is found by fast retransmit.
    /// </summary>
    private int LimitedTransmitAllowance => !_recovery.Active && _recovery.DupAcks is 1 or 2 ? _recovery.DupAcks * SendMss : 0;

    private void CountRetransmitted(SeqNumber seq, int octets)
    {
        _rack?.OnRetransmitted(seq, octets);
        Counters.RetransmittedBytes += octets;
        if (TableCounters is not null)
            TableCounters.RetransmittedOctets += octets;
    }

    /// <summary>
    /// Records the SACK blocks of an arriving ACK and returns how many octets they newly SACK; what they deliver
    /// feeds RACK (RFC 8985 §6.2). RFC 2883 §4: a first block below SEG.ACK, or inside the second block, is a D-SACK,
    /// reporting a duplicate rather than data above the cumulative ACK.
    /// </summary>
    private int TakeSackBlocks(in Segment seg, TimeSpan now)
    {
        if (!_sackPermitted || seg.Sack.Count == 0)
            return 0;
        SackBlock first = seg.Sack[0];
        bool duplicate = first.Right <= seg.Ack
            || (seg.Sack.Count > 1 && first.Left >= seg.Sack[1].Left && first.Right <= seg.Sack[1].Right);
        if (duplicate)
            OnDuplicateSack(first);
        int added = 0;
        for (int i = duplicate ? 1 : 0; i < seg.Sack.Count; i++)
        {
            SackBlock block = seg.Sack[i];
            int newly = Scoreboard.Add(block, _snd.Una, _snd.Max);
            if (newly > 0)
                OnDelivered(block.Left, block.Right, now);
            added += newly;
        }
        _rack?.OnAck(_snd.Una, duplicate, _snd.Max);
        return added;
    }

    /// <summary>
    /// RFC 5681 §2 DUPLICATE ACKNOWLEDGMENT: data outstanding, no data and no SYN or FIN in the segment, SEG.ACK =
    /// SND.UNA and the window unchanged; RFC 6675 §2 also counts an ACK whose SACK blocks newly SACK data.
    /// </summary>
    private bool IsDuplicateAck(in Segment seg, int newlySacked) =>
        seg.Ack == _snd.Una && _snd.Max > _snd.Una
        && (newlySacked > 0 || (seg.DataLength == 0 && !seg.HasFin && !seg.HasSyn && PeerWindow(seg) == _snd.Wnd));

    /// <summary>Retransmissions RACK found lost again (RFC 8985 §6.2) and repeated without waiting for a timeout.</summary>
    public int LostRetransmissions => _counters?.LostRetransmissions ?? 0;

    /// <summary>SND.UNA advanced by <paramref name="acked"/>: grow the window, or move the recovery along.</summary>
    private void OnNewDataAcked(int acked, int flightBefore, TimeSpan now)
    {
        _recovery.DupAcks = 0;
        OnDelivered(_snd.Una - acked, _snd.Una, now);
        if (_rack is RackTlp rack)
            rack.Times.Advance(_snd.Una);
        _scoreboard?.Advance(_snd.Una);
        // RFC 6582 §3.2 step 1: the wait ends once the ACK covers "recover", the highest octet sent before the
        // timeout, which is Point - 1.
        if (_recovery.AfterTimeout && _snd.Una >= _recovery.Point)
            _recovery.AfterTimeout = false;
        if (_recovery.Active)
        {
            if (_snd.Una >= _recovery.Point)
            {
                // RFC 6582 §3.2 step 3 / RFC 6675 §5: a full acknowledgment ends the recovery.
                _recovery.Active = false;
                _cc.OnRecoveryEnd();
                _rack?.OnRecoveryEnd();
            }
            else if (!InSackRecovery)
            {
                // RFC 6582 §3.2 step 3, partial acknowledgment: the next hole is lost too; send it at once.
                _recovery.RetransmitUna = true;
                _cc.Deflate(acked, SendMss);
            }
            return;
        }
        _cc.OnAcked(acked, SendMss, flightBefore + 2 * SendMss > _cc.Window, now, _rto.SmoothedRoundTripTime);
        // cwnd beyond what the send buffer can ever have in flight would only allow a line-rate burst later.
        _cc.Limit(Math.Max(_send.Capacity + SendMss, 4 * SendMss));
    }

    /// <summary>RFC 5681 §3.2 steps 1-4, RFC 6582 §3.2 and RFC 6675 §5: a duplicate ACK arrived.</summary>
    private void OnDuplicateAck(TimeSpan now)
    {
        _recovery.DupAcks++;
        if (_recovery.Active)
        {
            // RFC 5681 §3.2 step 4: each further duplicate ACK means a segment left the network. With SACK, the
            // pipe estimate already accounts for it.
            if (!InSackRecovery)
                _cc.Inflate(SendMss);
            return;
        }
        bool lost = _recovery.DupAcks >= SackScoreboard.DupThresh || (_scoreboard is { Count: > 0 } && _scoreboard.IsLost(_snd.Una, SendMss));
        // RFC 6582 §4.1: after a timeout, duplicate ACKs for data sent before it do not start another recovery.
        if (!lost || _recovery.AfterTimeout)
            return;
        EnterRecovery(now);
    }

    /// <summary>
    /// RFC 5681 §3.2 steps 2-3, RFC 6582 §3.2 and RFC 6675 §5: a loss was found (by duplicate ACKs, SACK or RACK):
    /// remember SND.MAX as the recovery point, reduce the window and retransmit the segment at SND.UNA.
    /// </summary>
    private void EnterRecovery(TimeSpan now)
    {
        _recovery.Active = true;
        Counters.FastRetransmits++;
        if (TableCounters is not null)
            TableCounters.FastRetransmits++;
        Counters.FlightAtLosses += FlightSize;
        _recovery.Point = _snd.Max;
        _recovery.HighRxt = _snd.Una;
        _rack?.OnWindowReduced(_snd.Una, _cc.Window, _cc.SlowStartThreshold);
        _cc.OnLoss(FlightSize, SendMss, now);
        // RFC 5681 §3.2 step 3: NewReno inflates by the three segments that left; RFC 6675 counts them in pipe.
        if (!InSackRecovery)
            _cc.Inflate(SackScoreboard.DupThresh * SendMss);
        _recovery.RetransmitUna = true;
        if (_rack is not null)
            _rack.ProbeTimer = default;
    }

    /// <summary>
    /// RFC 5681 §3.1 and RFC 6582 §4.1 (RFC 6675 §5.1 with SACK): a timeout ends any recovery, shrinks cwnd to one
    /// segment, and marks the data sent so far, which duplicate ACKs must not send into a second recovery.
    /// </summary>
    private void OnRetransmissionTimeout(TimeSpan now)
    {
        // A lost SYN or SYN,ACK is no flight of data: go-back-N would have nothing more to send again.
        if (Synchronized)
        {
            // Like Linux's tcp_enter_loss: a timeout during a recovery keeps that recovery's window to undo to.
            if (!_recovery.Active && !_recovery.AfterTimeout)
                _rack?.OnWindowReduced(_snd.Una, _cc.Window, _cc.SlowStartThreshold);
            Counters.FlightAtLosses += FlightSize;
            _cc.OnRetransmissionTimeout(FlightSize, SendMss, now);
        }
        _recovery.Active = false;
        _recovery.RetransmitUna = false;
        _recovery.DupAcks = 0;
        _recovery.AfterTimeout = true;
        _recovery.Point = _snd.Max;
        _recovery.HighRxt = _snd.Una;
        StopLossDetection();
        // RFC 2018 §8: the receiver may have discarded data it SACKed ("reneging"); a second timeout in a row stops
        // trusting the scoreboard, so nothing is left unsent forever.
        if (_rto.Backoff >= 2)
            _scoreboard?.Clear();
    }

    /// <summary>
    /// RFC 8985 §6.2 after a timeout (Linux's RACK in its loss state): a segment resent since the timeout that RACK
    /// finds lost again goes once more, when cwnd - pipe allows, before the go-back continues.
    /// </summary>
    private bool TryBuildLostRetransmissionAfterTimeout(int room, TimeSpan now, Span<byte> payload, out Segment segment)
    {
        segment = default;
        return _recovery.AfterTimeout && _sackPermitted && _rack is not null && _scoreboard is { Count: > 0 } && _snd.Una < _recovery.HighRxt
            && _cc.Window - RecoveryPipe(now) >= SendMss && TryBuildLostRetransmission(room, now, payload, out segment);
    }

    /// <summary>
    /// RFC 6675 §5 step (C) with NextSeg (§4): while cwnd - pipe ≥ 1 SMSS, (0) a retransmission RACK found lost goes
    /// again (RFC 8985 §6.2), (1) retransmit the first lost octets above HighRxt, else (2) send new data, else (3)
    /// retransmit the first unSACKed octets above HighRxt that lie below the highest SACKed octet.
    /// </summary>
    private bool TryBuildSackRecoverySegment(int room, TimeSpan now, Span<byte> payload, out Segment segment)
    {
        SackScoreboard scoreboard = Scoreboard;
        segment = default;
        if (_cc.Window - RecoveryPipe(now) < SendMss)
            return false;
        if (TryBuildLostRetransmission(room, now, payload, out segment))
            return true;
        SeqNumber seq = SeqNumber.Max(_snd.Una, _recovery.HighRxt);
        SeqNumber? holeEnd;
        while (!scoreboard.IsHole(seq, out holeEnd))
            seq = holeEnd!.Value;
        // Rule (1) for a lost hole (above the highest SACKed octet only RACK finds one), rule (3) for a hole below
        // that octet when no new data can go.
        bool hole = holeEnd is not null;
        SeqNumber lostEnd = holeEnd ?? _snd.Max;
        if (seq < lostEnd && IsHoleLost(seq, lostEnd, now) && TryBuildRetransmission(seq, lostEnd, room, now, payload, out segment))
            return true;
        int length = Math.Min(Math.Min(Unsent, _snd.Una + _snd.Wnd - _snd.Nxt), room);
        bool finDue = _sendClosed && _snd.Nxt + length == FinSeq;
        if (_snd.Nxt == _snd.Max && (length > 0 || (finDue && _snd.Nxt == FinSeq)))
        {
            segment = DataSegment(_snd.Nxt, length, finDue, payload);
            OnSent(_snd.Nxt, length + (finDue ? 1 : 0), now);
            return true;
        }
        return hole && TryBuildRetransmission(seq, holeEnd!.Value, room, now, payload, out segment);
    }
}
