using System.Globalization;
using System.Net;

namespace Seqs.Wire;

/// <summary>An IPv4 address and a transport port; the stack's allocation-free counterpart of <see cref="IPEndPoint"/>.</summary>
public readonly record struct Ipv4EndPoint(Ipv4Address Address, ushort Port)
{
    public static Ipv4EndPoint FromIPEndPoint(IPEndPoint endPoint)
    {
        if (endPoint is null)
            throw new ArgumentNullException(nameof(endPoint));
        return new Ipv4EndPoint(Ipv4Address.FromIPAddress(endPoint.Address), checked((ushort)endPoint.Port));
    }

    public IPEndPoint ToIPEndPoint() => new(Address.ToIPAddress(), Port);

    public override string ToString() => $"{Address}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
