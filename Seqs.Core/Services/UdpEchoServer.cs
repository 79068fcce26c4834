using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Services;

/// <summary>
/// The echo service of RFC 862 over UDP: every datagram received is sent back to its sender, but only a datagram sent
/// to this host (a broadcast to port 7 would be answered by every host on the LAN) and only to a client's port: a
/// datagram "from" a well-known port (below 1024) is most likely spoofed to set two such services echoing to each
/// other for ever, and is dropped (RFC 862 leaves this open; the echo-loop attack is CERT CA-1996-01).
/// </summary>
public sealed class UdpEchoServer : UdpServer
{
    /// <summary>RFC 862: "A server listens for UDP datagrams on UDP port 7."</summary>
    public const ushort DefaultPort = 7;

    /// <summary>The first port a client may send from; lower ones are the well-known ports of services.</summary>
    public const ushort FirstClientPort = 1024;

    public UdpEchoServer(NetStack stack, ushort port = DefaultPort, ILogger? logger = null)
        : base(stack, port, logger)
    {
        Socket.ReceivesBroadcast = false;
    }

    /// <summary>Datagrams that could not be echoed because there was no route back.</summary>
    public long SendFailures { get; private set; }

    /// <summary>Datagrams dropped because they came from a well-known port.</summary>
    public long FromServicePorts { get; private set; }

    protected override void OnDatagram(ReadOnlySpan<byte> datagram, Ipv4EndPoint sender)
    {
        if (sender.Port < FirstClientPort)
        {
            FromServicePorts++;
            return;
        }
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
