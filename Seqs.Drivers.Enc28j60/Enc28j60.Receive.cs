using Seqs.Diagnostics;
using Seqs.Drivers.Enc28j60.Register.Buffer;
using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Packets;
using Seqs.Drivers.Enc28j60.Register.Phy;

namespace Seqs.Drivers.Enc28j60;

public sealed partial class Enc28j60
{
    /// <summary>
    /// Consumed receive space is handed back (ERXRDPT) once this much has piled up, or earlier when a transmission
    /// is in bank 0 anyway. Freeing costs a bank switch and two writes (ERXRDPTL, then ERXRDPTH, §7.2.4); doing it
    /// every third full-size frame instead of every frame keeps a received frame within 6 exchanges even without an
    /// INT line, and still leaves half the FIFO free.
    /// </summary>
    private const int FreeThreshold = EthernetBuffer.ReceiveSize / 2;

    private int _nextPacket;
    private int _pending;
    private int _unfreed;
    private int _readPointer;
    private long _lastStatusPoll;
    private bool _countAfterTransmit;

    /// <summary>
    /// Takes the next frame from the chip. Errata DS80349C #6: the packet count EPKTCNT says whether frames wait,
    /// never PKTIF. With an interrupt line, EPKTCNT is read only while INT is asserted, after a transmission, or at
    /// the status poll interval, so an idle call costs one GPIO read and no SPI. Bounded whatever the bus returns:
    /// a call reads at most the frames the EPKTCNT it read counted (as Linux's enc28j60_rx_interrupt), and one
    /// impossible status vector resets the receive logic and ends the call (<see cref="Enc28j60Counters.ReceiveResets"/>).
    /// </summary>
    public bool TryReceive(Span<byte> buffer, out int length)
    {
        length = 0;
        if (_disposed || _powerSave)
            return false;
        if (_pending == 0 && !CountPendingFrames())
            return false;
        while (_pending > 0)
        {
            switch (ReadFrame(buffer, out length))
            {
                case FrameOutcome.Received:
                    return true;
                case FrameOutcome.ReceiveLogicReset:
                    return false;
            }
        }
        return false;
    }

    private enum FrameOutcome
    {
        Received,
        Dropped,
        ReceiveLogicReset,
    }

    /// <summary>Refreshes <see cref="_pending"/> from EPKTCNT when a frame may be waiting; false when none is.</summary>
    private bool CountPendingFrames()
    {
        bool statusDue = _time.GetElapsedTime(_lastStatusPoll) >= _options.StatusPollInterval;
        bool interruptAsserted = _interrupt is not null && !_interrupt.Read();
        if (_interrupt is not null && !interruptAsserted && !statusDue && !_countAfterTransmit)
            return false;
        _countAfterTransmit = false;
        _pending = _bus.Read(ControlRegister.Epktcnt);
        if (_pending > 0)
            return true;
        if (interruptAsserted || statusDue)
            ServiceInterruptFlags();
        return false;
    }

    /// <summary>
    /// Reads one frame at ERDPT, which the previous read left at the next packet. The status vector is checked
    /// against the FIFO's geometry: a byte count over MAMXFL with a next packet pointer that can be right skips the
    /// frame through that pointer, as Linux's enc28j60_hw_rx does; a pointer or count that cannot be right resets
    /// the receive logic instead of reading garbage.
    /// </summary>
    private FrameOutcome ReadFrame(Span<byte> buffer, out int length)
    {
        length = 0;
        var status = ReceiveStatusVector.Read(_bus.ReadBuffer(ReceiveStatusVector.Length));
        int dataStart = (_nextPacket + ReceiveStatusVector.Length) % EthernetBuffer.ReceiveSize;
        int next = status.NextPacketPointer;
        int byteCount = status.ByteCount;
        // §7.2.2: packets start on even addresses inside [ERXST, ERXND].
        if ((next & 1) != 0 || next > EthernetBuffer.ReceiveEnd)
            return ResetReceiveLogic(next, byteCount);
        int toNext = EthernetBuffer.ReceiveDistance(dataStart, next);
        if (byteCount > MaxReceivedByteCount)
        {
            Counters.FramesOversized++;
            _bus.WritePair(ControlRegister.Erdpt, next);
            Consume(next, ReceiveStatusVector.Length + toNext);
            return FrameOutcome.Dropped;
        }
        // The data runs to the next pointer with at most one pad byte.
        if (toNext != byteCount + (byteCount & 1))
            return ResetReceiveLogic(next, byteCount);
        // Reading through the CRC and the pad leaves ERDPT on the next packet, so it is never written per frame.
        Span<byte> data = _bus.ReadBuffer(toNext);
        Consume(next, ReceiveStatusVector.Length + toNext);
        int frameLength = byteCount - 4;
        if (!status.ReceivedOk || frameLength < 14)
        {
            Counters.ReceiveErrors++;
            return FrameOutcome.Dropped;
        }
        if (frameLength > buffer.Length)
        {
            Counters.FramesTooLong++;
            return FrameOutcome.Dropped;
        }
        data[..frameLength].CopyTo(buffer);
        Counters.FramesReceived++;
        Counters.BytesReceived += frameLength;
        length = frameLength;
        return FrameOutcome.Received;
    }

