using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Services;

/// <summary>The discard service of RFC 863 over UDP: datagrams are received and thrown away.</summary>
public sealed class UdpDiscardServer(NetStack stack, ushort port = UdpDiscardServer.DefaultPort) : UdpServer(stack, port)
{
    /// <summary>RFC 863: "A server listens for UDP datagrams on UDP port 9."</summary>
    public const ushort DefaultPort = 9;

    public long OctetsDiscarded { get; private set; }

    protected override void OnDatagram(ReadOnlySpan<byte> datagram, Ipv4EndPoint sender) => OctetsDiscarded += datagram.Length;
}
