using Seqs.Drivers.Enc28j60.Register.Buffer;
using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Packets;
using Seqs.Drivers.Enc28j60.Register.Phy;

namespace Seqs.Drivers.Enc28j60;

public sealed partial class Enc28j60
{
    /// <summary>
    /// Consumed receive space is handed back (ERXRDPT) once this much has piled up, or earlier when a transmission
    /// is in bank 0 anyway. Freeing costs two bank switches and one write (ERXRDPTH only); doing it every third
    /// full-size frame instead of every frame keeps a received frame within 6 exchanges even without an INT line,
    /// and still leaves half the FIFO free.
    /// </summary>
    private const int FreeThreshold = EthernetBuffer.ReceiveSize / 2;

    private int _nextPacket;
    private int _pending;
    private int _unfreed;
    private int _readPointer;
    private long _lastStatusPoll;

    /// <summary>
    /// Takes the next frame from the chip. Errata DS80349C #6: the packet count EPKTCNT says whether frames wait,
    /// never PKTIF. With an interrupt line, EPKTCNT is read only while INT is asserted (or at the status poll
    /// interval), so an idle call costs one GPIO read and no SPI.
    /// </summary>
    public bool TryReceive(Span<byte> buffer, out int length)
    {
        length = 0;
        if (_disposed || _powerSave)
            return false;
        while (true)
        {
            if (_pending == 0 && !CountPendingFrames())
                return false;
            if (TryReadFrame(buffer, out length))
                return true;
        }
    }

    /// <summary>Refreshes <see cref="_pending"/> from EPKTCNT when a frame may be waiting; false when none is.</summary>
    private bool CountPendingFrames()
    {
        bool statusDue = _time.GetElapsedTime(_lastStatusPoll) >= _options.StatusPollInterval;
        bool interruptAsserted = _interrupt is not null && !_interrupt.Read();
        if (_interrupt is not null && !interruptAsserted && !statusDue)
            return false;
        _pending = Read(ControlRegister.Epktcnt);
        if (_pending > 0)
            return true;
        if (interruptAsserted || statusDue)
            ServiceInterruptFlags();
        return _pending > 0;
    }

    /// <summary>
    /// Reads one frame at ERDPT, which the previous read left at the next packet. The status vector is checked
    /// against the FIFO's geometry; a pointer or count that cannot be right resets the receive logic instead of
    /// reading garbage. Returns false when the frame was dropped (and counted).
    /// </summary>
    private bool TryReadFrame(Span<byte> buffer, out int length)
    {
        length = 0;
        var status = ReceiveStatusVector.Read(ReadBuffer(ReceiveStatusVector.Length));
        int dataStart = (_nextPacket + ReceiveStatusVector.Length) % EthernetBuffer.ReceiveSize;
        int next = status.NextPacketPointer;
        int byteCount = status.ByteCount;
        int toNext = EthernetBuffer.ReceiveDistance(dataStart, next);
        // §7.2.2: packets start on even addresses inside [ERXST, ERXND], so the data runs to the next pointer with
        // at most one pad byte, and no frame the MAC accepts is longer than MAMXFL.
        if ((next & 1) != 0 || next > EthernetBuffer.ReceiveEnd || byteCount > MaxReceivedByteCount ||
            toNext != byteCount + (byteCount & 1))
        {
            Log.ReceiveReset(_logger, next, byteCount, _nextPacket);
            ResetReceiveLogic();
            return false;
        }
        // Reading through the CRC and the pad leaves ERDPT on the next packet, so it is never written per frame.
        Span<byte> data = ReadBuffer(toNext);
        _nextPacket = next;
        _pending--;
        SetBits(ControlRegister.Econ2, Econ2.PktDec);
        _unfreed += ReceiveStatusVector.Length + toNext;
        if (_unfreed >= FreeThreshold)
            FreeReceiveSpace();
        int frameLength = byteCount - 4;
        if (!status.ReceivedOk || frameLength < 14)
        {
            Counters.ReceiveErrors++;
            return false;
        }
        if (frameLength > buffer.Length)
        {
            Counters.FramesTooLong++;
            return false;
        }
        data[..frameLength].CopyTo(buffer);
        Counters.FramesReceived++;
        Counters.BytesReceived += frameLength;
        length = frameLength;
        return true;
    }

    /// <summary>
    /// §7.2.4: moves ERXRDPT up behind the next packet, odd (errata #14). Its low byte is always FFh, which went into
    /// ERXRDPTL's internal buffer when the FIFO was set up, so only ERXRDPTH is written: "when the host controller
    /// writes to ERXRDPTH, the internally buffered low byte will be loaded into the ERXRDPTL register at the same
    /// time" (§7.2.4). Nothing is written when the pointer would not move.
    /// </summary>
    private void FreeReceiveSpace()
    {
        int pointer = EthernetBuffer.ReceiveReadPointerFor(_nextPacket);
        if (_unfreed == 0 || pointer == _readPointer)
            return;
        Write(ControlRegister.Erxrdpt.Next(), (byte)(pointer >> 8));
        _readPointer = pointer;
        _unfreed = EthernetBuffer.ReceiveDistance(EthernetBuffer.AfterReadPointer(pointer), _nextPacket);
    }

    /// <summary>As Linux's enc28j60 does on a bad pointer: pulse RXRST, set the FIFO up again, enable reception.</summary>
    private void ResetReceiveLogic()
    {
        Counters.ReceiveResets++;
        SetBits(ControlRegister.Econ1, Econ1.RxRst);
        ClearBits(ControlRegister.Econ1, Econ1.RxRst | Econ1.RxEn);
        InitializeReceiveBuffer();
        ClearBits(ControlRegister.Eir, Eir.RxErIf);
        SetBits(ControlRegister.Econ1, Econ1.RxEn);
    }

    /// <summary>
    /// Serves EIR (§12.1): a link change (LINKIF, cleared by reading PHIR) and a receive overflow (RXERIF). PKTIF is
    /// ignored (errata #6); TXIF and TXERIF belong to the transmit path, which resets the logic before every frame.
    /// </summary>
    private void ServiceInterruptFlags()
    {
        _lastStatusPoll = _time.GetTimestamp();
        var flags = new Eir(Read(ControlRegister.Eir));
        if (flags.LinkChanged)
        {
            ReadPhy(PhyRegister.Phir);
            SetLink((ReadPhy(PhyRegister.Phstat2) & Phstat.LinkStatus) != 0);
        }
        if (flags.ReceiveError)
        {
            // §12.1.2: the chip dropped what did not fit; the frames before it are intact. Hand back the space
            // already read so the FIFO drains.
            Counters.ReceiveOverflows++;
            Log.ReceiveOverflow(_logger);
            ClearBits(ControlRegister.Eir, Eir.RxErIf);
            FreeReceiveSpace();
        }
    }
}
