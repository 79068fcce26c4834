using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Phy;

namespace Seqs.Drivers.Enc28j60.Emulation;

public sealed partial class Enc28j60Emulator
{
    /// <summary>EIR flags the host may write; PKTIF and LINKIF are read-only (§12.1).</summary>
    private const byte WritableInterruptFlags = Eir.DmaIf | Eir.TxIf | Eir.TxErIf | Eir.RxErIf;

    /// <summary>ESTAT bits a BFC clears: BUFER (40h), LATECOL and TXABRT; the rest are read-only (§12.1).</summary>
    private const byte ClearableStatus = 0x40 | Estat.LateCol | Estat.TxAbrt;

    private int _edgePending;
    private byte? _readPointerLow;

    /// <summary>
    /// Writes of ERXRDPTH without an ERXRDPTL write before them, which §7.2.4 does not allow ("the host controller
    /// must write to ERXRDPTL first"); the model ignores them.
    /// </summary>
    public long ReadPointerHighOnlyWrites { get; private set; }

    /// <summary>Whether the INT pin is asserted (low) now.</summary>
    public bool IsInterruptAsserted => !_interrupt.Read();

    internal void HoldInReset(bool held)
    {
        if (ResetLineOpen)
            return;
        lock (_gate)
        {
            _resetHeld = held;
            if (held)
                ResetChip();
        }
        RaiseDeferredEvents();
    }

    /// <summary>
    /// Reset values of DS39662E Table 3-2 (control registers) and Table 3-3 (PHY). The buffer memory keeps its
    /// contents. ESTAT.CLKRDY is set at once: the emulator models no oscillator start-up time (errata #2 is the
    /// driver's business: it waits 1 ms regardless).
    /// </summary>
    private void ResetChip()
    {
        Array.Clear(_registers, 0, _registers.Length);
        SetPair(ControlRegister.Erdpt, 0x05FA);
        SetPair(ControlRegister.Erxst, 0x05FA);
        SetPair(ControlRegister.Erxnd, 0x1FFF);
        SetPair(ControlRegister.Erxrdpt, 0x05FA);
        Set(ControlRegister.Econ2, Econ2.AutoInc);
        Set(ControlRegister.Estat, OscillatorStopped ? (byte)0 : Estat.ClkRdy);
        Set(ControlRegister.Erxfcon, 0xA1);
        Set(ControlRegister.Maclcon1, 0x0F);
        Set(ControlRegister.Maclcon2, 0x37);
        SetPair(ControlRegister.Mamxfl, 0x0600);
        Set(ControlRegister.Erevid, Revision);
        _readPointerLow = null;
        ResetTransmitEngine();
        ResetPhy();
        UpdateInterrupt();
    }

    private byte ReadRegister(int bank, int address)
    {
        if (bank == 3 && address == ControlRegister.Mistat.Address())
            return ReadMiiStatus();
        if (address == ControlRegister.Econ1.Address() || address == ControlRegister.Eir.Address())
            PollTransmitter();
        return _registers[Index(bank, address)];
    }

    private void ModifyBits(int address, byte mask, bool set)
    {
        int bank = CurrentBank;
        if (ControlRegisterMap.IsMacOrMii(bank, address))
            return; // §4.2.5, §4.2.6: BFS and BFC act on ETH registers only.
        int index = Index(bank, address);
        byte old = _registers[index];
        if (address == ControlRegister.Estat.Address())
        {
            if (!set)
                _registers[index] = (byte)(old & ~(mask & ClearableStatus));
            return;
        }
        WriteControl(bank, address, set ? (byte)(old | mask) : (byte)(old & ~mask));
    }

