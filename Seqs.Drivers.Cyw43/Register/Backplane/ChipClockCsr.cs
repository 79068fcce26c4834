namespace Seqs.Drivers.Cyw43.Register.Backplane;

/// <summary>
/// CHIP_CLOCK_CSR, F1 0x1000E (embassy consts.rs BACKPLANE_ALP_* and runner.rs;
/// docs/reference/cyw43439.md#f1-registers).
/// </summary>
internal readonly struct ChipClockCsr(byte value)
{
    public const byte ForceAlp = 0x01;
    public const byte ForceHt = 0x02;

    /// <summary>ALP_AVAIL_REQ: ask for the ALP (active low power) clock.</summary>
    public const byte AlpRequest = 0x08;

    /// <summary>HT_AVAIL_REQ: ask for the HT (high throughput) clock.</summary>
    public const byte HtRequest = 0x10;

    public const byte ForceHardwareClockRequestOff = 0x20;

    /// <summary>ALP_AVAIL: the ALP clock runs.</summary>
    public const byte AlpAvailable = 0x40;

    /// <summary>HT_AVAIL: the HT clock runs, which it does once the WLAN firmware has started.</summary>
    public const byte HtAvailable = 0x80;

    public bool IsAlpAvailable => (value & AlpAvailable) != 0;

    public bool IsHtAvailable => (value & HtAvailable) != 0;

    public byte ToByte() => value;
}
