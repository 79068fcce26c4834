using Seqs.Drivers.Enc28j60.Register.Buffer;
using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Filters;
using Seqs.Drivers.Enc28j60.Register.Mac;
using Seqs.Drivers.Enc28j60.Register.Phy;
using Seqs.Drivers.Enc28j60.Register.Spi;

namespace Seqs.Drivers.Enc28j60;

public sealed partial class Enc28j60
{
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
        bool clockReady = _bus.ResetChip();
        _powerSave = false;
        Revision = _bus.Read(ControlRegister.Erevid);
        if (Revision is 0x00 or 0xFF)
            throw new ChipNotRespondingException(_bus.BusName, Revision);
        if (!clockReady)
            throw new IOException($"The ENC28J60 on {_bus.BusName} never set ESTAT.CLKRDY: its 25 MHz oscillator did not start.");
        if (Revision <= 0x04 && _bus.Spi.ClockFrequency < MinimumSpiClockFrequencyB1B4)
            throw new ArgumentException($"The ENC28J60 on {_bus.BusName} is revision {Revision:X2}h, which needs SPI at {MinimumSpiClockFrequencyB1B4} Hz or more (errata DS80349C #1: slower clocks corrupt MAC and MII reads); the bus runs at {_bus.Spi.ClockFrequency} Hz.", "spi");

        _bus.Write(ControlRegister.Econ1, 0);
        _bus.Write(ControlRegister.Econ2, Econ2.AutoInc | Econ2.Vrps);
        InitializeReceiveBuffer();
        _bus.WritePair(ControlRegister.Etxst, EthernetBuffer.TransmitStart);
        _bus.WritePair(ControlRegister.Etxnd, EthernetBuffer.TransmitStart);
        _transmitEnd = EthernetBuffer.TransmitStart;
        _transmitInFlight = false;
        _transmitBlocked = false;
        _transmitResetNeeded = false;
        _countAfterTransmit = false;

        _bus.Write(ControlRegister.Erxfcon, ReceiveFilters());
        InitializeMac();
        InitializePhy();

