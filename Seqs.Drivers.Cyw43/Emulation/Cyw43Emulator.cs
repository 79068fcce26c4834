using System.Buffers.Binary;
using Seqs.Drivers.Cyw43.Register.Bus;
using Seqs.Hal;
using Seqs.Simulation;

namespace Seqs.Drivers.Cyw43.Emulation;

/// <summary>
/// A behavioural model of the CYW43439 behind <see cref="ISpiBus"/>, at the gSPI transaction level
/// (after embassy-rs cyw43, cyw43-driver and its tests/mock_sdio.c; <c>docs/reference/cyw43439.md#emulator-scope</c>):
/// every chip-select frame starts with a command word; the model
/// decodes it in the 16-bit start-up mode or in 32-bit mode, serves F0 (bus registers, interrupts, status word,
/// per-function response delays) and F1 (window, backplane RAM, cores, clocks), and boots "firmware" when the WLAN
/// core leaves reset with a non-empty image and a consistent NVRAM footer. On a full-duplex frame it drives the
/// response after the command word and the status word after the data. It counts transactions and bytes per
/// function, records protocol violations instead of throwing, and injects the failures the driver must report.
/// Thread-safe: one lock around each frame.
/// </summary>
public sealed partial class Cyw43Emulator : ISpiBus
{
    private const int RegisterFileSize = 0x20;

    /// <summary>
    /// The interrupt bits a write of 1 clears: the error bits (embassy consts.rs IRQ_*;
    /// docs/reference/cyw43439.md#irq-register) and F2_PACKET_AVAILABLE.
    /// </summary>
    private const ushort HostClearableInterrupts = InterruptFlags.WriteOneToClear | InterruptFlags.F2PacketAvailable;

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly ChipOutputLine _hostWake = new(false, "HOST_WAKE");
    private readonly List<string> _violations = [];
    private readonly long[] _transactionsByFunction = new long[4];
    private readonly byte[] _data = new byte[GspiCommand.MaxLength];
    private bool _powered;
    private bool _gspiSelected;
    private bool _underflowNextF2Read;
    private bool _underflowInThisTransaction;
    private long _f2ReadUnderflows;

    // F0 state (embassy consts.rs REG_BUS_*; docs/reference/cyw43439.md#f0-registers)
    private byte _busControl;
    private byte _responseDelay;
    private byte _statusEnable;
    private ushort _interruptLatched;
    private ushort _interruptEnable;
    private uint _testReadWrite;
    private readonly byte[] _functionResponseDelay = new byte[4];
    private bool _word32;

    /// <param name="time">The clock for the HT clock start-up delay; virtual time in tests.</param>
    /// <param name="clockFrequency">What <see cref="ClockFrequency"/> reports.</param>
    public Cyw43Emulator(TimeProvider? time = null, int clockFrequency = Cyw43439.SpiClockFrequency)
    {
        _time = time ?? TimeProvider.System;
        ClockFrequency = clockFrequency;
        PowerLine = new ChipInputLine(false, SetPower);
        lock (_gate)
            PowerOff();
    }

    public int ClockFrequency { get; }

    /// <summary>WL_REG_ON, an input of the chip: the host drives it high to power the WLAN part up.</summary>
    public IDigitalLine PowerLine { get; }

    /// <summary>The interrupt output (on the Pico W it shares GPIO 24 with the data line).</summary>
    public IDigitalLine HostWakeLine => _hostWake;

    /// <summary>False models a missing chip: every bit reads <see cref="MissingChipLevel"/>.</summary>
    public bool IsPresent { get; set; } = true;

    /// <summary>What the data line reads when nothing drives it: FFh with a pull-up.</summary>
    public byte MissingChipLevel { get; set; } = 0xFF;

    /// <summary>
    /// The level of the shared data line (DATA2) when WL_REG_ON rises, or null for low. The chip takes DATA2 as a
    /// strap: low selects gSPI, high SDIO, and then it never answers on gSPI until the next power cycle
    /// (pico-sdk cyw43_bus_pio_spi.c drives the line low first; docs/reference/cyw43439.md#f0-registers, the
    /// BUS_CONTROL note).
    /// </summary>
    public Func<bool>? DataLineAtPowerUp { get; set; }

    /// <summary>
    /// Fault: the host samples each bit one clock late, as a mode-0 spidev host does above the rising-edge limit or a
    /// bit-banged host that reads after raising CLK in high-speed mode: every answered bit is the next one.
    /// </summary>
    public bool SamplesLate { get; set; }

    /// <summary>Fault: the host-wake line is not wired (it never leaves its idle level).</summary>
    public bool HostWakeUnwired { get; set; }

