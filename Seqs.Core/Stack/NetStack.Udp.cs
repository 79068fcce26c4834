using System.Net.Sockets;
using Seqs.Wire;

namespace Seqs.Stack;

public sealed partial class NetStack
{
    private readonly object _udpBindLock = new();

    internal NetStackOptions Options => _options;

    /// <summary>Largest UDP payload that fits the MTU unfragmented.</summary>
    public int MaxUdpPayload => Mtu - Ipv4Packet.MinHeaderLength - UdpDatagram.HeaderLength;

    internal bool IsBroadcast(Ipv4Address address) =>
        address.IsBroadcast || (Address is Ipv4Cidr own && own.PrefixLength < 31 && address == own.DirectedBroadcast);

    /// <summary>
    /// Adds a socket to the table. The table is copied on change, so the loop reads it without a lock while
    /// binds happen on other threads.
    /// </summary>
    internal ushort BindUdp(UdpSocket socket, ushort port)
    {
        lock (_udpBindLock)
        {
            UdpSocket[] sockets = _udpSockets;
            if (sockets.Length >= _options.MaxUdpSockets)
                throw new SocketException((int)SocketError.TooManyOpenSockets);
            if (port == 0)
                port = new EphemeralPorts(Nonces).Pick(sockets, static (table, candidate) => FindUdp(table, candidate) is not null);
            else if (FindUdp(sockets, port) is not null)
                throw new SocketException((int)SocketError.AddressAlreadyInUse);
            var grown = new UdpSocket[sockets.Length + 1];
            sockets.CopyTo(grown, 0);
            grown[sockets.Length] = socket;
            Volatile.Write(ref _udpSockets, grown);
            return port;
        }
    }

    /// <summary>
    /// Gives a socket in the table a new random ephemeral port in place: the port the socket holds is taken, so the
    /// new one differs from it. The table itself is unchanged, so this allocates nothing.
    /// </summary>
    internal void RebindUdp(UdpSocket socket)
    {
        lock (_udpBindLock)
            socket.LocalPort = new EphemeralPorts(Nonces).Pick(_udpSockets, static (table, candidate) => FindUdp(table, candidate) is not null);
    }

    internal void UnbindUdp(UdpSocket socket)
    {
        lock (_udpBindLock)
        {
            UdpSocket[] sockets = _udpSockets;
            int index = Array.IndexOf(sockets, socket);
            if (index < 0)
                return;
            var shrunk = new UdpSocket[sockets.Length - 1];
            Array.Copy(sockets, 0, shrunk, 0, index);
            Array.Copy(sockets, index + 1, shrunk, index, sockets.Length - index - 1);
            Volatile.Write(ref _udpSockets, shrunk);
        }
    }

    private static UdpSocket? FindUdp(UdpSocket[] sockets, ushort port)
    {
        foreach (UdpSocket socket in sockets)
        {
            if (socket.LocalPort == port)
                return socket;
        }
        return null;
    }

    private void OnUdp(Ipv4Packet packet, bool unicast)
    {
        if (!UdpDatagram.TryParse(packet.Payload, out UdpDatagram udp, out WireRejection rejection))
        {
            Counters.CountMalformed(rejection);
            return;
        }
        if (!_transportChecksumVouched && !udp.VerifyChecksum(packet.SourceAddress, packet.DestinationAddress))
        {
            Counters.UdpChecksumErrors++;
            return;
        }
        Counters.UdpDatagramsReceived++;
        // RFC 768: source port 0 means "no reply expected", and nothing can be sent back to it; a service that
        // answers (echo, mDNS, DNS) would fail on the reply, so the datagram goes no further.
        if (udp.SourcePort == 0)
        {
            Counters.UdpSourcePortZero++;
            return;
        }
        UdpSocket? socket = FindUdp(Volatile.Read(ref _udpSockets), udp.DestinationPort);
        if (socket is null || socket.IsDisposed)
        {
            Counters.UdpNoPort++;
            // RFC 1122 §4.1.3.1: a datagram to a port with no listener SHOULD get port unreachable,
            // but never one that was broadcast or multicast (RFC 1122 §3.2.2).
            if (unicast)
                SendIcmpError(IcmpType.DestinationUnreachable, (byte)IcmpUnreachableCode.PortUnreachable, packet);
            return;
        }
        if (!unicast && !socket.ReceivesBroadcast)
        {
            Counters.UdpBroadcastRefused++;
            return;
        }
        socket.Deliver(udp.Payload, new Ipv4EndPoint(packet.SourceAddress, udp.SourcePort), packet.DestinationAddress);
    }

    /// <summary>Builds and sends one datagram from the loop; false when there is no route.</summary>
    internal bool SendUdp(ushort localPort, Ipv4EndPoint remote, ReadOnlySpan<byte> payload, byte timeToLive)
    {
        Span<byte> datagram = _transmitBuffer.AsSpan(TransportOffset);
        payload.CopyTo(datagram[UdpDatagram.HeaderLength..]);
        Ipv4Address source = Address?.Address ?? Ipv4Address.Any;
        int length = UdpDatagram.WriteHeader(datagram, localPort, remote.Port, payload.Length, source, remote.Address);
        if (!SendIpv4(remote.Address, IpProtocol.Udp, length, timeToLive))
            return false;
        Counters.UdpDatagramsSent++;
        return true;
    }
}
