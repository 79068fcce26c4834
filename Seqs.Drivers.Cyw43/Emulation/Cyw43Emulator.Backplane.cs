using System.Buffers.Binary;
using Seqs.Drivers.Cyw43.Register.Backplane;
using Seqs.Drivers.Cyw43.Register.Bus;

namespace Seqs.Drivers.Cyw43.Emulation;

public sealed partial class Cyw43Emulator
{
    /// <summary>
    /// HT_AVAIL comes about 29 ms after the WLAN core starts (embassy runner.rs Runner::init;
    /// docs/reference/cyw43439.md#boot-sequence step 8).
    /// </summary>
    public static readonly TimeSpan DefaultHtClockDelay = TimeSpan.FromMilliseconds(29);

    private readonly byte[] _ram = new byte[Cyw43439Map.RamSize];
    private readonly Dictionary<uint, byte> _otherBackplane = [];
    private readonly Dictionary<int, byte> _f1Registers = [];
    private byte _clockRequest;
    private bool _alpRunning;
    private bool _alpRequested;
    private long _firmwareStartedAt;
    private bool _firmwareRunning;
    private string? _firmwareRejection;
    private bool _wlanInReset = true;

    /// <summary>What ChipCommon's ID reads; A9AFh (43439) unless a test sets another chip.</summary>
    public ushort ChipId { get; set; } = Cyw43439Map.ChipId;

    /// <summary>Fault: ALP_AVAIL never comes.</summary>
    public bool AlpClockFails { get; set; }

    /// <summary>Fault: the firmware starts but HT_AVAIL never comes.</summary>
    public bool HtClockFails { get; set; }

    /// <summary>Fault: the firmware runs but never sets F2_RX_READY.</summary>
    public bool F2NeverReady { get; set; }

    /// <summary>How long after the WLAN core starts the HT clock (and F2) become available.</summary>
    public TimeSpan HtClockDelay { get; set; } = DefaultHtClockDelay;

    /// <summary>When set, RAM must hold exactly this image from address 0 for the firmware to start.</summary>
    public byte[]? ExpectedFirmware { get; set; }

    /// <summary>Whether the WLAN core left reset with acceptable firmware and NVRAM.</summary>
    public bool IsFirmwareRunning
    {
        get
        {
            lock (_gate)
                return _firmwareRunning;
        }
    }

    /// <summary>Why the last start of the WLAN core did not run the firmware; null when it did or none was tried.</summary>
    public string? FirmwareRejection
    {
        get
        {
            lock (_gate)
                return _firmwareRejection;
        }
    }

    /// <summary>CHIP_CLOCK_CSR's request bits as the host last wrote them (ALP_REQ 08h, HT_REQ 10h, ...).</summary>
    public byte ClockRequest
    {
        get
        {
            lock (_gate)
                return _clockRequest;
        }
    }

    /// <summary>The 32 KB window the F1 address registers select.</summary>
    public uint Window
    {
        get
        {
            lock (_gate)
                return CurrentWindow();
        }
    }

    /// <summary>Reads emulated RAM, as a debugger on the chip would.</summary>
    public byte[] ReadRam(uint address, int length)
    {
        lock (_gate)
            return _ram.AsSpan((int)address, length).ToArray();
    }

    /// <summary>Reads a backplane register (outside RAM) without the side effects of a bus access.</summary>
    public uint PeekBackplane32(uint address)
    {
        lock (_gate)
        {
            Span<byte> bytes = stackalloc byte[4];
            for (int i = 0; i < 4; i++)
                bytes[i] = ReadBackplaneByte(address + (uint)i);
            return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        }
    }

    public bool IsCoreInReset(uint wrapper)
    {
        lock (_gate)
            return (ReadBackplaneByte(CoreWrapper.ResetControl(wrapper)) & CoreWrapper.ResetControlReset) != 0;
    }

    /// <summary>F1 register byte as last written (window, watermark, pull-ups, ...).</summary>
    public byte PeekF1Register(int address)
    {
        lock (_gate)
            return _f1Registers.TryGetValue(address, out byte value) ? value : (byte)0;
    }

    private bool HtAvailable =>
        _firmwareRunning && !HtClockFails && _time.GetElapsedTime(_firmwareStartedAt) >= HtClockDelay;

    private bool F2ReceiveReady => HtAvailable && !F2NeverReady;