    /// <summary>Whether BUS_CONTROL has HIGH_SPEED set: the chip then changes its output on the rising clock edge.</summary>
    public bool IsHighSpeed
    {
        get
        {
            lock (_gate)
                return (_busControl & BusControl.HighSpeed) != 0;
        }
    }

    /// <summary>F2 reads that asked for more bytes than the frame had (UNDERFLOW in their status word).</summary>
    public long F2ReadUnderflows
    {
        get
        {
            lock (_gate)
                return _f2ReadUnderflows;
        }
    }

    /// <summary>Gspi transactions (chip-select frames) since creation or <see cref="ResetCounters"/>.</summary>
    public long Transactions { get; private set; }

    /// <summary>Bytes clocked since creation or <see cref="ResetCounters"/>.</summary>
    public long Bytes { get; private set; }

    /// <summary>What the host did that the reference drivers say it must not: oversized or window-crossing F1
    /// transfers, unaligned bulk transfers, frames too short for their command. Tests expect none.</summary>
    public IReadOnlyList<string> ProtocolViolations
    {
        get
        {
            lock (_gate)
                return _violations.ToArray();
        }
    }

    /// <summary>Whether the bus runs 32-bit words (BUS_CONTROL WORD_LENGTH_32 written).</summary>
    public bool IsWord32Mode
    {
        get
        {
            lock (_gate)
                return _word32;
        }
    }

    /// <summary>BUS_CONTROL, response delay and status enable as the one word the driver writes.</summary>
    public uint BusConfiguration
    {
        get
        {
            lock (_gate)
                return (uint)(_busControl | _responseDelay << 8 | _statusEnable << 16);
        }
    }

    /// <summary>RESP_DELAY_F1: filler bytes before F1 read data.</summary>
    public int F1ResponseDelay
    {
        get
        {
            lock (_gate)
                return _functionResponseDelay[(int)BusFunction.Backplane];
        }
    }

    public ushort InterruptEnable
    {
        get
        {
            lock (_gate)
                return _interruptEnable;
        }
    }

    /// <summary>The interrupt register as the host would read it.</summary>
    public ushort Interrupts
    {
        get
        {
            lock (_gate)
                return InterruptRegister();
        }
    }

    /// <summary>Transactions addressed to <paramref name="function"/> since creation or <see cref="ResetCounters"/>.</summary>
    public long TransactionsTo(BusFunction function)
    {
        lock (_gate)
            return _transactionsByFunction[(int)function];
    }

    public void ResetCounters()
    {
        lock (_gate)
        {
            Transactions = 0;
            Bytes = 0;
            Array.Clear(_transactionsByFunction, 0, _transactionsByFunction.Length);
        }
    }

    /// <summary>Fault: the next F2 read runs the FIFO dry, whatever its length, and its status word shows UNDERFLOW.</summary>
    public void InjectF2Underflow()
    {
        lock (_gate)
            _underflowNextF2Read = true;
    }

    /// <summary>Latches write-1-to-clear interrupt bits, as the chip does on a command or data error.</summary>
    public void InjectInterrupt(ushort flags)
    {
        bool edge;
        lock (_gate)
        {
            _interruptLatched |= (ushort)(flags & InterruptFlags.WriteOneToClear);
            edge = UpdateHostWake();
        }
        if (edge)
            _hostWake.RaiseEdge();
    }

    public void Exchange(ReadOnlySpan<byte> transmit, Span<byte> receive)
    {
        if (!receive.IsEmpty && receive.Length != transmit.Length)
            throw new ArgumentException("The receive buffer must be empty or as long as the transmit buffer.", nameof(receive));
        bool edge = false;
        lock (_gate)
        {
            Transactions++;
            Bytes += transmit.Length;
            if (!_powered || !IsPresent || !_gspiSelected)
            {
                receive.Fill(MissingChipLevel);
                return;
            }
            _underflowInThisTransaction = false;
            receive.Clear();
            if (transmit.Length < 4)
            {
                _violations.Add($"a {transmit.Length}-byte frame has no command word");
                return;
            }
            var command = new GspiCommand(ReadWord(transmit));
            _transactionsByFunction[(int)command.Function]++;
            bool word32Before = _word32;
            if (command.IsWrite)
                Write(command, transmit, receive, word32Before);
            else
                Read(command, receive, word32Before);
            if (SamplesLate && receive.Length > 4)
                SampleOneBitLate(receive[4..]);
            edge = UpdateHostWake();
        }
        if (edge)
            _hostWake.RaiseEdge();
        AfterExchange();
    }

    public override string ToString() => "emulated CYW43439";

