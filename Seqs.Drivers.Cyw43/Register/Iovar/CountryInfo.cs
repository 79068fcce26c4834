using System.Buffers.Binary;

namespace Seqs.Drivers.Cyw43.Register.Iovar;

/// <summary>
/// The 12-byte value of the "country" iovar (embassy structs.rs <c>CountryInfo</c>,
/// control.rs Control::init; docs/reference/cyw43439.md#initialisation step 4): the abbreviation in 4 bytes, the
/// revision (i32, −1 for the default), the code in 4 bytes.
/// </summary>
public static class CountryInfo
{
    public const int Length = 12;

    /// <summary>The worldwide default: "XX", revision −1.</summary>
    public const string Worldwide = "XX";

    public static void Write(Span<byte> destination, string code, int revision = -1)
    {
        if (code is null || code.Length != 2 || code[0] is < 'A' or > 'Z' || code[1] is < 'A' or > 'Z')
            throw new ArgumentException($"A country code is two capital letters (ISO 3166-1 alpha-2, or XX), not '{code}'.", nameof(code));
        destination[..Length].Clear();
        destination[0] = destination[8] = (byte)code[0];
        destination[1] = destination[9] = (byte)code[1];
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], revision);
    }

    /// <summary>The code in a value written by <see cref="Write"/>.</summary>
    public static string Read(ReadOnlySpan<byte> value) =>
        value.Length < Length ? "" : new string([(char)value[0], (char)value[1]]);
}
