using Seqs.Wire;

namespace Seqs.Stack;

/// <summary>
/// What a <see cref="NetStack"/> did with every frame: received, sent, and each reason a frame was dropped.
/// Updated on the loop thread; reads from other threads see recent, not atomic, values.
/// </summary>
public sealed class NetStackCounters
{
    private static readonly int s_rejectionSlots = RejectionSlots();
    private readonly long[] _malformed = new long[s_rejectionSlots];

    public long FramesReceived { get; internal set; }
    public long FramesTransmitted { get; internal set; }
    public long BytesReceived { get; internal set; }
    public long BytesTransmitted { get; internal set; }

    /// <summary>Frames or packets dropped because a header failed validation; see <see cref="MalformedBy"/>.</summary>
    public long Malformed { get; internal set; }
    /// <summary>Frames addressed to another station's MAC or packets to another host's IPv4 address.</summary>
    public long NotForUs { get; internal set; }
    /// <summary>802.1Q-tagged frames: this interface is on no VLAN, so they are dropped deliberately.</summary>
    public long VlanTagged { get; internal set; }
    public long UnsupportedEtherType { get; internal set; }
    public long UnsupportedProtocol { get; internal set; }
    /// <summary>IPv4 fragments: the stack does not reassemble, so they are dropped (RFC 1122 §3.3.2 allows a limit).</summary>
    public long Fragments { get; internal set; }
    /// <summary>Packets with a source address no host may use (RFC 1122 §3.2.1.3): broadcast, multicast.</summary>
    public long BadSourceAddress { get; internal set; }
    /// <summary>Errors thrown while handling a frame; the frame was dropped and the loop went on. Should stay zero.</summary>
    public long InternalErrors { get; internal set; }

    public long ArpRequestsReceived { get; internal set; }
    public long ArpRepliesReceived { get; internal set; }
    public long ArpRequestsSent { get; internal set; }
    public long ArpRepliesSent { get; internal set; }
    /// <summary>ARP packets about other hosts that updated nothing here.</summary>
    public long ArpNotForUs { get; internal set; }
    /// <summary>ARP packets from another station claiming this interface's address (RFC 5227 §2.4).</summary>
    public long ArpAddressConflicts { get; internal set; }
    /// <summary>Packets dropped because their next hop never answered ARP or the pending queue was full.</summary>
    public long ArpUnresolved { get; internal set; }

    public long IcmpEchoRequestsReceived { get; internal set; }
    public long IcmpEchoRepliesSent { get; internal set; }
    public long IcmpErrorsReceived { get; internal set; }
    public long IcmpErrorsSent { get; internal set; }
    /// <summary>ICMP errors not sent because of the rate limit.</summary>
    public long IcmpErrorsRateLimited { get; internal set; }

    public long UdpDatagramsReceived { get; internal set; }
    public long UdpDatagramsSent { get; internal set; }
    public long UdpChecksumErrors { get; internal set; }
    public long UdpNoPort { get; internal set; }
    /// <summary>Datagrams from source port 0 (RFC 768: no reply possible), dropped before any socket sees them.</summary>
    public long UdpSourcePortZero { get; internal set; }
    /// <summary>Broadcast or multicast datagrams dropped because their socket takes only its own (<c>UdpSocket.ReceivesBroadcast</c>).</summary>
    public long UdpBroadcastRefused { get; internal set; }
    /// <summary>Datagrams dropped because the socket's receive queue was full.</summary>
    public long UdpReceiveQueueFull { get; internal set; }

    /// <summary>TCP segments with a bad checksum, dropped before TCP sees them (<see cref="Tcp.TcpCounters"/> has the rest).</summary>
    public long TcpChecksumErrors { get; internal set; }

    /// <summary>Packets with no route: off-link with no gateway configured, or no address configured.</summary>
    public long NoRoute { get; internal set; }
    /// <summary>Frames the NIC refused (back-pressure) and that were queued for a later try.</summary>
    public long TransmitDeferred { get; internal set; }
    /// <summary>Frames dropped because the NIC pushed back and the transmit queue was full.</summary>
    public long TransmitDropped { get; internal set; }

    /// <summary>Drops for one validation failure.</summary>
    public long MalformedBy(WireRejection reason) => (uint)reason < (uint)_malformed.Length ? _malformed[(int)reason] : 0;

    private static int RejectionSlots()
    {
        int max = 0;
        foreach (WireRejection reason in Enum.GetValues(typeof(WireRejection)))
            max = Math.Max(max, (int)reason);
        return max + 1;
    }

    internal void CountMalformed(WireRejection reason)
    {
        Malformed++;
        if ((uint)reason < (uint)_malformed.Length)
            _malformed[(int)reason]++;
    }
}