    /// <summary>
    /// What a host that samples each bit one clock late reads from <paramref name="wire"/>: every bit is the one after
    /// it, and the last reads the idle line as 0. For transports and tests that model a late sample point.
    /// </summary>
    public static void SampleOneBitLate(Span<byte> wire)
    {
        for (int i = 0; i < wire.Length; i++)
            wire[i] = (byte)(wire[i] << 1 | (i + 1 < wire.Length ? wire[i + 1] >> 7 : 0));
    }

    void IDisposable.Dispose()
    {
    }

    internal void SetPower(bool on)
    {
        bool edge;
        lock (_gate)
        {
            if (on == _powered)
                return;
            PowerOff();
            _powered = on;
            _gspiSelected = on && DataLineAtPowerUp?.Invoke() != true;
            edge = UpdateHostWake();
        }
        if (edge)
            _hostWake.RaiseEdge();
    }

    private void PowerOff()
    {
        _word32 = false;
        _busControl = 0;
        _responseDelay = 0;
        _statusEnable = 0;
        _interruptLatched = 0;
        _interruptEnable = 0;
        _underflowNextF2Read = false;
        _testReadWrite = 0;
        Array.Clear(_functionResponseDelay, 0, _functionResponseDelay.Length);
        ResetBackplane();
    }

    private void Write(GspiCommand command, ReadOnlySpan<byte> transmit, Span<byte> receive, bool word32)
    {
        int dataBytes = command.DataWords * 4;
        if (transmit.Length < 4 + dataBytes)
        {
            _violations.Add($"{command}: the frame carries {transmit.Length - 4} of {dataBytes} data bytes");
            return;
        }
        Span<byte> data = _data.AsSpan(0, dataBytes);
        for (int i = 0; i < dataBytes; i += 4)
            BinaryPrimitives.WriteUInt32LittleEndian(data[i..], ReadWord(transmit[(4 + i)..], word32));
        switch (command.Function)
        {
            case BusFunction.Bus:
                WriteBusRegisters(command.Address, data[..command.Length]);
                break;
            case BusFunction.Backplane:
                WriteBackplaneFunction(command, data[..command.Length]);
                break;
            case BusFunction.Wlan:
                WriteWlan(data[..command.Length]);
                break;
            default:
                _violations.Add($"{command}: F3 (Bluetooth) is not modelled");
                break;
        }
        AppendStatus(receive, 4 + dataBytes, word32);
    }

    private void Read(GspiCommand command, Span<byte> receive, bool word32)
    {
        int dataBytes = command.DataWords * 4;
        int delay = _functionResponseDelay[(int)command.Function];
        Span<byte> data = _data.AsSpan(0, dataBytes);
        data.Clear();
        switch (command.Function)
        {
            case BusFunction.Bus:
                ReadBusRegisters(command.Address, data[..command.Length]);
                break;
            case BusFunction.Backplane:
                ReadBackplaneFunction(command, data[..command.Length]);
                break;
            case BusFunction.Wlan:
                ReadWlan(data[..command.Length]);
                break;
            default:
                _violations.Add($"{command}: F3 (Bluetooth) is not modelled");
                break;
        }
        if (receive.IsEmpty)
            return;
        // F1 (and any function given a response delay) sends filler first (embassy spi.rs cmd_read;
        // docs/reference/cyw43439.md#reads).
        int at = 4 + delay;
        for (int i = 0; i < dataBytes && at + i + 4 <= receive.Length; i += 4)
            WriteWord(receive[(at + i)..], BinaryPrimitives.ReadUInt32LittleEndian(data[i..]), word32);
        AppendStatus(receive, at + dataBytes, word32);
    }

    /// <summary>
    /// With STATUS_EN set the STATUS word follows the data phase (embassy spi.rs cmd_read, cmd_write;
    /// docs/reference/cyw43439.md#status-phase).
    /// </summary>
    private void AppendStatus(Span<byte> receive, int at, bool word32)
    {
        if (!new StatusEnable(_statusEnable).IsEnabled || receive.Length < at + 4)
            return;
        WriteWord(receive[at..], CurrentStatus().ToUInt32(), word32);
    }

    private GspiStatus CurrentStatus() =>
        GspiStatus.Create(F2ReceiveReady, F2PacketLength, (_interruptLatched & InterruptFlags.DataUnavailable) != 0, _underflowInThisTransaction);

    /// <summary>
    /// The F0 interrupt register holds what was latched until the host writes the bits back: F2_PACKET_AVAILABLE as
    /// well as the error bits (embassy runner.rs reads 0x04 and writes back what it read before it reads the frames
    /// the status word announces). F2_PACKET_AVAILABLE latches when a frame is queued for the host; clearing it
    /// leaves the frames already queued to the status word.
    /// </summary>
    private ushort InterruptRegister() => _interruptLatched;

