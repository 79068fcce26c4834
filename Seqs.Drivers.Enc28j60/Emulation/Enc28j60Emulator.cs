using Seqs.Drivers.Enc28j60.Register.Buffer;
using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Spi;
using Seqs.Hal;
using Seqs.Simulation;

namespace Seqs.Drivers.Enc28j60.Emulation;

/// <summary>
/// A behavioural model of the ENC28J60 behind <see cref="ISpiBus"/>: the SPI instruction decoder (DS39662E §4.2),
/// the banked control registers (§3.1), the 8-Kbyte buffer with its pointer rules (§3.2), the receive engine with
/// filters and status vectors (§7.2, §8), transmission with the control byte and status vector (§7.1), the PHY
/// behind MII with busy timing (§3.3), the INT pin (§12) and resets (§11). Its wire side is
/// <see cref="DeliverFrame"/> and <see cref="FrameTransmitted"/>, or an <see cref="IEthernetNic"/> given to
/// <see cref="Attach"/>. It counts SPI exchanges and bytes, and injects the faults the driver must survive.
/// Thread-safe: the SPI side and the wire side may be driven from different threads.
/// </summary>
public sealed partial class Enc28j60Emulator : ISpiBus
{
    /// <summary>
    /// EREVID of silicon revision B7, the current one (DS80349C revision table; docs/reference/enc28j60.md#registers).
    /// </summary>
    public const byte RevisionB7 = 0x06;

    private readonly object _gate = new();
    private readonly byte[] _memory = new byte[EthernetBuffer.Size];
    private readonly byte[] _registers = new byte[ControlRegisterMap.BankCount * ControlRegisterMap.AddressesPerBank];
    private readonly ChipOutputLine _interrupt = new(true, "INT");
    private bool _resetHeld;

    /// <param name="revision">What EREVID reads: 02h B1, 04h B4, 05h B5, 06h B7.</param>
    /// <param name="clockFrequency">The SPI clock in Hz the emulated bus reports.</param>
    /// <param name="leftInPowerSave">
    /// The chip as a warm reboot finds it after Linux's enc28j60 driver: in power save (ECON2.PWRSV set, oscillator
    /// stopped), where an SPI reset does nothing (errata DS80349C #19). Linux's driver enters power save at probe and
    /// when the interface goes down (enc28j60_lowpower from enc28j60_probe and enc28j60_net_close).
    /// </param>
    public Enc28j60Emulator(byte revision = RevisionB7, int clockFrequency = Enc28j60.SpiClockFrequency, bool leftInPowerSave = false)
    {
        Revision = revision;
        ClockFrequency = clockFrequency;
        ResetLine = new ChipInputLine(true, high => HoldInReset(!high));
        lock (_gate)
        {
            ResetChip();
            if (leftInPowerSave)
                WriteEcon2((byte)(Econ2.AutoInc | Econ2.PwrSv | Econ2.Vrps));
        }
    }

    /// <summary>Raised, outside the emulator's lock, with each frame the chip puts on the wire (no FCS).</summary>
    public event TransmittedFrameHandler? FrameTransmitted;

    public byte Revision { get; }

    public int ClockFrequency { get; }

    /// <summary>The INT pin: an input to the host, active low (§12).</summary>
    public IDigitalLine InterruptLine => _interrupt;

    /// <summary>The RESET pin: an output of the host; low holds the chip in reset (§11.1).</summary>
    public IDigitalLine ResetLine { get; }

    /// <summary>
    /// False models a missing or unpowered chip: MISO reads <see cref="MissingChipLevel"/> and nothing is decoded.
    /// </summary>
    public bool IsPresent { get; set; } = true;

    /// <summary>What MISO reads with no chip: FFh with a pull-up, 00h with the line tied low.</summary>
    public byte MissingChipLevel { get; set; } = 0xFF;

    /// <summary>What a MAC or MII register read shifts out before the data (§4.2.1, Figure 4-4).</summary>
    public byte DummyByte { get; set; } = 0x5A;

    /// <summary>Chip-select frames clocked since creation or <see cref="ResetCounters"/>.</summary>
    public long SpiExchanges { get; private set; }

    /// <summary>Bytes clocked (each exchange's length) since creation or <see cref="ResetCounters"/>.</summary>
    public long SpiBytes { get; private set; }

    public void ResetCounters()
    {
        lock (_gate)
        {
            SpiExchanges = 0;
            SpiBytes = 0;
        }
    }

    public void Exchange(ReadOnlySpan<byte> transmit, Span<byte> receive)
    {
        if (!receive.IsEmpty && receive.Length != transmit.Length)
            throw new ArgumentException("The receive buffer must be empty or as long as the transmit buffer.", nameof(receive));
        lock (_gate)
        {
            SpiExchanges++;
            SpiBytes += transmit.Length;
            if (!receive.IsEmpty)
                receive.Fill(IsPresent && !_resetHeld ? (byte)0x00 : MissingChipLevel);
            if (IsPresent && !_resetHeld && !transmit.IsEmpty)
                Decode(transmit, receive);
            if (MisoStuckAt is byte level && !receive.IsEmpty)
                receive.Fill(level);
        }
        RaiseDeferredEvents();
    }

    public override string ToString() => $"emulated ENC28J60 rev {Revision:X2}h";

    void IDisposable.Dispose()
    {
    }

