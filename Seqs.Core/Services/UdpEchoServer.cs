using System.Net.Sockets;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Services;

/// <summary>The echo service of RFC 862 over UDP: every datagram received is sent back to its sender.</summary>
public sealed class UdpEchoServer(NetStack stack, ushort port = UdpEchoServer.DefaultPort) : UdpServer(stack, port)
{
    /// <summary>RFC 862: "A server listens for UDP datagrams on UDP port 7."</summary>
    public const ushort DefaultPort = 7;

    /// <summary>Datagrams that could not be echoed because there was no route back.</summary>
    public long SendFailures { get; private set; }

    protected override void OnDatagram(ReadOnlySpan<byte> datagram, Ipv4EndPoint sender)
    {
        try
        {
            Socket.SendTo(datagram, sender);
        }
        catch (SocketException)
        {
            SendFailures++;
        }
    }
}
