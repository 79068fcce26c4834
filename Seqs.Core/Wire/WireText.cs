using System.Globalization;

namespace Seqs.Wire;

/// <summary>Formatting shared by the views' <c>ToString</c> overrides, which must never throw.</summary>
internal static class WireText
{
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static string Malformed(string header, WireRejection rejection, int length) =>
        Invariant($"{header} (malformed: {rejection}, {length} octets)");

    /// <summary>The member name of a known value, else the value in hex, as Wireshark prints unknown EtherTypes.</summary>
    public static string Name(EtherType value) =>
        value is EtherType.Ipv4 or EtherType.Arp or EtherType.Vlan or EtherType.Ipv6
            ? value.ToString()
            : Invariant($"0x{(ushort)value:x4}");

    public static string Name(IpProtocol value) =>
        value is IpProtocol.Icmp or IpProtocol.Tcp or IpProtocol.Udp ? value.ToString() : Invariant($"proto {(byte)value}");
}
