namespace Seqs.Drivers.Cyw43.Register.Bus;

/// <summary>
/// The gSPI STATUS word (F0 0x08), which the chip also appends to every transaction once STATUS_EN is set
/// (embassy consts.rs STATUS_*; docs/reference/cyw43439.md#status-register and #status-phase).
/// </summary>
public readonly struct GspiStatus : IEquatable<GspiStatus>
{
    internal const uint DataNotAvailableBit = 0x0000_0001;
    internal const uint UnderflowBit = 0x0000_0002;
    internal const uint OverflowBit = 0x0000_0004;
    internal const uint F2InterruptBit = 0x0000_0008;
    internal const uint F3InterruptBit = 0x0000_0010;
    internal const uint F2ReceiveReadyBit = 0x0000_0020;
    internal const uint F3ReceiveReadyBit = 0x0000_0040;
    internal const uint HostCommandDataErrorBit = 0x0000_0080;
    internal const uint F2PacketAvailableBit = 0x0000_0100;
    internal const int F2PacketLengthShift = 9;
    internal const uint F2PacketLengthMask = 0x7FF; // bits 19:9
    internal const uint F3PacketAvailableBit = 0x0010_0000;
    internal const int F3PacketLengthShift = 21;

    private readonly uint _value;

    public GspiStatus(uint value) => _value = value;

    /// <summary>b0: the last read asked for data the chip did not have.</summary>
    public bool DataNotAvailable => (_value & DataNotAvailableBit) != 0;

    /// <summary>b1: the last F2 read asked for more bytes than the frame had; the frame read is not to be trusted.</summary>
    public bool Underflow => (_value & UnderflowBit) != 0;

    public bool Overflow => (_value & OverflowBit) != 0;

    /// <summary>b5 F2_RX_READY: the chip accepts host writes on F2.</summary>
    public bool F2ReceiveReady => (_value & F2ReceiveReadyBit) != 0;

    /// <summary>b8 F2_PKT_AVAILABLE: a frame waits on F2; <see cref="F2PacketLength"/> says how long it is.</summary>
    public bool F2PacketAvailable => (_value & F2PacketAvailableBit) != 0;

    /// <summary>Bits 19:9: the length in bytes of the frame waiting on F2.</summary>
    public int F2PacketLength => (int)(_value >> F2PacketLengthShift & F2PacketLengthMask);

    public bool HostCommandDataError => (_value & HostCommandDataErrorBit) != 0;

    public uint ToUInt32() => _value;

    public bool Equals(GspiStatus other) => _value == other._value;

    public override bool Equals(object? obj) => obj is GspiStatus other && Equals(other);

    public override int GetHashCode() => (int)_value;

    public static bool operator ==(GspiStatus left, GspiStatus right) => left.Equals(right);

    public static bool operator !=(GspiStatus left, GspiStatus right) => !left.Equals(right);

    public override string ToString() =>
        $"{_value:X8}h{(F2ReceiveReady ? " F2_RX_READY" : "")}{(F2PacketAvailable ? $" F2_PKT_AVAILABLE({F2PacketLength} B)" : "")}" +
        $"{(DataNotAvailable ? " DATA_NOT_AVAILABLE" : "")}{(Underflow ? " UNDERFLOW" : "")}{(Overflow ? " OVERFLOW" : "")}";

    internal static GspiStatus Create(bool f2ReceiveReady, int f2PacketLength, bool dataNotAvailable, bool underflow = false)
    {
        uint value = f2ReceiveReady ? F2ReceiveReadyBit : 0;
        if (dataNotAvailable)
            value |= DataNotAvailableBit;
        if (underflow)
            value |= UnderflowBit;
        if (f2PacketLength > 0)
            value |= F2PacketAvailableBit | ((uint)f2PacketLength & F2PacketLengthMask) << F2PacketLengthShift;
        return new GspiStatus(value);
    }
}
