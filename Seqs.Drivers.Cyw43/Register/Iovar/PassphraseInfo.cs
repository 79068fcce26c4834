using System.Buffers.Binary;

namespace Seqs.Drivers.Cyw43.Register.Iovar;

/// <summary>
/// The 68-byte SET_WSEC_PMK argument (embassy structs.rs <c>PassphraseInfo</c>,
/// control.rs Control::join; docs/reference/cyw43439.md#wpa2-psk-join step 6): length u16, flags u16 (1: the key is a
/// passphrase), key[64].
/// </summary>
public static class PassphraseInfo
{
    public const int Length = 68;

    /// <summary>WPA2-PSK passphrases have 8 to 63 ASCII characters (IEEE 802.11 Annex J.4); 64 would be a hex PSK.</summary>
    public const int MinPassphraseLength = 8;

    public const int MaxPassphraseLength = 63;

    private const ushort PassphraseFlag = 1;

    public static void Write(Span<byte> destination, ReadOnlySpan<byte> passphrase)
    {
        if (passphrase.Length is < MinPassphraseLength or > MaxPassphraseLength)
            throw new ArgumentException($"A WPA2 passphrase has {MinPassphraseLength} to {MaxPassphraseLength} characters, not {passphrase.Length}.", nameof(passphrase));
        destination[..Length].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)passphrase.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], PassphraseFlag);
        passphrase.CopyTo(destination[4..]);
    }

    /// <summary>The passphrase in a value written by <see cref="Write"/>; empty when malformed.</summary>
    public static ReadOnlySpan<byte> Read(ReadOnlySpan<byte> value)
    {
        if (value.Length < Length)
            return default;
        int length = BinaryPrimitives.ReadUInt16LittleEndian(value);
        return length > 64 ? default : value.Slice(4, length);
    }
}