        // §12.1: start with no stale flags, then enable what the driver serves. TXIE stays off: completion is checked
        // when the next frame goes out, so INT does not fire once per frame. TXERIE is on in full duplex only, where
        // a TXERIF asks for the transmit logic reset before the next frame (as Linux's enc28j60_irq_work_handler);
        // half duplex reads TXERIF on the transmit path, and the reset before every frame may set it (errata #12).
        _bus.ReadPhy(PhyRegister.Phir);
        _bus.ClearBits(ControlRegister.Eir, Eir.DmaIf | Eir.TxIf | Eir.TxErIf | Eir.RxErIf);
        byte transmitErrors = _options.Duplex == DuplexMode.Full ? Eie.TxErIe : (byte)0;
        _bus.Write(ControlRegister.Eie, (byte)(Eie.IntIe | Eie.PktIe | Eie.LinkIe | Eie.RxErIe | transmitErrors));
        _bus.SetBits(ControlRegister.Econ1, Econ1.RxEn);
        _lastStatusPoll = _time.GetTimestamp();
        bool linkUp = (_bus.ReadPhy(PhyRegister.Phstat2) & Phstat.LinkStatus) != 0;
        if (_initialized)
            SetLink(linkUp);
        else
            _linkUp = linkUp; // the state the NIC starts in, not a change
        _initialized = true;
        Log.Initialized(_logger, Revision, _bus.BusName, _options.Duplex, MacAddress);
    }

    /// <summary>§6.1: ERXST and ERXND only while RXEN is clear; errata #5 (start at 0) and #14 (odd ERXRDPT).</summary>
    private void InitializeReceiveBuffer()
    {
        _bus.WritePair(ControlRegister.Erxst, EthernetBuffer.ReceiveStart);
        _bus.WritePair(ControlRegister.Erxnd, EthernetBuffer.ReceiveEnd);
        _readPointer = EthernetBuffer.ReceiveReadPointerFor(EthernetBuffer.ReceiveStart);
        _bus.WritePair(ControlRegister.Erxrdpt, _readPointer);
        _bus.WritePair(ControlRegister.Erdpt, EthernetBuffer.ReceiveStart);
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

    /// <summary>
    /// DS39662E §6.5, with the gaps of docs/reference/enc28j60.md#initialisation step 6 for each duplex.
    /// </summary>
    private void InitializeMac()
    {
        bool full = _options.Duplex == DuplexMode.Full;
        // RXPAUS only when a PAUSE cannot outlast the transmit timeout (see Enc28j60Options.TransmitTimeout).
        bool obeyPause = full && _options.TransmitTimeout > Enc28j60Options.MaxPauseTime;
        _bus.Write(ControlRegister.Macon1, full ? (byte)(Macon1.MarxEn | Macon1.TxPaus | (obeyPause ? Macon1.RxPaus : 0)) : Macon1.MarxEn);
        _bus.Write(ControlRegister.Macon3, (byte)(Macon3.PadCfg0 | Macon3.TxCrcEn | Macon3.FrmLnEn | (full ? Macon3.FulDpx : 0)));
        _bus.Write(ControlRegister.Macon4, full ? (byte)0 : Macon4.Defer);
        _bus.Write(ControlRegister.Mabbipg, full ? (byte)0x15 : (byte)0x12);
        _bus.Write(ControlRegister.Maipgl, 0x12);
        if (!full)
            _bus.Write(ControlRegister.Maipgh, 0x0C);
        _bus.WritePair(ControlRegister.Mamxfl, MaxFrameLengthWithCrc);

        Span<byte> address = stackalloc byte[Wire.MacAddress.Length];
        MacAddress.Write(address);
        _bus.Write(ControlRegister.Maadr1, address[0]);
        _bus.Write(ControlRegister.Maadr2, address[1]);
        _bus.Write(ControlRegister.Maadr3, address[2]);
        _bus.Write(ControlRegister.Maadr4, address[3]);
        _bus.Write(ControlRegister.Maadr5, address[4]);
        _bus.Write(ControlRegister.Maadr6, address[5]);
    }

    /// <summary>§6.6 and §9: PDPXMD must match FULDPX; half duplex also needs HDLDIS (errata #9); PLOOPBK on request.</summary>
    private void InitializePhy()
    {
        bool full = _options.Duplex == DuplexMode.Full;
        ushort loopback = _options.PhyLoopback ? Phcon1.PLoopbk : (ushort)0;
        _bus.WritePhy(PhyRegister.Phcon1, (ushort)((full ? Phcon1.PDpxMd : 0) | loopback));
        _bus.WritePhy(PhyRegister.Phcon2, full ? (ushort)0 : Phcon2.HdlDis);
        _bus.WritePhy(PhyRegister.Phlcon, _options.LedConfiguration);
        _bus.WritePhy(PhyRegister.Phie, Phie.PGeIe | Phie.PLnkIe);
    }

    /// <summary>
    /// Power save (§14): reception stops, the oscillator stops, and the chip draws about 1 mA. Waits, a bounded number
    /// of polls, for a frame being received or sent to finish first.
    /// </summary>
    public void EnterPowerSave()
    {
        if (_powerSave)
            return;
        _bus.ClearBits(ControlRegister.Econ1, Econ1.RxEn);
        for (int poll = 0; poll < Enc28j60Bus.MaxResetPolls; poll++)
        {
            if ((_bus.Read(ControlRegister.Estat) & Estat.RxBusy) == 0 && (_bus.Read(ControlRegister.Econ1) & Econ1.TxRts) == 0)
                break;
        }
        _bus.SetBits(ControlRegister.Econ2, Econ2.PwrSv);
        _powerSave = true;
        _transmitInFlight = false;
        _transmitBlocked = false;
    }

    /// <summary>Leaves power save: clears PWRSV, waits for CLKRDY (bounded), enables reception again.</summary>
    public void LeavePowerSave()
    {
        if (!_powerSave)
            return;
        _bus.ClearBits(ControlRegister.Econ2, Econ2.PwrSv);
        if (!_bus.WaitForClockReady())
            throw new IOException($"The ENC28J60 on {_bus.BusName} did not set CLKRDY after leaving power save.");
        _bus.SetBits(ControlRegister.Econ1, Econ1.RxEn);
        _powerSave = false;
        FireWakeUp();
    }
}
