namespace Seqs.Drivers.Cyw43.Register.Bus;

/// <summary>
/// The F0 (gSPI bus) register addresses (embassy consts.rs REG_BUS_*, SPI_RESP_DELAY_F1;
/// docs/reference/cyw43439.md#f0-registers).
/// </summary>
internal enum BusRegister
{
    /// <summary>BUS_CONTROL, 8 bits: word length, endianness, clock phase and polarity, interrupt polarity, wake-up.</summary>
    BusControl = 0x00,

    /// <summary>The bus response delay (embassy writes 4 here with BUS_CONTROL).</summary>
    ResponseDelay = 0x01,

    /// <summary>STATUS_ENABLE: STATUS_EN 0x01, INTR_WITH_STATUS 0x02.</summary>
    StatusEnable = 0x02,

    /// <summary>The interrupt register, 16 bits; some bits write-1-to-clear.</summary>
    Interrupt = 0x04,

    /// <summary>The interrupt enable register, 16 bits.</summary>
    InterruptEnable = 0x06,

    /// <summary>STATUS, 32 bits; the same word the chip appends to each transaction when STATUS_EN is set.</summary>
    Status = 0x08,

    F1Info = 0x0C,
    F2Info = 0x0E,
    F3Info = 0x10,

    /// <summary>Read-only test register: 0xFEEDBEAD.</summary>
    TestReadOnly = 0x14,

    /// <summary>Read/write test register.</summary>
    TestReadWrite = 0x18,

    ResponseDelayF0 = 0x1C,

    /// <summary>RESP_DELAY_F1: filler bytes the chip sends before F1 read data.</summary>
    ResponseDelayF1 = 0x1D,

    ResponseDelayF2 = 0x1E,
    ResponseDelayF3 = 0x1F,
}
