namespace Seqs.Device.Diagnostics;

/// <summary>
/// A wiring or chip fault the emulated CYW43439 shows with <c>--emulator-fault NAME</c>, so that the diagnoses of
/// <c>seqs-device doctor</c> (and the start-up errors) can be seen, and tested, without hardware.
/// </summary>
internal enum Cyw43EmulatorFault
{
    None,

    /// <summary><c>no-chip</c>: nothing answers; the data line reads its pull-up.</summary>
    NoChip,

    /// <summary><c>bit-shift</c>: the host samples every bit one clock late (a wrong sample edge or a clock too fast).</summary>
    BitShift,

    /// <summary><c>wrong-chip</c>: the chip ID is another Broadcom/Infineon chip's (4373).</summary>
    WrongChip,

    /// <summary><c>no-firmware-start</c>: the firmware never starts its high-throughput clock.</summary>
    NoFirmwareStart,

    /// <summary><c>no-f2-ready</c>: the firmware runs but never accepts frames.</summary>
    NoF2Ready,

    /// <summary><c>bad-clm</c>: the firmware refuses the CLM.</summary>
    BadClm,

    /// <summary><c>no-host-wake</c>: the host-wake line never rises.</summary>
    NoHostWake,

    /// <summary><c>no-networks</c>: no access point in range.</summary>
    NoNetworks,
}
