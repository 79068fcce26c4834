namespace Seqs.Drivers.Cyw43.Register.Backplane;

/// <summary>
/// The F1 window onto the 32-bit backplane (embassy consts.rs BACKPLANE_*; docs/reference/cyw43439.md#window-rules): F1
/// addresses 0x0000-0x7FFF reach <c>window | offset</c>, and bulk transfers are at most 64 bytes, 4-byte aligned,
/// within one window.
/// </summary>
internal static class BackplaneWindow
{
    public const int Size = 0x8000;

    public const uint OffsetMask = 0x7FFF;

    /// <summary>The "4-byte access" flag ORed into the F1 address; embassy sets it for 4-byte register accesses only.</summary>
    public const int Access32BitFlag = 0x8000;

    public const int MaxTransfer = 64;

    /// <summary>The window base of <paramref name="address"/>: its bits 31:15.</summary>
    public static uint BaseOf(uint address) => address & ~OffsetMask;
}
