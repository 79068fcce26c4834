using System.Buffers.Binary;

namespace Seqs.Drivers.Cyw43.Register.Iovar;

/// <summary>
/// The 36-byte SET_SSID argument: length u32 little-endian, SSID[32] (embassy control.rs Control::join;
/// docs/reference/cyw43439.md#wpa2-psk-join step 11).
/// </summary>
public static class SsidInfo
{
    public const int Length = 36;

    public static void Write(Span<byte> destination, ReadOnlySpan<byte> ssid)
    {
        if (ssid.Length is 0 or > BssInfo.MaxSsidLength)
            throw new ArgumentException($"An SSID has 1 to {BssInfo.MaxSsidLength} bytes, not {ssid.Length}.", nameof(ssid));
        destination[..Length].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)ssid.Length);
        ssid.CopyTo(destination[4..]);
    }

    /// <summary>The SSID in a value written by <see cref="Write"/>; empty when malformed.</summary>
    public static ReadOnlySpan<byte> Read(ReadOnlySpan<byte> value)
    {
        if (value.Length < Length)
            return default;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(value);
        return length > BssInfo.MaxSsidLength ? default : value.Slice(4, (int)length);
    }
}
