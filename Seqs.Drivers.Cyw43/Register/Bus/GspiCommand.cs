namespace Seqs.Drivers.Cyw43.Register.Bus;

/// <summary>
/// The 32-bit gSPI command word that starts every transaction (embassy spi.rs <c>cmd_word</c>;
/// docs/reference/cyw43439.md#command-word): bit 31 write, bit 30 address increment, bits 29:28 function, bits 27:11
/// address (17 bits), bits 10:0 length in bytes, where 0 means 2048.
/// </summary>
internal readonly struct GspiCommand
{
    public const int MaxLength = 2048;
    public const int MaxAddress = 0x1FFFF;

    private const uint WriteBit = 1u << 31;
    private const uint IncrementBit = 1u << 30;
    private const int FunctionShift = 28;
    private const int AddressShift = 11;
    private const uint LengthMask = 0x7FF;

    private readonly uint _value;

    public GspiCommand(uint value) => _value = value;

    public GspiCommand(bool write, BusFunction function, int address, int length, bool increment = true)
    {
        if ((uint)address > MaxAddress)
            throw new ArgumentOutOfRangeException(nameof(address), address, "A gSPI address has 17 bits.");
        if (length is < 1 or > MaxLength)
            throw new ArgumentOutOfRangeException(nameof(length), length, "A gSPI transfer carries 1 to 2048 bytes.");
        _value = (write ? WriteBit : 0) | (increment ? IncrementBit : 0) | (uint)function << FunctionShift
            | (uint)address << AddressShift | ((uint)length & LengthMask);
    }

    public bool IsWrite => (_value & WriteBit) != 0;

    public bool IsIncrement => (_value & IncrementBit) != 0;

    public BusFunction Function => (BusFunction)(_value >> FunctionShift & 0x3);

    public int Address => (int)(_value >> AddressShift & MaxAddress);

    /// <summary>Bytes to transfer; the field's 0 stands for 2048.</summary>
    public int Length => (_value & LengthMask) is 0 ? MaxLength : (int)(_value & LengthMask);

    /// <summary>The data phase in whole 32-bit words: 1- and 2-byte values sit in the low bytes of one word.</summary>
    public int DataWords => (Length + 3) / 4;

    public uint ToUInt32() => _value;

    public override string ToString() =>
        $"{(IsWrite ? "write" : "read")} F{(int)Function} {Address:X5}h {Length} B{(IsIncrement ? "" : " fixed")}";
}
