using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Seqs.Wire;

/// <summary>An IPv4 address as a 32-bit value in host order (RFC 791 §3.2).</summary>
public readonly record struct Ipv4Address(uint Value)
#if NET8_0_OR_GREATER
    : ISpanParsable<Ipv4Address>, ISpanFormattable
#endif
{
    public const int Length = 4;

    public static readonly Ipv4Address Any = default;
    public static readonly Ipv4Address Broadcast = new(0xFFFF_FFFF);

    public Ipv4Address(byte a, byte b, byte c, byte d)
        : this((uint)a << 24 | (uint)b << 16 | (uint)c << 8 | d)
    {
    }

    public bool IsUnspecified => Value == 0;

    /// <summary>255.255.255.255, the limited broadcast address (RFC 919).</summary>
    public bool IsBroadcast => Value == 0xFFFF_FFFF;

    /// <summary>224.0.0.0/4 (RFC 5771).</summary>
    public bool IsMulticast => (Value & 0xF000_0000) == 0xE000_0000;

    public bool IsLoopback => (Value >> 24) == 127;

    /// <summary>Reads four octets in network order; <paramref name="bytes"/> must hold at least four.</summary>
    public static Ipv4Address Read(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt32BigEndian(bytes));

    /// <summary>Writes four octets in network order; <paramref name="destination"/> must hold at least four.</summary>
    public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, Value);

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

    public static Ipv4Address FromIPAddress(IPAddress address)
    {
        if (address is null)
            throw new ArgumentNullException(nameof(address));
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"{address} is not an IPv4 address.", nameof(address));
        Span<byte> bytes = stackalloc byte[Length];
        address.TryWriteBytes(bytes, out _);
        return Read(bytes);
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[Length];
        Write(bytes);
        return new IPAddress(bytes);
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider? provider = null)
    {
        charsWritten = 0;
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            if (shift != 24)
            {
                if (charsWritten >= destination.Length)
                    return false;
                destination[charsWritten++] = '.';
            }
            if (!((byte)(Value >> shift)).TryFormat(destination[charsWritten..], out int n, default, CultureInfo.InvariantCulture))
                return false;
            charsWritten += n;
        }
        return true;
    }

    public override string ToString()
    {
        Span<char> chars = stackalloc char[15];
        TryFormat(chars, out int n);
        return chars[..n].ToString();
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>Parses dotted-quad notation (four decimal octets, no leading '+' or spaces).</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out Ipv4Address result)
    {
        result = default;
        uint value = 0;
        int octets = 0;
        int i = 0;
        while (octets < 4)
        {
            int start = i;
            uint octet = 0;
            while (i < s.Length && i - start < 3 && s[i] is >= '0' and <= '9')
                octet = octet * 10 + (uint)(s[i++] - '0');
            if (i == start || octet > 255)
                return false;
            value = value << 8 | octet;
            octets++;
            if (octets < 4)
            {
                if (i >= s.Length || s[i] != '.')
                    return false;
                i++;
            }
        }
        if (i != s.Length)
            return false;
        result = new Ipv4Address(value);
        return true;
    }

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Ipv4Address result) => TryParse(s, out result);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Ipv4Address result)
    {
        result = default;
        return s is not null && TryParse(s.AsSpan(), out result);
    }

    public static Ipv4Address Parse(ReadOnlySpan<char> s, IFormatProvider? provider = null) =>
        TryParse(s, out Ipv4Address result) ? result : throw new FormatException($"'{s.ToString()}' is not an IPv4 address in dotted-quad form (for example 192.168.1.10).");

    public static Ipv4Address Parse(string s, IFormatProvider? provider = null)
    {
        if (s is null)
            throw new ArgumentNullException(nameof(s));
        return Parse(s.AsSpan(), provider);
    }
}
