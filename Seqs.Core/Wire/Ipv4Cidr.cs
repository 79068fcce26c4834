using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Seqs.Wire;

/// <summary>An interface address with its prefix length (RFC 4632 CIDR notation, 10.0.0.2/24).</summary>
public readonly record struct Ipv4Cidr
{
    public Ipv4Cidr(Ipv4Address address, int prefixLength)
    {
        if ((uint)prefixLength > 32)
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, "An IPv4 prefix length is 0 to 32.");
        Address = address;
        PrefixLength = prefixLength;
    }

    public Ipv4Address Address { get; }

    public int PrefixLength { get; }

    public Ipv4Address Netmask => new(PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength));

    public Ipv4Address Network => new(Address.Value & Netmask.Value);

    /// <summary>The directed broadcast address of the subnet (RFC 919, RFC 922).</summary>
    public Ipv4Address DirectedBroadcast => new(Address.Value | ~Netmask.Value);

    public bool Contains(Ipv4Address address) => ((address.Value ^ Address.Value) & Netmask.Value) == 0;

    public override string ToString() => $"{Address}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(ReadOnlySpan<char> s, out Ipv4Cidr result)
    {
        result = default;
        int slash = s.IndexOf('/');
        if (slash < 0 || !Ipv4Address.TryParse(s[..slash], out Ipv4Address address))
            return false;
        ReadOnlySpan<char> prefix = s[(slash + 1)..];
        if (prefix.Length is 0 or > 2 || !int.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length > 32)
            return false;
        result = new Ipv4Cidr(address, length);
        return true;
    }

    public static bool TryParse([NotNullWhen(true)] string? s, out Ipv4Cidr result)
    {
        result = default;
        return s is not null && TryParse(s.AsSpan(), out result);
    }
}
