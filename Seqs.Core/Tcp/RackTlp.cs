namespace Seqs.Tcp;

/// <summary>
/// The state of RACK-TLP (RFC 8985) for one connection that negotiated SACK: when outstanding data was sent, the
/// RACK variables of §6.1 (the most recently sent segment known delivered, the reordering window and its D-SACK
/// adaptation), the TLP variables of §7 (the one loss probe of an episode), the two timers, and the D-SACK block
/// this end reports next (RFC 2883 §4). Made when the connection first sends data or receives a duplicate, and kept
/// when the control block is reused: 320 B with its 16 send-time runs of 8 octets (152 B for the array; the undo state of
/// RFC 3708 included), beside the 512 B a connection costs
/// before it sends anything.
/// </summary>
internal sealed class RackTlp
{
    /// <summary>RFC 8985 §7.2 WCDelAckT: the worst-case delayed-ACK time a lone segment's probe waits for.</summary>
    public static readonly TimeSpan WorstCaseDelayedAck = TimeSpan.FromMilliseconds(200);

    /// <summary>RFC 8985 §7.2: the PTO before any RTT sample.</summary>
    public static readonly TimeSpan InitialProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Added to 2·SRTT when more than one segment is in flight, as Linux adds TCP_TIMEOUT_MIN (2 ms) in
    /// tcp_schedule_loss_probe: on a LAN whose SRTT is microseconds, the peer's ACK would otherwise often lose the race
    /// with a probe that is then spurious.
    /// </summary>
    public static readonly TimeSpan MinimumProbeMargin = TimeSpan.FromMilliseconds(2);

    /// <summary>RFC 8985 §6.2 step 4: a D-SACK keeps the widened reordering window for 16 recoveries.</summary>
    private const int ReorderWindowPersistence = 16;

    private SendTimes _times = new();

    public ref SendTimes Times => ref _times;

    // RFC 8985 §6.1: RACK.xmit_ts, RACK.end_seq and RACK.rtt of the most recently sent segment known delivered.
    private TimeSpan _xmitTime;
    private SeqNumber _endSeq;
    private bool _delivered;
    // RACK.min_RTT, zero until the first sample; RACK.fack, the highest delivered sequence number plus one.
    private TimeSpan _minRtt;
    private SeqNumber _fack;
    private bool _reorderingSeen;
    // RACK.dsack_round, RACK.reo_wnd_mult and RACK.reo_wnd_persist.
    private SeqNumber _dsackRound;
    private bool _dsackRoundSet;
    private int _reorderWindowMultiplier = 1;
    private int _reorderWindowPersist;

    // RFC 3708 §3 (Linux's undo_marker, undo_retrans, prior_cwnd and prior_ssthresh): where the window reduction in
    // force began, the octets retransmitted since that no D-SACK has shown needless, and the window before it.
    private SeqNumber _undoMarker;
    private bool _undoPossible;
    private int _undoOctets;
    private int _priorWindow;
    private int _priorThreshold;

    public TimeSpan RoundTrip { get; private set; }

    /// <summary>RFC 8985 §6.2 step 3: a segment was delivered below one sent after it (RACK.reordering_seen).</summary>
    public bool ReorderingSeen => _reorderingSeen;

    public int ReorderWindowMultiplier => _reorderWindowMultiplier;

    /// <summary>The RACK reordering timer of RFC 8985 §6.3.</summary>
    public DueTime ReorderTimer { get; set; }

    /// <summary>The TLP PTO timer of RFC 8985 §7.2.</summary>
    public DueTime ProbeTimer { get; set; }

    /// <summary>The PTO fired: the next segment built is the loss probe (RFC 8985 §7.3).</summary>
    public bool ProbeDue { get; set; }

    /// <summary>RFC 8985 §7.3 TLP.end_seq, while a probe is outstanding; null when none is.</summary>
    public SeqNumber? ProbeEnd { get; set; }

    /// <summary>RFC 8985 §7.3 TLP.is_retrans: the outstanding probe sent old data again.</summary>
    public bool ProbeIsRetransmission { get; set; }

    /// <summary>The highest sequence number ever sent twice, plus one: a D-SACK at or below it reports a needless retransmission.</summary>
    public SeqNumber? RetransmittedEnd { get; set; }

    /// <summary>RFC 2883 §4: a duplicate segment arrived; the next ACK's first SACK block reports it.</summary>
    public SackBlock? DuplicateToReport { get; set; }

    /// <summary>Starts over for a new connection.</summary>
    public void Reset()
    {
        Times.Clear();
        _xmitTime = default;
        _endSeq = default;
        _delivered = false;
        _minRtt = default;
        _fack = default;
        _reorderingSeen = false;
        _dsackRound = default;
        _dsackRoundSet = false;
        _reorderWindowMultiplier = 1;
        _reorderWindowPersist = 0;
        RoundTrip = default;
        ReorderTimer = default;
        ProbeTimer = default;
        ProbeDue = false;
        ProbeEnd = null;
        ProbeIsRetransmission = false;
        RetransmittedEnd = null;
        DuplicateToReport = null;
        _undoMarker = default;
        _undoPossible = false;
        _undoOctets = 0;
        _priorWindow = 0;
        _priorThreshold = 0;
    }

