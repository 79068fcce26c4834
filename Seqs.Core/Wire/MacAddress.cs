using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net.NetworkInformation;

namespace Seqs.Wire;

/// <summary>An IEEE 802 48-bit MAC address, kept in the low 48 bits of <see cref="Value"/> in transmission order.</summary>
public readonly record struct MacAddress
#if NET8_0_OR_GREATER
    : ISpanParsable<MacAddress>, ISpanFormattable
#endif
{
    public const int Length = 6;
    private const ulong Mask = 0xFFFF_FFFF_FFFF;

    public static readonly MacAddress Broadcast = new(Mask);
    public static readonly MacAddress Zero = default;

    public MacAddress(ulong value) => Value = value & Mask;

    public ulong Value { get; }

    public bool IsBroadcast => Value == Mask;

    /// <summary>The I/G bit, the least significant bit of the first octet (IEEE 802-2014 §8.2).</summary>
    public bool IsMulticast => (Value & 0x0100_0000_0000) != 0;

    public bool IsUnicast => !IsMulticast;

    /// <summary>Reads six octets; <paramref name="bytes"/> must hold at least six.</summary>
    public static MacAddress Read(ReadOnlySpan<byte> bytes) =>
        new((ulong)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 32 | BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]));

    /// <summary>Writes six octets; <paramref name="destination"/> must hold at least six.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(Value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)Value);
    }

    public bool TryWriteBytes(Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < Length)
        {
            bytesWritten = 0;
            return false;
        }
        Write(destination);
        bytesWritten = Length;
        return true;
    }

    public static MacAddress FromPhysicalAddress(PhysicalAddress address)
    {
        if (address is null)
            throw new ArgumentNullException(nameof(address));
        byte[] bytes = address.GetAddressBytes();
        if (bytes.Length != Length)
            throw new ArgumentException($"{address} is not a 48-bit MAC address.", nameof(address));
        return Read(bytes);
    }

    public PhysicalAddress ToPhysicalAddress()
    {
        byte[] bytes = new byte[Length];
        Write(bytes);
        return new PhysicalAddress(bytes);
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        const string Hex = "0123456789abcdef";
        charsWritten = 0;
        if (destination.Length < 17)
            return false;
        for (int i = 0; i < Length; i++)
        {
            byte octet = (byte)(Value >> (8 * (Length - 1 - i)));
            if (i > 0)
                destination[charsWritten++] = ':';
            destination[charsWritten++] = Hex[octet >> 4];
            destination[charsWritten++] = Hex[octet & 0xF];
        }
        return true;
    }

    public override string ToString()
    {
        Span<char> chars = stackalloc char[17];
        TryFormat(chars, out _);
        return chars.ToString();
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>Parses six hexadecimal octets separated by ':' or '-'.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out MacAddress result)
    {
        result = default;
        if (s.Length != 17)
            return false;
        ulong value = 0;
        for (int i = 0; i < Length; i++)
        {
            int hi = HexValue(s[3 * i]), lo = HexValue(s[3 * i + 1]);
            if (hi < 0 || lo < 0)
                return false;
            if (i < Length - 1 && s[3 * i + 2] is not (':' or '-'))
                return false;
            value = value << 8 | (uint)(hi << 4 | lo);
        }
        result = new MacAddress(value);
        return true;
    }

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out MacAddress result) => TryParse(s, out result);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out MacAddress result)
    {
        result = default;
        return s is not null && TryParse(s.AsSpan(), out result);
    }

    public static MacAddress Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, out MacAddress result) ? result : throw new FormatException($"'{s.ToString()}' is not a MAC address (expected six hex octets such as 02:00:00:00:00:01).");

    public static MacAddress Parse(string s, IFormatProvider? provider = null)
    {
        if (s is null)
            throw new ArgumentNullException(nameof(s));
        return Parse(s.AsSpan(), provider);
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
