namespace Seqs.Drivers.Cyw43.Register.Bus;

/// <summary>
/// BUS_CONTROL, F0 0x00 (embassy consts.rs "SPI_BUS_CONTROL Bits"; docs/reference/cyw43439.md#f0-registers).
/// </summary>
internal readonly struct BusControl(byte value)
{
    /// <summary>WORD_LENGTH_32: 32-bit words instead of the 16-bit start-up mode.</summary>
    public const byte Word32 = 0x01;

    /// <summary>ENDIAN_BIG: bytes in memory order on the wire. This driver and its emulator use 0 (embassy).</summary>
    public const byte EndianBig = 0x02;

    public const byte ClockPhase = 0x04;
    public const byte ClockPolarity = 0x08;
    public const byte HighSpeed = 0x10;

    /// <summary>INTERRUPT_POLARITY_HIGH: the interrupt output is active high; low when clear.</summary>
    public const byte InterruptPolarityHigh = 0x20;

    public const byte WakeUp = 0x80;

    public bool IsWord32 => (value & Word32) != 0;

    public bool IsEndianBig => (value & EndianBig) != 0;

    public bool IsInterruptActiveHigh => (value & InterruptPolarityHigh) != 0;

    public byte ToByte() => value;
}
