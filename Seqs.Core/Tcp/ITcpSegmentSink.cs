using Seqs.Wire;

namespace Seqs.Tcp;

/// <summary>
/// What TCP needs of the IPv4 layer beneath it (the stack): a place to build a segment, a way to send it, and the
/// routes. TCP writes its header, options and checksum in place; the IPv4 and Ethernet headers go in front.
/// </summary>
internal interface ITcpSegmentSink
{
    /// <summary>
    /// Where the next segment is built, TCP header first, with room for the largest the MTU carries, or with
    /// segmentation offload for one of up to 64 KiB, which the NIC cuts into segments the MTU carries.
    /// </summary>
    Span<byte> SegmentBuffer { get; }

    /// <summary>The NIC cuts segments longer than the MTU carries itself, so <see cref="SegmentBuffer"/> holds up to 64 KiB.</summary>
    bool HasSegmentationOffload { get; }

    /// <summary>Frames are waiting for the NIC: further segments would only queue behind them.</summary>
    bool IsBackedUp { get; }

    /// <summary>
    /// Sends the first <paramref name="length"/> octets of <see cref="SegmentBuffer"/>; false when no route leads to
    /// <paramref name="destination"/>. A <paramref name="segmentSize"/> other than 0 marks a segment longer than the
    /// MTU carries, whose checksum is left undone, for the NIC to cut into segments of that many payload octets.
    /// </summary>
    bool Send(Ipv4Address destination, int length, int segmentSize = 0);

    /// <summary>The interface address a new connection to <paramref name="remote"/> sends from; false when unconfigured or without a route.</summary>
    bool TryGetSource(Ipv4Address remote, out Ipv4Address source);

    /// <summary>The neighbour that packets to <paramref name="remote"/> go through; false without a route.</summary>
    bool TryGetNextHop(Ipv4Address remote, out Ipv4Address nextHop);

    /// <summary>
    /// RFC 1122 §2.3.2.1 (higher-layer advice): retransmissions through <paramref name="nextHop"/> go unanswered,
    /// so its link-layer address may be wrong; the IP layer checks it again.
    /// </summary>
    void SuspectNextHop(Ipv4Address nextHop);
}
