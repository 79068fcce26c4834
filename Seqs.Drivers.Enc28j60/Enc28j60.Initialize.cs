using Seqs.Drivers.Enc28j60.Register.Buffer;
using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Filters;
using Seqs.Drivers.Enc28j60.Register.Mac;
using Seqs.Drivers.Enc28j60.Register.Phy;
using Seqs.Drivers.Enc28j60.Register.Spi;

namespace Seqs.Drivers.Enc28j60;

public sealed partial class Enc28j60
{
    /// <summary>
    /// ESTAT polls after a reset. Errata DS80349C #2: CLKRDY is set too early, so the driver also waits 1 ms. With a
    /// clock that does not move (a simulation), the polls bound the wait: 2000 polls of 16 SPI clocks take at least
    /// 1.6 ms at 20 MHz, so the bound alone is never shorter than the errata's millisecond.
    /// </summary>
    private const int MaxResetPolls = 2000;

    private static readonly TimeSpan ResetWait = TimeSpan.FromMilliseconds(1);

    /// <summary>MAMXFL: the largest frame, CRC included, the MAC accepts (§6.5 step 5).</summary>
    private const int MaxFrameLengthWithCrc = StandardMaxFrameSize + 4;

    /// <summary>
    /// Resets the chip and initialises it again, as at construction (DS39662E §6): for recovery from a chip that
    /// lost its configuration, say after a brown-out. Frames in the chip are lost.
    /// </summary>
    public void Reset()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(Enc28j60));
        if (_powerSave)
            LeavePowerSave(); // Errata #19: SRC does not work in power save.
        Initialize();
    }

    private bool _initialized;

    private void Initialize()
    {
        if (_reset is not null)
        {
            // §11.1: RESET low for at least 400 ns; two GPIO writes take longer than that on any host.
            _reset.Write(false);
            _reset.Write(true);
        }
        _command[0] = Opcode.SystemReset;
        _spi.Exchange(_command.AsSpan(0, 1), default);
        _bank = 0; // ECON1 resets to 00h.
        bool clockReady = WaitForClockReady();
        Revision = Read(ControlRegister.Erevid);
        if (Revision is 0x00 or 0xFF)
            throw new ChipNotRespondingException(_busName, Revision);
        if (!clockReady)
            throw new IOException($"The ENC28J60 on {_busName} never set ESTAT.CLKRDY: its 25 MHz oscillator did not start.");
        if (Revision <= 0x04 && _spi.ClockFrequency < MinimumSpiClockFrequencyB1B4)
            Log.SpiTooSlow(_logger, Revision, _spi.ClockFrequency);

        Write(ControlRegister.Econ1, 0);
        Write(ControlRegister.Econ2, Econ2.AutoInc | Econ2.Vrps);
        InitializeReceiveBuffer();
        WritePair(ControlRegister.Etxst, EthernetBuffer.TransmitStart);
        WritePair(ControlRegister.Etxnd, EthernetBuffer.TransmitStart);
        _transmitEnd = EthernetBuffer.TransmitStart;
        _transmitInFlight = false;
        _transmitBlocked = false;

        Write(ControlRegister.Erxfcon, ReceiveFilters());
        InitializeMac();
        InitializePhy();

        // §12.1: start with no stale flags, then enable what the driver serves. TXIE and TXERIE stay off: completion
        // and aborts are checked when the next frame goes out, so INT does not fire once per frame, nor for the TXERIF
        // that releasing TXRST before every frame may set (errata DS80349C #12).
        ReadPhy(PhyRegister.Phir);
        ClearBits(ControlRegister.Eir, Eir.DmaIf | Eir.TxIf | Eir.TxErIf | Eir.RxErIf);
        Write(ControlRegister.Eie, Eie.IntIe | Eie.PktIe | Eie.LinkIe | Eie.RxErIe);
        SetBits(ControlRegister.Econ1, Econ1.RxEn);
        _lastStatusPoll = _time.GetTimestamp();
        bool linkUp = (ReadPhy(PhyRegister.Phstat2) & Phstat.LinkStatus) != 0;
        if (_initialized)
            SetLink(linkUp);
        else
            _linkUp = linkUp; // the state the NIC starts in, not a change
        _initialized = true;
        Log.Initialized(_logger, Revision, _busName, _options.Duplex, MacAddress);
    }

    private bool WaitForClockReady()
    {
        long start = _time.GetTimestamp();
        bool ready = false;
        for (int poll = 0; poll < MaxResetPolls; poll++)
        {
            ready = (Read(ControlRegister.Estat) & Estat.ClkRdy) != 0;
            if (ready && _time.GetElapsedTime(start) >= ResetWait)
                break;
        }
        return ready;
    }

    /// <summary>§6.1: ERXST and ERXND only while RXEN is clear; errata #5 (start at 0) and #14 (odd ERXRDPT).</summary>
    private void InitializeReceiveBuffer()
    {
        WritePair(ControlRegister.Erxst, EthernetBuffer.ReceiveStart);
        WritePair(ControlRegister.Erxnd, EthernetBuffer.ReceiveEnd);
        _readPointer = EthernetBuffer.ReceiveReadPointerFor(EthernetBuffer.ReceiveStart);
        WritePair(ControlRegister.Erxrdpt, _readPointer);
        WritePair(ControlRegister.Erdpt, EthernetBuffer.ReceiveStart);
        _nextPacket = EthernetBuffer.ReceiveStart;
        _pending = 0;
        _unfreed = 0;
    }

    private byte ReceiveFilters()
    {
        if (_options.Promiscuous)
            return Erxfcon.CrcEn;
        byte filters = Erxfcon.UcEn | Erxfcon.CrcEn | Erxfcon.BcEn;
        return _options.AcceptMulticast ? (byte)(filters | Erxfcon.McEn) : filters;
    }

    /// <summary>§6.5, with the gaps of the reference's step 6 for each duplex.</summary>
    private void InitializeMac()
    {
        bool full = _options.Duplex == DuplexMode.Full;
        Write(ControlRegister.Macon1, full ? (byte)(Macon1.MarxEn | Macon1.TxPaus | Macon1.RxPaus) : Macon1.MarxEn);
        Write(ControlRegister.Macon3, (byte)(Macon3.PadCfg0 | Macon3.TxCrcEn | Macon3.FrmLnEn | (full ? Macon3.FulDpx : 0)));
        Write(ControlRegister.Macon4, full ? (byte)0 : Macon4.Defer);
        Write(ControlRegister.Mabbipg, full ? (byte)0x15 : (byte)0x12);
        Write(ControlRegister.Maipgl, 0x12);
        if (!full)
            Write(ControlRegister.Maipgh, 0x0C);
        WritePair(ControlRegister.Mamxfl, MaxFrameLengthWithCrc);

        Span<byte> address = stackalloc byte[Wire.MacAddress.Length];
        MacAddress.Write(address);
        Write(ControlRegister.Maadr1, address[0]);
        Write(ControlRegister.Maadr2, address[1]);
        Write(ControlRegister.Maadr3, address[2]);
        Write(ControlRegister.Maadr4, address[3]);
        Write(ControlRegister.Maadr5, address[4]);
        Write(ControlRegister.Maadr6, address[5]);
    }

    /// <summary>§6.6 and §9: PDPXMD must match FULDPX; half duplex also needs HDLDIS (errata #9).</summary>
    private void InitializePhy()
    {
        bool full = _options.Duplex == DuplexMode.Full;
        WritePhy(PhyRegister.Phcon1, full ? Phcon1.PDpxMd : (ushort)0);
        WritePhy(PhyRegister.Phcon2, full ? (ushort)0 : Phcon2.HdlDis);
        WritePhy(PhyRegister.Phlcon, _options.LedConfiguration);
        WritePhy(PhyRegister.Phie, Phie.PGeIe | Phie.PLnkIe);
    }

    /// <summary>
    /// Power save (§14): reception stops, the oscillator stops, and the chip draws about 1 mA. Waits, a bounded number
    /// of polls, for a frame being received or sent to finish first.
    /// </summary>
    public void EnterPowerSave()
    {
        if (_powerSave)
            return;
        ClearBits(ControlRegister.Econ1, Econ1.RxEn);
        for (int poll = 0; poll < MaxResetPolls; poll++)
        {
            if ((Read(ControlRegister.Estat) & Estat.RxBusy) == 0 && (Read(ControlRegister.Econ1) & Econ1.TxRts) == 0)
                break;
        }
        SetBits(ControlRegister.Econ2, Econ2.PwrSv);
        _powerSave = true;
        _transmitInFlight = false;
        _transmitBlocked = false;
    }

    /// <summary>Leaves power save: clears PWRSV, waits for CLKRDY (bounded), enables reception again.</summary>
    public void LeavePowerSave()
    {
        if (!_powerSave)
            return;
        ClearBits(ControlRegister.Econ2, Econ2.PwrSv);
        if (!WaitForClockReady())
            throw new IOException($"The ENC28J60 on {_busName} did not set CLKRDY after leaving power save.");
        SetBits(ControlRegister.Econ1, Econ1.RxEn);
        _powerSave = false;
        FireWakeUp();
    }
}
