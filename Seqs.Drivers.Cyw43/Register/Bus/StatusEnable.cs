namespace Seqs.Drivers.Cyw43.Register.Bus;

/// <summary>
/// STATUS_ENABLE, F0 0x02 (embassy consts.rs "SPI_STATUS_ENABLE bits"; docs/reference/cyw43439.md#f0-registers).
/// </summary>
internal readonly struct StatusEnable(byte value)
{
    /// <summary>STATUS_ENABLE: the chip sends the STATUS word after every transaction.</summary>
    public const byte Enabled = 0x01;

    /// <summary>INTR_WITH_STATUS.</summary>
    public const byte InterruptWithStatus = 0x02;

    public bool IsEnabled => (value & Enabled) != 0;

    public byte ToByte() => value;
}
