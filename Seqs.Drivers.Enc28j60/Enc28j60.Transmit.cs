using Seqs.Drivers.Enc28j60.Register.Buffer;
using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Packets;
using Seqs.Drivers.Enc28j60.Register.Spi;

namespace Seqs.Drivers.Enc28j60;

public sealed partial class Enc28j60
{
    /// <summary>Errata DS80349C #15 and the reference §4: a late collision is retried up to 16 times.</summary>
    private const int MaxLateCollisionRetries = 16;

    /// <summary>Status polls (ECON1 or EIR) of one frame in flight before it counts as stalled when the clock does not move.</summary>
    private const int MaxTransmitPolls = 10_000;

    private int _transmitEnd;
    private bool _transmitInFlight;
    private bool _transmitBlocked;
    private int _inFlightLength;
    private long _transmitStartedAt;
    private int _transmitPolls;
    private int _lateCollisionRetries;

    /// <summary>
    /// Writes <paramref name="frame"/> after the per-packet control byte at ETXST in one WBM and sets TXRTS (§7.1),
    /// with the transmit logic held in reset while the buffer is written (errata DS80349C #12: set TXRST, then clear
    /// it, before every TXRTS). Returns false while the previous frame is still going out: the transmit buffer holds
    /// one frame. A frame sent while the link is down is dropped, as the wire would.
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
        if (!_linkUp)
        {
            Counters.FramesDroppedLinkDown++;
            return true;
        }
        HoldTransmitLogicInReset();
        WritePair(ControlRegister.Ewrpt, EthernetBuffer.TransmitStart);
        _transfer[0] = Opcode.WriteBufferMemory;
        _transfer[1] = PacketControl.UseMacon3;
        frame.CopyTo(_transfer.AsSpan(2));
        _spi.Exchange(_transfer.AsSpan(0, 2 + frame.Length), default);
        SetTransmitEnd(EthernetBuffer.TransmitStart + frame.Length);
        FreeReceiveSpace(); // Bank 0 is selected now, so this costs one write and no bank switch.
        StartTransmission();
        _inFlightLength = frame.Length;
        _lateCollisionRetries = 0;
        Counters.FramesTransmitted++;
        Counters.BytesTransmitted += frame.Length;
        return true;
    }

    /// <summary>ETXND is the last frame byte; a byte already holding its value is not written again.</summary>
    private void SetTransmitEnd(int end)
    {
        if ((byte)end != (byte)_transmitEnd)
            Write(ControlRegister.Etxnd, (byte)end);
        if ((byte)(end >> 8) != (byte)(_transmitEnd >> 8))
            Write(ControlRegister.Etxnd.Next(), (byte)(end >> 8));
        _transmitEnd = end;
    }

    /// <summary>
    /// Errata #12, first half: one WCR of ECON1 sets TXRST and selects bank 0 for EWRPT (the bank switch the
    /// transmit path needs anyway). A WCR is safe here: nothing is in flight (TXRTS reads clear), RXEN is on outside
    /// power save, and the driver uses neither DMA nor RXRST at this point.
    /// </summary>
    private void HoldTransmitLogicInReset() => WriteEcon1(Econ1.TxRst | Econ1.RxEn);

    /// <summary>
    /// Errata #12, second half, then TXRTS: one WCR of ECON1 clears TXRST ("then clearing ECON1.TXRST") and selects
    /// bank 1 for the next EPKTCNT read; a BFS sets TXRTS. The errata orders the clear before TXRTS, so the two stay
    /// apart. Half duplex also clears TXIF and TXERIF in between: clearing TXRST may set TXERIF, "therefore, the
    /// interrupt flag should be cleared after the Reset is completed", and half duplex reads EIR to see the frame done.
    /// Full duplex reads TXRTS instead and leaves TXERIF alone (TXERIE is off).
    /// </summary>
    private void StartTransmission()
    {
        WriteEcon1(Econ1.RxEn | 1);
        if (_options.Duplex == DuplexMode.Half)
            ClearBits(ControlRegister.Eir, Eir.TxIf | Eir.TxErIf);
        SetBits(ControlRegister.Econ1, Econ1.TxRts);
        _transmitInFlight = true;
        _transmitStartedAt = _time.GetTimestamp();
        _transmitPolls = 0;
    }

    private void WriteEcon1(byte value)
    {
        _command[0] = (byte)(Opcode.WriteControlRegister | ControlRegister.Econ1.Address());
        _command[1] = value;
        _spi.Exchange(_command.AsSpan(0, 2), default);
        _bank = value & Econ1.BankSelect;
    }

    /// <summary>
    /// Whether the frame in flight is done. Full duplex reads ECON1: TXRTS clears when the frame is out (§7.1). Half
    /// duplex reads EIR instead, which says both: TXIF is set when a frame is done or aborted (§7.1), TXERIF when it
    /// was aborted (§12.1.3); a late collision (TSV bit 29, errata #15) sends the same frame again. Bounded: past
    /// <see cref="Enc28j60Options.TransmitTimeout"/> (or <see cref="MaxTransmitPolls"/> polls) the logic counts as
    /// stalled (errata #12); the frame is cancelled by clearing TXRTS, and the next frame's reset frees the logic.
    /// </summary>
    private bool TransmitFinished()
    {
        if (_options.Duplex == DuplexMode.Full)
        {
            if ((Read(ControlRegister.Econ1) & Econ1.TxRts) == 0)
                return Finished();
        }
        else
        {
            var flags = new Eir(Read(ControlRegister.Eir));
            if (flags.TransmitError)
                return !RetryAfterTransmitError();
            if (flags.TransmitDone)
                return Finished();
        }
        TimeSpan elapsed = _time.GetElapsedTime(_transmitStartedAt);
        if (++_transmitPolls < MaxTransmitPolls && elapsed < _options.TransmitTimeout)
            return false;
        Counters.TransmitStalls++;
        Log.TransmitStalled(_logger, elapsed);
        ClearBits(ControlRegister.Econ1, Econ1.TxRts);
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
        StartTransmission();
        return true;
    }

    /// <summary>The TSV sits after ETXND (§7.1); ERDPT is borrowed and put back on the next packet.</summary>
    private TransmitStatusVector ReadTransmitStatus()
    {
        WritePair(ControlRegister.Erdpt, _transmitEnd + 1);
        var status = TransmitStatusVector.Read(ReadBuffer(TransmitStatusVector.Length));
        WritePair(ControlRegister.Erdpt, _nextPacket);
        return status;
    }
}