    /// <summary>Power-up state. Both cores start held in reset, so RAM takes writes only after the boot sequence's
    /// SOCSRAM reset: an emulator choice that makes a skipped step visible.</summary>
    private void ResetBackplane()
    {
        Array.Clear(_ram, 0, _ram.Length);
        _otherBackplane.Clear();
        _f1Registers.Clear();
        _clockRequest = 0;
        _alpRunning = false;
        _alpRequested = false;
        _firmwareRunning = false;
        _firmwareRejection = null;
        _wlanInReset = true;
        _otherBackplane[CoreWrapper.ResetControl(Cyw43439Map.WlanArmWrapper)] = CoreWrapper.ResetControlReset;
        _otherBackplane[CoreWrapper.ResetControl(Cyw43439Map.SocSramWrapper)] = CoreWrapper.ResetControlReset;
        ResetWlan();
    }

    private uint CurrentWindow()
    {
        uint Byte(BackplaneRegister register) => _f1Registers.TryGetValue((int)register, out byte value) ? value : 0u;
        return (Byte(BackplaneRegister.WindowHigh) << 24 | Byte(BackplaneRegister.WindowMid) << 16 | Byte(BackplaneRegister.WindowLow) << 8)
            & ~BackplaneWindow.OffsetMask;
    }

    private void ReadBackplaneFunction(GspiCommand command, Span<byte> data)
    {
        if (command.Address >= 0x10000)
        {
            for (int i = 0; i < data.Length; i++)
                data[i] = ReadF1Register(command.Address + i);
            return;
        }
        if (!CheckBulk(command))
            return;
        uint address = CurrentWindow() | (uint)command.Address & BackplaneWindow.OffsetMask;
        for (int i = 0; i < data.Length; i++)
            data[i] = ReadBackplaneByte(address + (uint)i);
    }

    private void WriteBackplaneFunction(GspiCommand command, ReadOnlySpan<byte> data)
    {
        if (command.Address >= 0x10000)
        {
            for (int i = 0; i < data.Length; i++)
                WriteF1Register(command.Address + i, data[i]);
            return;
        }
        if (!CheckBulk(command))
            return;
        uint address = CurrentWindow() | (uint)command.Address & BackplaneWindow.OffsetMask;
        for (int i = 0; i < data.Length; i++)
            WriteBackplaneByte(address + (uint)i, data[i]);
        OnBackplaneWritten(address, data.Length);
    }

    /// <summary>
    /// embassy spi.rs bp_read, bp_write; docs/reference/cyw43439.md#window-rules: at most 64 bytes, inside the window,
    /// 4-byte aligned for bulk transfers. The 0x8000 "4-byte access" flag is ignored
    /// (docs/reference/cyw43439.md#emulator-scope).
    /// </summary>
    private bool CheckBulk(GspiCommand command)
    {
        int offset = (int)((uint)command.Address & BackplaneWindow.OffsetMask);
        if (command.Length > BackplaneWindow.MaxTransfer)
            _violations.Add($"{command}: F1 transfers are at most {BackplaneWindow.MaxTransfer} bytes");
        else if (offset + command.Length > BackplaneWindow.Size)
            _violations.Add($"{command}: the transfer crosses the end of the 32 KB window");
        else if (command.Length > 4 && (offset & 3) != 0)
            _violations.Add($"{command}: bulk transfers start 4-byte aligned");
        else
            return true;
        return false;
    }

    private byte ReadF1Register(int address)
    {
        switch (address)
        {
            case (int)BackplaneRegister.ChipClockCsr:
                return (byte)(_clockRequest
                    | (_alpRunning ? ChipClockCsr.AlpAvailable : 0)
                    | (HtAvailable ? ChipClockCsr.HtAvailable : 0));
            default:
                return _f1Registers.TryGetValue(address, out byte value) ? value : (byte)0;
        }
    }