    /// <summary>The line is asserted while an enabled interrupt is pending; its level follows INTERRUPT_POLARITY_HIGH.</summary>
    private bool UpdateHostWake()
    {
        if (HostWakeUnwired)
            return false;
        bool asserted = _powered && (InterruptRegister() & _interruptEnable) != 0;
        bool activeHigh = new BusControl(_busControl).IsInterruptActiveHigh;
        return _hostWake.SetLevel(asserted == activeHigh);
    }

    /// <summary>
    /// One word from the wire: most significant byte first (ENDIAN_BIG = 0), and in the 16-bit start-up mode with its
    /// halves exchanged, V[15:8] V[7:0] V[31:24] V[23:16] (embassy spi.rs read32_swapped;
    /// docs/reference/cyw43439.md#16-bit-start-up-mode).
    /// </summary>
    private uint ReadWord(ReadOnlySpan<byte> wire) => ReadWord(wire, _word32);

    private static uint ReadWord(ReadOnlySpan<byte> wire, bool word32)
    {
        uint word = BinaryPrimitives.ReadUInt32BigEndian(wire);
        return word32 ? word : word << 16 | word >> 16;
    }

    private static void WriteWord(Span<byte> wire, uint word, bool word32) =>
        BinaryPrimitives.WriteUInt32BigEndian(wire, word32 ? word : word << 16 | word >> 16);

    private void ReadBusRegisters(int address, Span<byte> data)
    {
        Span<byte> file = stackalloc byte[RegisterFileSize];
        file[(int)BusRegister.BusControl] = _busControl;
        file[(int)BusRegister.ResponseDelay] = _responseDelay;
        file[(int)BusRegister.StatusEnable] = _statusEnable;
        BinaryPrimitives.WriteUInt16LittleEndian(file[(int)BusRegister.Interrupt..], InterruptRegister());
        BinaryPrimitives.WriteUInt16LittleEndian(file[(int)BusRegister.InterruptEnable..], _interruptEnable);
        BinaryPrimitives.WriteUInt32LittleEndian(file[(int)BusRegister.Status..], CurrentStatus().ToUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(file[(int)BusRegister.TestReadOnly..], TestPattern.ReadOnlyValue);
        BinaryPrimitives.WriteUInt32LittleEndian(file[(int)BusRegister.TestReadWrite..], _testReadWrite);
        _functionResponseDelay.CopyTo(file[(int)BusRegister.ResponseDelayF0..]);
        for (int i = 0; i < data.Length; i++)
            data[i] = address + i < RegisterFileSize ? file[address + i] : (byte)0;
    }

    private void WriteBusRegisters(int address, ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            int register = address + i;
            byte value = data[i];
            switch (register)
            {
                case (int)BusRegister.BusControl:
                    _busControl = value;
                    if (new BusControl(value).IsEndianBig)
                        _violations.Add("BUS_CONTROL ENDIAN_BIG: the emulator models ENDIAN_BIG = 0 only");
                    break;
                case (int)BusRegister.ResponseDelay:
                    _responseDelay = value;
                    break;
                case (int)BusRegister.StatusEnable:
                    _statusEnable = value;
                    break;
                case (int)BusRegister.Interrupt:
                    _interruptLatched &= (ushort)~(value & HostClearableInterrupts);
                    break;
                case (int)BusRegister.Interrupt + 1:
                    _interruptLatched &= (ushort)~(value << 8 & HostClearableInterrupts);
                    break;
                case (int)BusRegister.InterruptEnable:
                    _interruptEnable = (ushort)(_interruptEnable & 0xFF00 | value);
                    break;
                case (int)BusRegister.InterruptEnable + 1:
                    _interruptEnable = (ushort)(_interruptEnable & 0x00FF | value << 8);
                    break;
                case >= (int)BusRegister.TestReadWrite and < (int)BusRegister.TestReadWrite + 4:
                    int shift = (register - (int)BusRegister.TestReadWrite) * 8;
                    _testReadWrite = _testReadWrite & ~(0xFFu << shift) | (uint)value << shift;
                    break;
                case >= (int)BusRegister.ResponseDelayF0 and <= (int)BusRegister.ResponseDelayF3:
                    _functionResponseDelay[register - (int)BusRegister.ResponseDelayF0] = value;
                    break;
                default:
                    break; // read-only: STATUS, the function info and the read-only test register
            }
        }
        // The word length applies from the next transaction on.
        _word32 = new BusControl(_busControl).IsWord32;
    }
}
