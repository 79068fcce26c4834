namespace Seqs.Drivers.Cyw43;

/// <summary>
/// The steps of bringing the CYW43439 up, in order (embassy spi.rs init, embassy runner.rs Runner::init;
/// docs/reference/cyw43439.md#handshake, #boot-sequence).
/// </summary>
public enum BootStep
{
    /// <summary>WL_REG_ON low, then high, then the wait for the chip.</summary>
    PowerUp,

    /// <summary>Polling the read-only test register for 0xFEEDBEAD in 16-bit mode.</summary>
    BusTestPattern,

    /// <summary>Writing and reading back the read/write test register.</summary>
    BusReadWriteTest,

    /// <summary>Switching the bus to 32-bit words with the status word, and checking the test register again.</summary>
    BusConfiguration,

    /// <summary>Writing the F2 watermark over F1 and reading it back: the backplane function works.</summary>
    BackplaneCheck,

    /// <summary>Requesting the ALP clock and waiting for ALP_AVAIL.</summary>
    AlpClock,

    /// <summary>Reading the chip ID and checking it is a 43439.</summary>
    ChipId,

    /// <summary>Disabling the WLAN ARM core and the SOCSRAM, resetting the SOCSRAM, turning SRAM_3 remap off.</summary>
    CoreReset,

    /// <summary>Writing the WLAN firmware to RAM.</summary>
    FirmwareDownload,

    /// <summary>Writing the NVRAM and its footer.</summary>
    NvramDownload,

    /// <summary>Releasing the WLAN ARM core from reset and checking it is up.</summary>
    WlanCoreStart,

    /// <summary>Waiting for HT_AVAIL: the firmware started and runs the high-throughput clock.</summary>
    HtClock,

    /// <summary>Waiting for F2_RX_READY in the status word: the firmware accepts frames.</summary>
    F2Ready,

    /// <summary>
    /// Uploading the CLM (regulatory data) in chunks with "clmload" and checking "clmload_status" (embassy control.rs
    /// load_clm; docs/reference/cyw43439.md#initialisation step 1).
    /// </summary>
    Clm,

    /// <summary>
    /// The rest of the Wi-Fi set-up: glom off, AP+STA, the MAC address, country, antenna, A-MPDU, event mask, UP, G
    /// mode, band (embassy control.rs Control::init; docs/reference/cyw43439.md#initialisation steps 2-7).
    /// </summary>
    WlanConfiguration,
}
