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
    private int _dupAcks;
    private bool _inRecovery;
    /// <summary>RFC 6582 "recover" and RFC 6675 RecoveryPoint: SND.MAX when the recovery (or a timeout) began.</summary>
    private SeqNumber _recoveryPoint;
    /// <summary>A retransmission timeout happened and SND.UNA has not yet passed <see cref="_recoveryPoint"/>.</summary>
    private bool _afterTimeout;
    /// <summary>RFC 6675 HighRxt: the highest sequence number retransmitted in this recovery, plus one.</summary>
    private SeqNumber _highRxt;
    /// <summary>Send the segment at SND.UNA again next (fast retransmit, or a NewReno partial ACK).</summary>
    private bool _retransmitUna;
    /// <summary>SND.MAX when the latest retransmission of this recovery left: data above it was sent after it.</summary>
    private SeqNumber _sndMaxAtRetransmission;

    private SackScoreboard Scoreboard => _scoreboard ??= new SackScoreboard(ScoreboardRanges, SndUna);

    /// <summary>Loss recovery starts over for a new connection (<see cref="Initialize"/>); the scoreboard is kept, emptied.</summary>
    private void ResetRecovery(SeqNumber iss)
    {
        _scoreboard?.Reset(iss);
        _dupAcks = 0;
        _inRecovery = false;
        _recoveryPoint = default;
        _afterTimeout = false;
        _highRxt = default;
        _retransmitUna = false;
        _sndMaxAtRetransmission = default;
    }

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
    public bool InRecovery => _inRecovery;

    /// <summary>FlightSize (RFC 5681 §2): data sent and not yet acknowledged.</summary>
    private int FlightSize => _sndMax - SndUna;

    /// <summary>RFC 6675 recovery, driven by the scoreboard, on a connection that negotiated SACK.</summary>
    private bool InSackRecovery => _inRecovery && _sackPermitted;

    /// <summary>
    /// RFC 3042: on the first and second duplicate ACK, one new segment each may go beyond cwnd (the receive window
    /// still applies), to keep the ACK clock going so that a loss in a small window is found by fast retransmit.
    /// </summary>
    private int LimitedTransmitAllowance => !_inRecovery && _dupAcks is 1 or 2 ? _dupAcks * SendMss : 0;

    private void CountRetransmitted(int octets)
    {
        Counters.RetransmittedBytes += octets;
        if (StackCounters is not null)
            StackCounters.TcpRetransmittedOctets += octets;
    }

    /// <summary>Records the SACK blocks of an arriving ACK and returns how many octets they newly SACK.</summary>
    private int TakeSackBlocks(in Segment seg)
    {
        if (!_sackPermitted || seg.Sack.Count == 0)
            return 0;
        int added = 0;
        for (int i = 0; i < seg.Sack.Count; i++)
            added += Scoreboard.Add(seg.Sack[i], SndUna, _sndMax);
        return added;
    }

    /// <summary>
    /// RFC 5681 §2 DUPLICATE ACKNOWLEDGMENT: data outstanding, no data and no SYN or FIN in the segment, SEG.ACK =
    /// SND.UNA and the window unchanged; RFC 6675 §2 also counts an ACK whose SACK blocks newly SACK data.
    /// </summary>
    private bool IsDuplicateAck(in Segment seg, int newlySacked) =>
        seg.Ack == SndUna && _sndMax > SndUna
        && (newlySacked > 0 || (seg.DataLength == 0 && !seg.HasFin && !seg.HasSyn && PeerWindow(seg) == SndWnd));

    /// <summary>
    /// A retransmission lost again: during SACK recovery, the peer SACKs data sent after the latest retransmission
    /// while SND.UNA is still at a hole that was retransmitted before it. Had that retransmission arrived, the
    /// cumulative ACK would have moved first (barring reordering), so the segment at SND.UNA goes again now instead
    /// of at the retransmission timeout. This is the "lost retransmit" rule Linux applied before RACK (RFC 8985
    /// §6.2 generalises it with send times).
    /// </summary>
    private void DetectLostRetransmission()
    {
        if (!InSackRecovery || _highRxt <= SndUna || Scoreboard.HighestSacked is not SeqNumber highestSacked || highestSacked <= _sndMaxAtRetransmission)
            return;
        _retransmitUna = true;
        Counters.LostRetransmissions++;
    }

    /// <summary>Retransmissions found lost again and repeated without waiting for a timeout.</summary>
    public int LostRetransmissions => _counters?.LostRetransmissions ?? 0;

    /// <summary>SND.UNA advanced by <paramref name="acked"/>: grow the window, or move the recovery along.</summary>
    private void OnNewDataAcked(int acked, int flightBefore, TimeSpan now)
    {
        _dupAcks = 0;
        _scoreboard?.Advance(SndUna);
        if (_afterTimeout && SndUna > _recoveryPoint)
            _afterTimeout = false;
        if (_inRecovery)
        {
            if (SndUna >= _recoveryPoint)
            {
                // RFC 6582 §3.2 step 3 / RFC 6675 §5: a full acknowledgment ends the recovery.
                _inRecovery = false;
                _cc.OnRecoveryEnd();
            }
            else if (!InSackRecovery)
            {
                // RFC 6582 §3.2 step 3, partial acknowledgment: the next hole is lost too; send it at once.
                _retransmitUna = true;
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
        _dupAcks++;
        if (_inRecovery)
        {
            // RFC 5681 §3.2 step 4: each further duplicate ACK means a segment left the network. With SACK, the
            // pipe estimate already accounts for it.
            if (!InSackRecovery)
                _cc.Inflate(SendMss);
            return;
        }
        bool lost = _dupAcks >= SackScoreboard.DupThresh || (_scoreboard is { Count: > 0 } && _scoreboard.IsLost(SndUna, SendMss));
        // RFC 6582 §4.1: after a timeout, duplicate ACKs for data sent before it do not start another recovery.
        if (!lost || _afterTimeout)
            return;
        _inRecovery = true;
        Counters.FastRetransmits++;
        if (StackCounters is not null)
            StackCounters.TcpFastRetransmits++;
        Counters.FlightAtLosses += FlightSize;
        _recoveryPoint = _sndMax;
        _highRxt = SndUna;
        _cc.OnLoss(FlightSize, SendMss, now);
        // RFC 5681 §3.2 step 3: NewReno inflates by the three segments that left; RFC 6675 counts them in pipe.
        if (!InSackRecovery)
            _cc.Inflate(SackScoreboard.DupThresh * SendMss);
        _retransmitUna = true;
    }

    /// <summary>
    /// RFC 5681 §3.1 and RFC 6582 §4.1 (RFC 6675 §5.1 with SACK): a timeout ends any recovery, shrinks cwnd to one
    /// segment, and marks the data sent so far, which duplicate ACKs must not send into a second recovery.
    /// </summary>
    private void OnRetransmissionTimeout(TimeSpan now)
    {
        Counters.FlightAtLosses += FlightSize;
        if (Synchronized)
            _cc.OnRetransmissionTimeout(FlightSize, SendMss, now);
        _inRecovery = false;
        _retransmitUna = false;
        _dupAcks = 0;
        _afterTimeout = true;
        _recoveryPoint = _sndMax;
        _highRxt = SndUna;
        // RFC 2018 §8: the receiver may have discarded data it SACKed ("reneging"); a second timeout in a row stops
        // trusting the scoreboard, so nothing is left unsent forever.
        if (_rto.Backoff >= 2)
            _scoreboard?.Clear();
    }

    /// <summary>
    /// RFC 6675 §5 step (C) with NextSeg (§4): while cwnd - pipe ≥ 1 SMSS, (1) retransmit the first lost octets
    /// above HighRxt, else (2) send new data, else (3) retransmit the first unSACKed octets above HighRxt that lie
    /// below the highest SACKed octet.
    /// </summary>
    private bool TryBuildSackRecoverySegment(int room, TimeSpan now, Span<byte> payload, out Segment segment)
    {
        SackScoreboard scoreboard = Scoreboard;
        segment = default;
        if (_cc.Window - scoreboard.Pipe(SndUna, _sndMax, _highRxt, SendMss) < SendMss)
            return false;
        SeqNumber seq = SeqNumber.Max(SndUna, _highRxt);
        SeqNumber? holeEnd;
        while (!scoreboard.IsHole(seq, out holeEnd))
            seq = holeEnd!.Value;
        // A hole below the highest SACKed octet: rule (1) when it is lost, rule (3) when no new data can go.
        bool hole = holeEnd is not null;
        if (hole && scoreboard.IsLost(seq, SendMss) && TryBuildRetransmission(seq, holeEnd!.Value, room, now, payload, out segment))
            return true;
        int length = Math.Min(Math.Min(Unsent, SndUna + SndWnd - SndNxt), room);
        bool finDue = _sendClosed && SndNxt + length == FinSeq;
        if (SndNxt == _sndMax && (length > 0 || (finDue && SndNxt == FinSeq)))
        {
            segment = DataSegment(SndNxt, length, finDue, payload);
            OnSent(SndNxt, length + (finDue ? 1 : 0), now);
            return true;
        }
        return hole && TryBuildRetransmission(seq, holeEnd!.Value, room, now, payload, out segment);
    }
}
