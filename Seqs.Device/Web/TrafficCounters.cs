namespace Seqs.Device.Web;

/// <summary>The status page's traffic figures (<c>counters</c> in <c>/api/status</c>).</summary>
public sealed class TrafficCounters
{
    public long FramesReceived { get; set; }

    public long FramesTransmitted { get; set; }

    public long BytesReceived { get; set; }

    public long BytesTransmitted { get; set; }

    /// <summary>Frames dropped as malformed, all reasons together (<c>/api/stats</c> has them by reason).</summary>
    public long Malformed { get; set; }

    /// <summary>Open TCP connections.</summary>
    public int TcpConnections { get; set; }

    public long TcpSegmentsReceived { get; set; }

    public long UdpDatagramsReceived { get; set; }

    public long IcmpEchoRepliesSent { get; set; }

    public long HttpRequests { get; set; }
}
