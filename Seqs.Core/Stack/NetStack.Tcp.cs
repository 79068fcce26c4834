using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Stack;

/// <summary>TCP as the IPv4 layer sees it: segments are parsed, verified and handed to <see cref="Tcp"/>, which sends through this stack.</summary>
public sealed partial class NetStack : ITcpSegmentSink
{
    /// <summary>The stack's TCP: connections, listeners, <see cref="TcpTable.ConnectAsync"/> and the TCP counters.</summary>
    public TcpTable Tcp { get; }

    private void OnTcp(Ipv4Packet packet, bool unicast)
    {
        if (!TcpSegment.TryParse(packet.Payload, out TcpSegment tcp, out WireRejection rejection))
        {
            Counters.CountMalformed(rejection);
            return;
        }
        if (!_transportChecksumVouched && !tcp.VerifyChecksum(packet.SourceAddress, packet.DestinationAddress))
        {
            Counters.TcpChecksumErrors++;
            return;
        }
        // RFC 1122 §4.2.3.10: a segment to a broadcast or multicast address MUST be silently discarded.
        if (!unicast || Address is not Ipv4Cidr own)
            return;
        Tcp.OnSegment(tcp, new Ipv4EndPoint(own.Address, tcp.DestinationPort), new Ipv4EndPoint(packet.SourceAddress, tcp.SourcePort), Loop.Now);
    }

    Span<byte> ITcpSegmentSink.SegmentBuffer => _transmitBuffer.AsSpan(TransportOffset, _tcpSegmentRoom);

    bool ITcpSegmentSink.HasSegmentationOffload => _tcpSegmentRoom > Mtu - Ipv4Packet.MinHeaderLength;

    bool ITcpSegmentSink.IsBackedUp => _transmitQueue.Count > 0;

    bool ITcpSegmentSink.Send(Ipv4Address destination, int length, int segmentSize) =>
        SendIpv4(destination, IpProtocol.Tcp, length, segmentSize: segmentSize);

    bool ITcpSegmentSink.TryGetSource(Ipv4Address remote, out Ipv4Address source)
    {
        source = Address?.Address ?? default;
        return Address is not null && TryGetNextHop(remote, out _, out _);
    }

    bool ITcpSegmentSink.TryGetNextHop(Ipv4Address remote, out Ipv4Address nextHop) => TryGetNextHop(remote, out nextHop, out _);

    void ITcpSegmentSink.SuspectNextHop(Ipv4Address nextHop) => _arpCache.MarkStale(nextHop, Loop.Now);
}
