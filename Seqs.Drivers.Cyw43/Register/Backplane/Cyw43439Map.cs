namespace Seqs.Drivers.Cyw43.Register.Backplane;

/// <summary>
/// The CYW43439's backplane address map (embassy consts.rs CHIPCOMMON_BASE_ADDRESS,
/// SDIO_BASE_ADDRESS, SDIO_INT_HOST_MASK; docs/reference/cyw43439.md#43439-address-map and #boot-sequence).
/// </summary>
internal static class Cyw43439Map
{
    /// <summary>ChipCommon; a 16-bit read here returns the chip ID.</summary>
    public const uint ChipCommon = 0x1800_0000;

    /// <summary>43439 in hexadecimal: what the ChipCommon ID read returns.</summary>
    public const ushort ChipId = 0xA9AF;

    public const uint SdioCore = 0x1800_2000;

    /// <summary>
    /// SDIO core INT_HOST_MASK; the driver writes 0xF0 once the firmware runs (embassy runner.rs Runner::init;
    /// docs/reference/cyw43439.md#boot-sequence step 9).
    /// </summary>
    public const uint SdioIntHostMask = SdioCore + 0x24;

    /// <summary>The mask written to <see cref="SdioIntHostMask"/> (embassy consts.rs I_HMB_SW_MASK).</summary>
    public const uint SdioIntHostMaskValue = 0xF0;

    /// <summary>
    /// SOCSRAM bank index register; the driver writes 3 (embassy runner.rs Runner::init;
    /// docs/reference/cyw43439.md#boot-sequence step 4).
    /// </summary>
    public const uint SocSramBankIndex = 0x1800_4010;

    /// <summary>
    /// SOCSRAM bank PDA register; the driver writes 0: SRAM_3 remap off (embassy runner.rs Runner::init;
    /// docs/reference/cyw43439.md#boot-sequence step 4).
    /// </summary>
    public const uint SocSramBankPda = 0x1800_4044;

    /// <summary>Bank 3, whose remap the boot turns off.</summary>
    public const uint SocSramBank3 = 3;

    /// <summary>The agent (wrapper) of the WLAN ARM core; IOCTRL and RESETCTRL are at fixed offsets from it.</summary>
    public const uint WlanArmWrapper = 0x1810_3000;

    /// <summary>The agent (wrapper) of the SOCSRAM core.</summary>
    public const uint SocSramWrapper = 0x1810_4000;

    /// <summary>RAM: 512 KB at backplane address 0, where the firmware goes.</summary>
    public const uint RamBase = 0;

    public const int RamSize = 512 * 1024;

    /// <summary>
    /// The last RAM word: the NVRAM length footer (embassy runner.rs Runner::init;
    /// docs/reference/cyw43439.md#boot-sequence step 6).
    /// </summary>
    public const uint NvramFooter = RamBase + RamSize - 4;
}