    /// <summary>§7.2.4: the frame is done with; PKTDEC counts it off, and its space goes back in batches.</summary>
    private void Consume(int next, int size)
    {
        _nextPacket = next;
        _pending--;
        _bus.SetBits(ControlRegister.Econ2, Econ2.PktDec);
        _unfreed += size;
        if (_unfreed >= FreeThreshold)
            FreeReceiveSpace();
    }

    /// <summary>
    /// §7.2.4: moves ERXRDPT up behind the next packet, odd (errata #14). "The host controller must write to
    /// ERXRDPTL first": the chip buffers the low byte and loads both when ERXRDPTH is written, so both are written,
    /// low first. Nothing is written when the pointer would not move.
    /// </summary>
    private void FreeReceiveSpace()
    {
        int pointer = EthernetBuffer.ReceiveReadPointerFor(_nextPacket);
        if (_unfreed == 0 || pointer == _readPointer)
            return;
        _bus.WritePair(ControlRegister.Erxrdpt, pointer);
        _readPointer = pointer;
        _unfreed = 0;
    }

    /// <summary>
    /// As Linux's enc28j60_rxreset on a bad pointer: pulse RXRST, set the FIFO up again, enable reception. The frames
    /// in the FIFO are lost; the call that found the bad pointer ends here.
    /// </summary>
    private FrameOutcome ResetReceiveLogic(int nextPacket, int byteCount)
    {
        if (_receiveResetLog.TryEnter(_time, out int suppressed))
            Log.ReceiveReset(_logger, nextPacket, byteCount, _nextPacket, LogGate.Note(suppressed));
        Counters.ReceiveResets++;
        _bus.SetBits(ControlRegister.Econ1, Econ1.RxRst);
        _bus.ClearBits(ControlRegister.Econ1, Econ1.RxRst | Econ1.RxEn);
        InitializeReceiveBuffer();
        _bus.ClearBits(ControlRegister.Eir, Eir.RxErIf);
        _bus.SetBits(ControlRegister.Econ1, Econ1.RxEn);
        return FrameOutcome.ReceiveLogicReset;
    }

    /// <summary>
    /// Serves EIR (§12.1): a link change (LINKIF, cleared by reading PHIR), a receive overflow (RXERIF) and, in full
    /// duplex, a transmit abort (TXERIF), after which the next frame resets the transmit logic first, as Linux's
    /// enc28j60_irq_work_handler does. PKTIF is ignored (errata #6); half duplex reads TXIF and TXERIF on the
    /// transmit path.
    /// </summary>
    private void ServiceInterruptFlags()
    {
        _lastStatusPoll = _time.GetTimestamp();
        var flags = new Eir(_bus.Read(ControlRegister.Eir));
        if (flags.TransmitError && _options.Duplex == DuplexMode.Full)
        {
            Counters.TransmitErrors++;
            Log.TransmitError(_logger, "full duplex abort");
            _bus.ClearBits(ControlRegister.Eir, Eir.TxErIf);
            _transmitResetNeeded = true;
        }
        if (flags.LinkChanged)
        {
            _bus.ReadPhy(PhyRegister.Phir);
            SetLink((_bus.ReadPhy(PhyRegister.Phstat2) & Phstat.LinkStatus) != 0);
        }
        if (flags.ReceiveError)
        {
            // §12.1.2: the chip dropped what did not fit; the frames before it are intact. Hand back the space
            // already read so the FIFO drains.
            Counters.ReceiveOverflows++;
            Log.ReceiveOverflow(_logger);
            _bus.ClearBits(ControlRegister.Eir, Eir.RxErIf);
            FreeReceiveSpace();
        }
    }
}