    private void WriteControl(int bank, int address, byte value)
    {
        int index = Index(bank, address);
        byte old = _registers[index];
        switch ((ControlRegister)(address >= ControlRegisterMap.FirstCommonAddress ? address : bank << 5 | address))
        {
            case ControlRegister.Eie:
                _registers[index] = value;
                UpdateInterrupt();
                break;
            case ControlRegister.Eir:
                _registers[index] = (byte)(old & ~WritableInterruptFlags | value & WritableInterruptFlags);
                UpdateInterrupt();
                break;
            case ControlRegister.Estat:
                break;
            case ControlRegister.Econ2:
                WriteEcon2(value);
                break;
            case ControlRegister.Econ1:
                WriteEcon1(old, value);
                break;
            case ControlRegister.Erxrdpt:
                // §7.2.4: "the host controller must write to ERXRDPTL first"; the chip buffers the byte until
                // ERXRDPTH is written and then loads both at once.
                _readPointerLow = value;
                break;
            case (ControlRegister)((int)ControlRegister.Erxrdpt + 1):
                if (_readPointerLow is not byte low)
                {
                    // ERXRDPTH alone: what the chip does is documented nowhere, so the model refuses to guess and
                    // leaves the pointer where it was; the receive buffer then fills up and overflows.
                    ReadPointerHighOnlyWrites++;
                    break;
                }
                _registers[index - 1] = low;
                _registers[index] = (byte)(value & 0x1F);
                _readPointerLow = null;
                break;
            case ControlRegister.Erxst:
            case (ControlRegister)((int)ControlRegister.Erxst + 1):
            case ControlRegister.Erxnd:
            case (ControlRegister)((int)ControlRegister.Erxnd + 1):
                _registers[index] = (address & 1) == 1 ? (byte)(value & 0x1F) : value;
                // §6.1: writing ERXST also moves the hardware write pointer ERXWRPT there.
                SetPair(ControlRegister.Erxwrpt, Pair(0, ControlRegister.Erxst));
                break;
            case ControlRegister.Erxwrpt:
            case (ControlRegister)((int)ControlRegister.Erxwrpt + 1):
            case ControlRegister.Epktcnt:
            case ControlRegister.Mirdl:
            case ControlRegister.Mirdh:
            case ControlRegister.Mistat:
            case ControlRegister.Erevid:
                break; // read-only
            case ControlRegister.Micmd:
                _registers[index] = value;
                if ((old & Mii.MiiRd) == 0 && (value & Mii.MiiRd) != 0)
                    StartPhyRead();
                break;
            case ControlRegister.Miwrh:
                _registers[index] = value;
                WritePhy(Get(ControlRegister.Miregadr) & 0x1F, (ushort)(Get(ControlRegister.Miwrl) | value << 8));
                break;
            default:
                // Pointer high bytes hold 13-bit addresses.
                _registers[index] = bank == 0 && address < 0x18 && (address & 1) == 1 ? (byte)(value & 0x1F) : value;
                break;
        }
    }

    private void WriteEcon2(byte value)
    {
        int index = ControlRegister.Econ2.Address();
        if ((value & Econ2.PktDec) != 0)
            DecrementPacketCount();
        byte stored = (byte)(value & ~Econ2.PktDec); // PKTDEC reads as 0 (§7.2.4).
        bool wasSaving = (_registers[index] & Econ2.PwrSv) != 0;
        _registers[index] = stored;
        bool saving = (stored & Econ2.PwrSv) != 0;
        if (saving != wasSaving)
        {
            // §14: the oscillator stops in power save; CLKRDY comes back when it runs again.
            byte status = Get(ControlRegister.Estat);
            Set(ControlRegister.Estat, saving || OscillatorStopped ? (byte)(status & ~Estat.ClkRdy) : (byte)(status | Estat.ClkRdy));
        }
    }

    private void WriteEcon1(byte old, byte value)
    {
        _registers[ControlRegister.Econ1.Address()] = value;
        var before = new Econ1(old);
        var now = new Econ1(value);
        if (now.ReceiveReset)
            ResetReceiveEngine();
        if (now.TransmitReset)
        {
            // Register 3-1: while TXRST is set the transmit logic is held in reset. A transmission in progress stops
            // (no TXIF, no TSV: the logic is reset, not the frame cancelled) and TXRTS cannot be set until it clears.
            ResetTransmitEngine();
            _registers[ControlRegister.Econ1.Address()] = (byte)(value & ~Econ1.TxRts);
            return;
        }
        if (before.TransmitReset && TransmitResetReleaseSetsTxErIf)
            SetInterruptFlag(Eir.TxErIf); // Errata DS80349C #12: "Clearing ECON1.TXRST may cause ... EIR.TXERIF".
        bool wasRequested = before.TransmitRequest && !before.TransmitReset;
        if (now.TransmitRequest && !wasRequested)
            StartTransmit();
        else if (!now.TransmitRequest && wasRequested)
            CancelTransmit();
    }

    private void UpdateInterrupt()
    {
        byte enable = Get(ControlRegister.Eie);
        byte flags = Get(ControlRegister.Eir);
        // §12: INT is asserted while INTIE is set and any enabled flag is set.
        bool asserted = (enable & Eie.IntIe) != 0 && (flags & enable & 0x7F) != 0;
        byte status = Get(ControlRegister.Estat);
        Set(ControlRegister.Estat, asserted ? (byte)(status | Estat.Int) : (byte)(status & ~Estat.Int));
        if (_interrupt.SetLevel(!asserted || InterruptLineOpen))
            Interlocked.Exchange(ref _edgePending, 1);
    }

    private void SetInterruptFlag(byte flag)
    {
        Set(ControlRegister.Eir, (byte)(Get(ControlRegister.Eir) | flag));
        UpdateInterrupt();
    }

    private void RaiseDeferredEvents()
    {
        if (Interlocked.Exchange(ref _edgePending, 0) != 0)
            _interrupt.RaiseEdge();
        // A held wire frame may fit now; checking costs one lock per exchange only while one is held.
        if (_waitingForRoom)
            PumpWire();
    }
}
