namespace Seqs.Drivers.Cyw43.Register.Bus;

/// <summary>
/// The gSPI function a command addresses: bits 29:28 of the command word (embassy consts.rs
/// FUNC_BUS..FUNC_BT; docs/reference/cyw43439.md#functions).
/// </summary>
public enum BusFunction
{
    /// <summary>F0: the gSPI bus's own registers.</summary>
    Bus = 0,

    /// <summary>F1: the backplane (SDIO function 1 registers and the 32 KB window), at most 64 bytes a transfer.</summary>
    Backplane = 1,

    /// <summary>F2: WLAN frames (SDPCM), at most 2048 bytes a transfer.</summary>
    Wlan = 2,

    /// <summary>F3: Bluetooth; not used by this driver.</summary>
    Bluetooth = 3,
}