    /// <summary>Reads <paramref name="length"/> bytes of the buffer memory from <paramref name="address"/>, wrapping at 1FFFh.</summary>
    public byte[] ReadMemory(int address, int length)
    {
        var bytes = new byte[length];
        lock (_gate)
        {
            for (int i = 0; i < length; i++)
                bytes[i] = _memory[(address + i) & EthernetBuffer.LastAddress];
        }
        return bytes;
    }

    /// <summary>Reads a control register as the SPI side would see it, without the side effects of a read.</summary>
    internal byte PeekRegister(ControlRegister register)
    {
        lock (_gate)
            return register.IsCommon() ? _registers[register.Address()] : _registers[Index(register.Bank(), register.Address())];
    }

    internal int PeekPair(ControlRegister low) => PeekRegister(low) | PeekRegister(low.Next()) << 8;

    private static int Index(int bank, int address) =>
        address >= ControlRegisterMap.FirstCommonAddress ? address : bank * ControlRegisterMap.AddressesPerBank + address;

    private int CurrentBank => _registers[ControlRegister.Econ1.Address()] & Econ1.BankSelect;

    private void Decode(ReadOnlySpan<byte> transmit, Span<byte> receive)
    {
        byte command = transmit[0];
        int argument = command & Opcode.ArgumentMask;
        switch (command & Opcode.OpcodeMask)
        {
            case Opcode.ReadControlRegister:
                ReadControl(argument, receive);
                break;
            case Opcode.ReadBufferMemory & Opcode.OpcodeMask when command == Opcode.ReadBufferMemory:
                ReadBuffer(receive, transmit.Length - 1);
                break;
            case Opcode.WriteControlRegister:
                if (transmit.Length > 1)
                    WriteControl(CurrentBank, argument, transmit[1]);
                break;
            case Opcode.WriteBufferMemory & Opcode.OpcodeMask when command == Opcode.WriteBufferMemory:
                WriteBuffer(transmit[1..]);
                break;
            case Opcode.BitFieldSet:
                if (transmit.Length > 1)
                    ModifyBits(argument, transmit[1], set: true);
                break;
            case Opcode.BitFieldClear:
                if (transmit.Length > 1)
                    ModifyBits(argument, transmit[1], set: false);
                break;
            case Opcode.SystemReset & Opcode.OpcodeMask when command == Opcode.SystemReset:
                // §11.2: SRC resets the chip as the RESET pin does. Errata DS80349C #19: not in power save.
                if ((_registers[ControlRegister.Econ2.Address()] & Econ2.PwrSv) == 0)
                    ResetChip();
                break;
            default:
                // The remaining codes (001xxxxx but 3Ah, 011xxxxx but 7Ah, 11xxxxxx but FFh) are reserved: ignored.
                break;
        }
    }

    private void ReadControl(int address, Span<byte> receive)
    {
        int bank = CurrentBank;
        byte value = ReadRegister(bank, address);
        if (receive.IsEmpty)
            return;
        int dataAt = ControlRegisterMap.IsMacOrMii(bank, address) ? 2 : 1;
        if (dataAt == 2 && receive.Length > 1)
            receive[1] = DummyByte;
        if (receive.Length > dataAt)
            receive[dataAt..].Fill(value);
    }

    private void ReadBuffer(Span<byte> receive, int count)
    {
        int pointer = Pair(0, ControlRegister.Erdpt);
        bool autoIncrement = (_registers[ControlRegister.Econ2.Address()] & Econ2.AutoInc) != 0;
        int receiveEnd = Pair(0, ControlRegister.Erxnd);
        int receiveStart = Pair(0, ControlRegister.Erxst);
        for (int i = 1; i <= count; i++)
        {
            if (!receive.IsEmpty)
                receive[i] = _memory[pointer];
            if (!autoIncrement)
                continue;
            // §4.2.2: reading ERXND moves ERDPT to ERXST; otherwise 1FFFh wraps to 0000h.
            pointer = pointer == receiveEnd ? receiveStart : (pointer + 1) & EthernetBuffer.LastAddress;
        }
        SetPair(ControlRegister.Erdpt, pointer);
    }

    private void WriteBuffer(ReadOnlySpan<byte> data)
    {
        int pointer = Pair(0, ControlRegister.Ewrpt);
        bool autoIncrement = (_registers[ControlRegister.Econ2.Address()] & Econ2.AutoInc) != 0;
        foreach (byte b in data)
        {
            _memory[pointer] = b;
            // §4.2.4: EWRPT wraps from 1FFFh to 0000h; the receive buffer bounds do not apply to writes.
            if (autoIncrement)
                pointer = (pointer + 1) & EthernetBuffer.LastAddress;
        }
        SetPair(ControlRegister.Ewrpt, pointer);
    }

    private int Pair(int bank, ControlRegister low) =>
        _registers[Index(bank, low.Address())] | _registers[Index(bank, low.Address() + 1)] << 8;

    private void SetPair(ControlRegister low, int value)
    {
        int bank = low.Bank();
        _registers[Index(bank, low.Address())] = (byte)value;
        _registers[Index(bank, low.Address() + 1)] = (byte)(value >> 8 & 0x1F);
    }

    private byte Get(ControlRegister register) => _registers[Index(register.Bank(), register.Address())];

    private void Set(ControlRegister register, byte value) => _registers[Index(register.Bank(), register.Address())] = value;
}
