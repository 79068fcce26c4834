using Seqs.Drivers.Enc28j60.Register.Buffer;
using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Packets;
using Seqs.Drivers.Enc28j60.Register.Spi;

namespace Seqs.Drivers.Enc28j60;

public sealed partial class Enc28j60
{
    /// <summary>Errata DS80349C #15 and the reference §4: a late collision is retried up to 16 times.</summary>
    private const int MaxLateCollisionRetries = 16;

    /// <summary>ECON1 polls of one frame in flight before it counts as stalled when the clock does not move.</summary>
    private const int MaxTransmitPolls = 10_000;

    private int _transmitEnd;
    private bool _transmitInFlight;
    private bool _transmitBlocked;
    private int _inFlightLength;
    private long _transmitStartedAt;
    private int _transmitPolls;
    private int _lateCollisionRetries;

    /// <summary>
    /// Writes <paramref name="frame"/> after the per-packet control byte at ETXST in one WBM and sets TXRTS (§7.1).
    /// Returns false while the previous frame is still going out: the transmit buffer holds one frame. A frame
    /// sent while the link is down is dropped, as the wire would.
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
        if (_options.Duplex == DuplexMode.Half)
            ResetTransmitLogic(); // Errata #12: in half duplex an abort can stall the logic; reset before each TXRTS.
        WritePair(ControlRegister.Ewrpt, EthernetBuffer.TransmitStart);
        _transfer[0] = Opcode.WriteBufferMemory;
        _transfer[1] = PacketControl.UseMacon3;
        frame.CopyTo(_transfer.AsSpan(2));
        _spi.Exchange(_transfer.AsSpan(0, 2 + frame.Length), default);
        SetTransmitEnd(EthernetBuffer.TransmitStart + frame.Length);
        FreeReceiveSpace(); // Bank 0 is selected now, so this costs two writes and no bank switch.
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
    /// One WCR of ECON1 sets TXRTS and selects bank 1 for the next EPKTCNT read. Safe because nothing is in flight
    /// (TXRTS reads clear), RXEN is on outside power save, and the driver uses neither DMA nor RXRST/TXRST here.
    /// </summary>
    private void StartTransmission()
    {
        _command[0] = (byte)(Opcode.WriteControlRegister | ControlRegister.Econ1.Address());
        _command[1] = Econ1.RxEn | Econ1.TxRts | 1;
        _spi.Exchange(_command.AsSpan(0, 2), default);
        _bank = 1;
        _transmitInFlight = true;
        _transmitStartedAt = _time.GetTimestamp();
        _transmitPolls = 0;
    }

    /// <summary>
    /// Whether the frame in flight is done: TXRTS clear. Bounded: past <see cref="Enc28j60Options.TransmitTimeout"/>
    /// (or <see cref="MaxTransmitPolls"/> polls) the logic counts as stalled (errata #12) and is reset.
    /// In half duplex a late collision (TSV bit 29, errata #15) sends the same frame again.
    /// </summary>
    private bool TransmitFinished()
    {
        if ((Read(ControlRegister.Econ1) & Econ1.TxRts) == 0)
        {
            _transmitInFlight = false;
            return _options.Duplex == DuplexMode.Full || !RetryAfterLateCollision();
        }
        TimeSpan elapsed = _time.GetElapsedTime(_transmitStartedAt);
        if (++_transmitPolls < MaxTransmitPolls && elapsed < _options.TransmitTimeout)
            return false;
        Counters.TransmitStalls++;
        Log.TransmitStalled(_logger, elapsed);
        ResetTransmitLogic();
        ClearBits(ControlRegister.Econ1, Econ1.TxRts);
        _transmitInFlight = false;
        return true;
    }

    /// <summary>Half duplex: after TXERIF, reads the TSV and sends the frame again after a late collision.</summary>
    private bool RetryAfterLateCollision()
    {
        if ((Read(ControlRegister.Eir) & Eir.TxErIf) == 0)
            return false;
        TransmitStatusVector status = ReadTransmitStatus();
        Counters.TransmitErrors++;
        Log.TransmitError(_logger, status.ToString());
        ResetTransmitLogic();
        if (!status.LateCollision || _lateCollisionRetries >= MaxLateCollisionRetries)
            return false;
        _lateCollisionRetries++;
        Counters.LateCollisionRetries++;
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

    /// <summary>Full duplex TXERIF, seen through INT or the status poll: count it and reset the transmit logic.</summary>
    private void OnTransmitError()
    {
        if (_options.Duplex == DuplexMode.Half && _transmitInFlight)
            return; // TransmitFinished reads the TSV and retries.
        Counters.TransmitErrors++;
        Log.TransmitError(_logger, "aborted");
        ResetTransmitLogic();
    }

    /// <summary>Errata #12: set TXRST, clear it, then clear TXIF and TXERIF, which the reset may set.</summary>
    private void ResetTransmitLogic()
    {
        SetBits(ControlRegister.Econ1, Econ1.TxRst);
        ClearBits(ControlRegister.Econ1, Econ1.TxRst);
        ClearBits(ControlRegister.Eir, Eir.TxIf | Eir.TxErIf);
    }
}
