namespace Seqs.Drivers.Cyw43.Register.Backplane;

/// <summary>
/// The registers of a core's AI wrapper (agent): IOCTRL at +0x408 and RESETCTRL at +0x800 (embassy consts.rs
/// AI_IOCTRL_*, AI_RESETCTRL_*; chip.rs disable_device_core, reset_device_core;
/// docs/reference/cyw43439.md#boot-sequence).
/// </summary>
internal static class CoreWrapper
{
    public const uint IoControlOffset = 0x408;
    public const uint ResetControlOffset = 0x800;

    /// <summary>IOCTRL CLK: the core's clock is enabled.</summary>
    public const byte IoControlClock = 0x01;

    /// <summary>IOCTRL FGC: force gated clocks on, held while the core leaves reset.</summary>
    public const byte IoControlForceGatedClock = 0x02;

    public const byte IoControlCpuHalt = 0x20;

    /// <summary>RESETCTRL bit 0: the core is held in reset.</summary>
    public const byte ResetControlReset = 0x01;

    public static uint IoControl(uint wrapper) => wrapper + IoControlOffset;

    public static uint ResetControl(uint wrapper) => wrapper + ResetControlOffset;
}
