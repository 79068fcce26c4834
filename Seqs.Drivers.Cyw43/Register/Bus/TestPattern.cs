namespace Seqs.Drivers.Cyw43.Register.Bus;

/// <summary>
/// The values of the gSPI test registers (embassy consts.rs FEEDBEAD, TEST_PATTERN;
/// docs/reference/cyw43439.md#handshake).
/// </summary>
internal static class TestPattern
{
    /// <summary>What the read-only test register F0 0x14 holds.</summary>
    public const uint ReadOnlyValue = 0xFEEDBEAD;

    /// <summary>
    /// What an unswapped read of 0x14 returns while the bus is still in 16-bit start-up mode: the halves exchanged.
    /// </summary>
    public const uint ReadOnlyValueUnswapped = 0xBEADFEED;

    /// <summary>What embassy writes to the read/write test register 0x18 and reads back.</summary>
    public const uint ReadWriteProbe = 0x12345678;

    /// <summary>
    /// Whether <paramref name="read"/>, a start-up mode read of 0x14 with its halves put back, is FEEDBEADh one bit off
    /// on the wire (whatever the bit shifted in): the host sampled each bit one clock late or early, a sample edge or
    /// clock speed fault rather than a broken line.
    /// </summary>
    public static bool IsShiftedByOneBit(uint read)
    {
        uint wire = read << 16 | read >> 16;
        return (wire & ~1u) == ReadOnlyValueUnswapped << 1 || (wire & 0x7FFF_FFFF) == ReadOnlyValueUnswapped >> 1;
    }
}
