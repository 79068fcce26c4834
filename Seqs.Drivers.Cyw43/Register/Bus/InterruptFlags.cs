namespace Seqs.Drivers.Cyw43.Register.Bus;

/// <summary>
/// The F0 interrupt register 0x04 and its enable register 0x06, 16 bits each (embassy consts.rs
/// IRQ_*; docs/reference/cyw43439.md#irq-register).
/// </summary>
internal readonly struct InterruptFlags(ushort value)
{
    /// <summary>DATA_UNAVAILABLE: requested data was not available; write 1 to clear.</summary>
    public const ushort DataUnavailable = 0x0001;

    public const ushort FifoReadUnderflow = 0x0002;
    public const ushort FifoWriteOverflow = 0x0004;

    /// <summary>COMMAND_ERROR; write 1 to clear.</summary>
    public const ushort CommandError = 0x0008;

    /// <summary>DATA_ERROR; write 1 to clear.</summary>
    public const ushort DataError = 0x0010;

    /// <summary>F2_PACKET_AVAILABLE: a WLAN frame waits to be read.</summary>
    public const ushort F2PacketAvailable = 0x0020;

    public const ushort F3PacketAvailable = 0x0040;

    /// <summary>F1_OVERFLOW: the backplane has pending write requests; write 1 to clear.</summary>
    public const ushort F1Overflow = 0x0080;

    public const ushort F1Interrupt = 0x2000;
    public const ushort F2Interrupt = 0x4000;
    public const ushort F3Interrupt = 0x8000;

    /// <summary>
    /// The bits a write of 1 clears: embassy spi.rs init writes exactly these
    /// (docs/reference/cyw43439.md#irq-register).
    /// </summary>
    public const ushort WriteOneToClear = DataUnavailable | CommandError | DataError | F1Overflow;

    /// <summary>
    /// What the driver enables after the bus handshake (embassy spi.rs init, 0x00BE;
    /// docs/reference/cyw43439.md#handshake step 6; Bluetooth would add F1_INTR).
    /// </summary>
    public const ushort EnabledAtBusInit = FifoReadUnderflow | FifoWriteOverflow | CommandError | DataError
        | F2PacketAvailable | F1Overflow;

    /// <summary>Errors the driver reports when it finds them set.</summary>
    public const ushort Errors = DataUnavailable | FifoReadUnderflow | FifoWriteOverflow | CommandError | DataError | F1Overflow;

    public bool HasErrors => (value & Errors) != 0;

    public bool IsF2PacketAvailable => (value & F2PacketAvailable) != 0;

    public ushort ToUInt16() => value;

    public override string ToString() => $"{value:X4}h";
}