    private void WriteF1Register(int address, byte value)
    {
        switch (address)
        {
            case (int)BackplaneRegister.ChipClockCsr:
                _clockRequest = (byte)(value & (ChipClockCsr.ForceAlp | ChipClockCsr.ForceHt | ChipClockCsr.AlpRequest | ChipClockCsr.HtRequest | ChipClockCsr.ForceHardwareClockRequestOff));
                if ((value & (ChipClockCsr.AlpRequest | ChipClockCsr.ForceAlp)) != 0)
                {
                    _alpRequested = true;
                    _alpRunning |= !AlpClockFails;
                }
                break;
            case (int)BackplaneRegister.FrameControl:
                if ((value & 1) != 0)
                    DropF2Frame();
                break;
            case (int)BackplaneRegister.Function2Watermark when !_alpRequested:
                // embassy runner.rs Runner::init requests ALP before it writes the watermark and reads it back; the
                // emulator takes the backplane registers to need that clock and loses the write without it.
                break;
            default:
                _f1Registers[address] = value;
                break;
        }
    }

    private byte ReadBackplaneByte(uint address)
    {
        if (address < Cyw43439Map.RamSize)
            return _ram[address];
        if (address - Cyw43439Map.ChipCommon < 2)
            return (byte)(ChipId >> (int)(address - Cyw43439Map.ChipCommon) * 8);
        return _otherBackplane.TryGetValue(address, out byte value) ? value : (byte)0;
    }

    private void WriteBackplaneByte(uint address, byte value)
    {
        if (address < Cyw43439Map.RamSize)
        {
            if (!IsSocSramUp())
                return; // SOCSRAM held in reset: the write is lost
            _ram[address] = value;
            return;
        }
        _otherBackplane[address] = value;
    }

    private bool IsSocSramUp() =>
        (ReadBackplaneByte(CoreWrapper.ResetControl(Cyw43439Map.SocSramWrapper)) & CoreWrapper.ResetControlReset) == 0
        && (ReadBackplaneByte(CoreWrapper.IoControl(Cyw43439Map.SocSramWrapper)) & CoreWrapper.IoControlClock) != 0;

    /// <summary>
    /// The WLAN core starts when RESETCTRL goes from 1 to 0 with its clock on (cyw43-driver tests/mock_sdio.c;
    /// docs/reference/cyw43439.md#emulator-scope "Must model" 5).
    /// </summary>
    private void OnBackplaneWritten(uint address, int length)
    {
        uint resetControl = CoreWrapper.ResetControl(Cyw43439Map.WlanArmWrapper);
        if (resetControl < address || resetControl >= address + (uint)length)
            return;
        bool inReset = (ReadBackplaneByte(resetControl) & CoreWrapper.ResetControlReset) != 0;
        bool clockOn = (ReadBackplaneByte(CoreWrapper.IoControl(Cyw43439Map.WlanArmWrapper)) & CoreWrapper.IoControlClock) != 0;
        if (inReset)
        {
            _firmwareRunning = false;
            ResetWlan();
        }
        else if (_wlanInReset && clockOn)
        {
            StartFirmware();
        }
        _wlanInReset = inReset;
    }

    private void StartFirmware()
    {
        _firmwareRejection = CheckImages();
        _firmwareRunning = _firmwareRejection is null;
        _firmwareStartedAt = _time.GetTimestamp();
    }

    /// <summary>
    /// docs/reference/cyw43439.md#emulator-scope "Must model" 5: RAM non-empty, the footer consistent, the NVRAM
    /// non-empty.
    /// </summary>
    private string? CheckImages()
    {
        if (ExpectedFirmware is { } expected)
        {
            if (!_ram.AsSpan(0, expected.Length).SequenceEqual(expected))
                return "RAM does not hold the expected firmware image";
        }
        else if (BinaryPrimitives.ReadUInt32LittleEndian(_ram) == 0)
        {
            return "RAM holds no firmware at address 0";
        }
        uint footer = BinaryPrimitives.ReadUInt32LittleEndian(_ram.AsSpan((int)Cyw43439Map.NvramFooter));
        uint words = footer & 0xFFFF;
        if (words == 0 || footer >> 16 != (~words & 0xFFFF))
            return $"the NVRAM footer {footer:X8}h is not (~n << 16) | n";
        int start = (int)Cyw43439Map.NvramFooter - (int)words * 4;
        if (start < 0 || IsAllZero(_ram.AsSpan(start, (int)words * 4)))
            return "the NVRAM area under the footer is empty";
        return null;
    }

    private static bool IsAllZero(ReadOnlySpan<byte> bytes)
    {
#if NET8_0_OR_GREATER
        return !bytes.ContainsAnyExcept((byte)0);
#else
        foreach (byte b in bytes)
        {
            if (b != 0)
                return false;
        }
        return true;
#endif
    }
}
