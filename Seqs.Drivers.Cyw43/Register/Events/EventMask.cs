namespace Seqs.Drivers.Cyw43.Register.Events;

/// <summary>
/// The value of the "bsscfg:event_msgs" iovar: the interface (u32, little-endian) and a 24-byte bitmask with bit
/// <c>n % 8</c> of byte <c>n / 8</c> enabling event <c>n</c> (embassy structs.rs
/// <c>EventMask</c>, control.rs Control::init; docs/reference/cyw43439.md#initialisation step 6).
/// </summary>
public static class EventMask
{
    public const int MaskLength = 24;

    public const int Length = 4 + MaskLength;

    /// <summary>
    /// The events embassy control.rs Control::init leaves off as noise (docs/reference/cyw43439.md#initialisation): 19,
    /// 20, 40, 44, 54 and 71.
    /// </summary>
    public static ReadOnlySpan<byte> Disabled => [19, 20, 40, 44, 54, 71];

    /// <summary>Writes the driver's mask: every event but <see cref="Disabled"/>.</summary>
    public static void Write(Span<byte> destination, int iface = 0)
    {
        destination[..4].Clear();
        destination[0] = (byte)iface;
        Span<byte> mask = destination.Slice(4, MaskLength);
        mask.Fill(0xFF);
        foreach (byte code in Disabled)
            mask[code / 8] &= (byte)~(1 << (code % 8));
    }

    /// <summary>Whether <paramref name="value"/> (an iovar value as written by <see cref="Write"/>) enables <paramref name="code"/>.</summary>
    public static bool IsEnabled(ReadOnlySpan<byte> value, uint code) =>
        code < MaskLength * 8 && value.Length >= Length && (value[4 + (int)code / 8] & 1 << (int)(code % 8)) != 0;
}
