using Seqs.Diagnostics;
using Seqs.Drivers.Enc28j60.Register.Buffer;
using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Packets;
using Seqs.Drivers.Enc28j60.Register.Spi;

namespace Seqs.Drivers.Enc28j60;

public sealed partial class Enc28j60
{
    /// <summary>
    /// Errata DS80349C #15; docs/reference/enc28j60.md#transmit-completion: a late collision is retried up to 16 times.
    /// </summary>
    private const int MaxLateCollisionRetries = 16;

    private int _transmitEnd;
    private bool _transmitInFlight;
    private bool _transmitBlocked;
    private bool _transmitResetNeeded;
    private int _inFlightLength;
    private long _transmitStartedAt;
    private int _lateCollisionRetries;

    /// <summary>
    /// Writes <paramref name="frame"/> after the per-packet control byte at ETXST in one WBM and sets TXRTS (§7.1).
    /// Errata DS80349C #12 (a half-duplex erratum: an abort may stall the transmit logic) is served as the errata
    /// allows: in half duplex the logic is reset (TXRST set, then cleared) before every frame; in full duplex only
    /// after a TXERIF or a transmit timeout, as Linux's enc28j60 does. Returns false while the previous frame is
    /// still going out: the transmit buffer holds one frame. A frame sent while the link is down is dropped, as the
    /// wire would.
    /// </summary>
    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > MaxFrameSize)
            throw new ArgumentException($"A {frame.Length}-byte frame exceeds the {MaxFrameSize}-byte maximum.", nameof(frame));
        if (_disposed)
            throw new ObjectDisposedException(nameof(Enc28j60));
        if (_powerSave || (_transmitInFlight && !TransmitFinished()))
        {
            Counters.TransmitRejections++;
            _transmitBlocked = true;
            return false;
        }
        _transmitBlocked = false;
        if (!_linkUp && !_options.PhyLoopback)
        {
            Counters.FramesDroppedLinkDown++;
            return true;
        }
        bool resetFirst = _options.Duplex == DuplexMode.Half || _transmitResetNeeded;
        if (resetFirst)
            HoldTransmitLogicInReset();
        _bus.WritePair(ControlRegister.Ewrpt, EthernetBuffer.TransmitStart);
        _bus.WriteBuffer(PacketControl.UseMacon3, frame);
        SetTransmitEnd(EthernetBuffer.TransmitStart + frame.Length);
        FreeReceiveSpace(); // Bank 0 is selected now, so this costs two writes and no bank switch.
        StartTransmission(resetFirst);
        _inFlightLength = frame.Length;
        _lateCollisionRetries = 0;
        _countAfterTransmit = _interrupt is not null;
        Counters.FramesTransmitted++;
        Counters.BytesTransmitted += frame.Length;
        return true;
    }

    /// <summary>ETXND is the last frame byte; a byte already holding its value is not written again.</summary>
    private void SetTransmitEnd(int end)
    {
        if ((byte)end != (byte)_transmitEnd)
            _bus.Write(ControlRegister.Etxnd, (byte)end);
        if ((byte)(end >> 8) != (byte)(_transmitEnd >> 8))
            _bus.Write(ControlRegister.Etxnd.Next(), (byte)(end >> 8));
        _transmitEnd = end;
    }

    /// <summary>
    /// Errata #12, first half: one WCR of ECON1 sets TXRST and selects bank 0 for EWRPT (the bank switch the
    /// transmit path needs anyway). A WCR is safe here: nothing is in flight (TXRTS reads clear), RXEN is on outside
    /// power save, and the driver uses neither DMA nor RXRST at this point.
    /// </summary>
    private void HoldTransmitLogicInReset() => _bus.WriteEcon1(Econ1.TxRst | Econ1.RxEn);

    /// <summary>
    /// Sets TXRTS. Without a reset, one WCR of ECON1 sets TXRTS and selects bank 1 for the next EPKTCNT read (safe
    /// for the reasons of <see cref="HoldTransmitLogicInReset"/>). After a reset, errata #12's second half comes
    /// first: one WCR clears TXRST ("then clearing ECON1.TXRST") and selects bank 1, then TXIF and TXERIF are cleared
    /// because "clearing ECON1.TXRST may cause a new transmit error interrupt event ... therefore, the interrupt flag
    /// should be cleared after the Reset is completed", and a BFS sets TXRTS.
    /// </summary>
    private void StartTransmission(bool afterReset)
    {
        if (afterReset)
        {
            _bus.WriteEcon1(Econ1.RxEn | 1);
            _bus.ClearBits(ControlRegister.Eir, Eir.TxIf | Eir.TxErIf);
            _bus.SetBits(ControlRegister.Econ1, Econ1.TxRts);
            _transmitResetNeeded = false;
        }
        else
        {
            _bus.WriteEcon1(Econ1.TxRts | Econ1.RxEn | 1);
        }
        _transmitInFlight = true;
        _transmitStartedAt = _time.GetTimestamp();
    }

    /// <summary>
    /// Whether the frame in flight is done. Full duplex reads ECON1: TXRTS clears when the frame is out (§7.1). Half
    /// duplex reads EIR instead, which says both: TXIF is set when a frame is done or aborted (§7.1), TXERIF when it
    /// was aborted (§12.1.3); a late collision (TSV bit 29, errata #15) sends the same frame again. Bounded: past
    /// <see cref="Enc28j60Options.TransmitTimeout"/> the logic counts as stalled; the frame is cancelled by clearing
    /// TXRTS, and the next frame resets the transmit logic first.
    /// </summary>
    private bool TransmitFinished()
    {
        if (_options.Duplex == DuplexMode.Full)
        {
            if ((_bus.Read(ControlRegister.Econ1) & Econ1.TxRts) == 0)
                return Finished();
        }
        else
        {
            var flags = new Eir(_bus.Read(ControlRegister.Eir));
            if (flags.TransmitError)
                return !RetryAfterTransmitError();
            if (flags.TransmitDone)
                return Finished();
        }
        TimeSpan elapsed = _time.GetElapsedTime(_transmitStartedAt);
        if (elapsed < _options.TransmitTimeout)
            return false;
        Counters.TransmitStalls++;
        if (_transmitStallLog.TryEnter(_time, out int suppressed))
            Log.TransmitStalled(_logger, elapsed, LogGate.Note(suppressed));
        _bus.ClearBits(ControlRegister.Econ1, Econ1.TxRts);
        _transmitResetNeeded = true;
        return Finished();
    }

    private bool Finished()
    {
        _transmitInFlight = false;
        return true;
    }

    /// <summary>Half duplex, after TXERIF: reads the TSV; true when it sent the frame again after a late collision.</summary>
    private bool RetryAfterTransmitError()
    {
        TransmitStatusVector status = ReadTransmitStatus();
        Counters.TransmitErrors++;
        Log.TransmitError(_logger, status.ToString());
        if (!status.LateCollision || _lateCollisionRetries >= MaxLateCollisionRetries)
        {
            _transmitInFlight = false;
            return false;
        }
        _lateCollisionRetries++;
        Counters.LateCollisionRetries++;
        HoldTransmitLogicInReset();
        StartTransmission(afterReset: true);
        return true;
    }

    /// <summary>The TSV sits after ETXND (§7.1); ERDPT is borrowed and put back on the next packet.</summary>
    private TransmitStatusVector ReadTransmitStatus()
    {
        _bus.WritePair(ControlRegister.Erdpt, _transmitEnd + 1);
        var status = TransmitStatusVector.Read(_bus.ReadBuffer(TransmitStatusVector.Length));
        _bus.WritePair(ControlRegister.Erdpt, _nextPacket);
        return status;
    }
}
