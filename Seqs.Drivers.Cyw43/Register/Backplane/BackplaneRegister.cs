namespace Seqs.Drivers.Cyw43.Register.Backplane;

/// <summary>
/// The F1 registers above the backplane window (embassy consts.rs REG_BACKPLANE_*;
/// docs/reference/cyw43439.md#f1-registers). F1 addresses below 0x10000 are the 32 KB window onto the backplane.
/// </summary>
internal enum BackplaneRegister
{
    /// <summary>The F2 watermark; embassy writes 0x10 and checks the read-back, then 0x20 once the firmware runs.</summary>
    Function2Watermark = 0x10008,

    /// <summary>Backplane address bits 15:8 of the window.</summary>
    WindowLow = 0x1000A,

    /// <summary>Backplane address bits 23:16 of the window.</summary>
    WindowMid = 0x1000B,

    /// <summary>Backplane address bits 31:24 of the window.</summary>
    WindowHigh = 0x1000C,

    /// <summary>Frame control: write 1 to drop the F2 frame being read.</summary>
    FrameControl = 0x1000D,

    /// <summary>CHIP_CLOCK_CSR: clock requests and availability.</summary>
    ChipClockCsr = 0x1000E,

    /// <summary>Pad pull-ups: the driver writes 0.</summary>
    PullUp = 0x1000F,
}