    /// <summary>A window reduction starts at SND.UNA <paramref name="una"/>, from cwnd <paramref name="window"/> and ssthresh <paramref name="threshold"/>.</summary>
    public void OnWindowReduced(SeqNumber una, int window, int threshold)
    {
        _undoMarker = una;
        _undoPossible = true;
        _undoOctets = 0;
        _priorWindow = window;
        _priorThreshold = threshold;
    }

    /// <summary>Octets from <paramref name="seq"/> were sent again: a D-SACK must show them needless before an undo.</summary>
    public void OnRetransmitted(SeqNumber seq, int octets)
    {
        if (_undoPossible && seq >= _undoMarker)
            _undoOctets += octets;
    }

    /// <summary>
    /// RFC 3708 §3 and RFC 2883 §5: a D-SACK reports <paramref name="block"/> received twice. Once D-SACKs have covered
    /// every octet retransmitted since the reduction began, the reduction was spurious: true, with the window before it.
    /// </summary>
    public bool TryUndo(SackBlock block, out int priorWindow, out int priorThreshold)
    {
        priorWindow = _priorWindow;
        priorThreshold = _priorThreshold;
        if (!_undoPossible || _undoOctets == 0 || block.Left < _undoMarker)
            return false;
        _undoOctets -= block.Right - block.Left;
        if (_undoOctets > 0)
            return false;
        _undoPossible = false;
        return true;
    }


    /// <summary>
    /// RFC 8985 §6.2 steps 1-3 for a delivered range whose most recent part was sent at <paramref name="sentAt"/> and
    /// ends at <paramref name="end"/>: the min RTT, RACK.xmit_ts/end_seq/rtt when it was sent after the current one,
    /// and reordering when it lies below data delivered before it and was never sent twice.
    /// </summary>
    public void OnDelivered(TimeSpan sentAt, SeqNumber end, bool retransmitted, TimeSpan now)
    {
        // A retransmission's recorded time may be a microsecond ahead of the clock (SendTimes): its RTT is then none at all.
        TimeSpan rtt = now > sentAt ? now - sentAt : TimeSpan.Zero;
        // Step 2: the ACK of a retransmitted segment sooner than the min RTT is for its original: no sample.
        if (retransmitted && rtt < _minRtt)
            return;
        if (!retransmitted && (_minRtt == TimeSpan.Zero || rtt < _minRtt))
            _minRtt = rtt;
        if (!_delivered || SentAfter(sentAt, end, _xmitTime, _endSeq))
        {
            RoundTrip = rtt;
            _xmitTime = sentAt;
            _endSeq = end;
            _delivered = true;
        }
        // Step 3: "If the segment was not retransmitted and ... RACK.fack is above it, RACK.reordering_seen = TRUE".
        if (!retransmitted && end < _fack)
            _reorderingSeen = true;
        if (end > _fack)
            _fack = end;
    }

    /// <summary>RFC 8985 §6.2 step 5's test: the most recently delivered segment was sent after this one.</summary>
    public bool DeliveredAfter(TimeSpan sentAt, SeqNumber end) => _delivered && SentAfter(_xmitTime, _endSeq, sentAt, end);

    /// <summary>
    /// RFC 8985 §6.2 step 4, RACK.reo_wnd: none until reordering is seen while in recovery or once DupThresh segments
    /// are SACKed; else RACK.min_RTT / 4 times the D-SACK multiplier, at most SRTT.
    /// </summary>
    public TimeSpan ReorderWindow(bool inRecovery, bool dupThreshSacked, TimeSpan smoothedRoundTrip)
    {
        if (!_reorderingSeen && (inRecovery || dupThreshSacked))
            return TimeSpan.Zero;
        var window = TimeSpan.FromTicks(_minRtt.Ticks / 4 * _reorderWindowMultiplier);
        return window < smoothedRoundTrip ? window : smoothedRoundTrip;
    }

    /// <summary>
    /// RFC 8985 §6.2 step 4, RACK_update_reo_wnd: a D-SACK widens the window by one min RTT / 4, at most once per
    /// round trip (until SND.UNA passes <paramref name="sndNxt"/>), and the widening lasts 16 recoveries.
    /// </summary>
    public void OnAck(SeqNumber una, bool duplicateSack, SeqNumber sndNxt)
    {
        if (_dsackRoundSet && una >= _dsackRound)
            _dsackRoundSet = false;
        if (!_dsackRoundSet && duplicateSack)
        {
            _dsackRoundSet = true;
            _dsackRound = sndNxt;
            _reorderWindowMultiplier++;
            _reorderWindowPersist = ReorderWindowPersistence;
        }
    }

    /// <summary>RFC 8985 §6.2 step 4: each recovery that ends counts down the D-SACK widening.</summary>
    public void OnRecoveryEnd()
    {
        if (--_reorderWindowPersist <= 0)
            _reorderWindowMultiplier = 1;
    }

    /// <summary>RFC 8985 §6.2 RACK_sent_after: later, or at the same time and higher in sequence.</summary>
    private static bool SentAfter(TimeSpan t1, SeqNumber seq1, TimeSpan t2, SeqNumber seq2) => t1 > t2 || (t1 == t2 && seq1 > seq2);
}
