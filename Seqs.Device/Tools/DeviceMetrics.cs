using System.Diagnostics.Metrics;
using Seqs.Device.Nics;
using Seqs.Device.Web;
using Seqs.Http;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Device.Tools;

/// <summary>
/// The device's counters as System.Diagnostics.Metrics instruments on the meter <see cref="MeterName"/>, which
/// <c>dotnet-counters monitor -n Seqs.Device --counters Seqs.Device</c> (or any OpenTelemetry exporter) reads:
/// frames, bytes and TCP segments by direction, drops by reason, open TCP connections, HTTP requests and NIC errors.
/// The instruments are observable: they read the components' own counters only when collected.
/// </summary>
internal sealed class DeviceMetrics : IDisposable
{
    public const string MeterName = "Seqs.Device";

    private static readonly KeyValuePair<string, object?> Received = new("direction", "received");
    private static readonly KeyValuePair<string, object?> Transmitted = new("direction", "transmitted");

    private static readonly (WireRejection Reason, KeyValuePair<string, object?> Tag)[] MalformedReasons =
        [.. Enum.GetValues<WireRejection>().Where(r => r != WireRejection.None).Select(r => (r, new KeyValuePair<string, object?>("reason", r.ToString())))];

    private readonly Meter _meter = new(MeterName);
    private readonly NetStackCounters _stack;
    private readonly TcpTable _tcp;
    private readonly HttpServerCounters _http;
    private readonly OpenedNic _nic;
    private readonly NicStatus _nicStatus = new();

    public DeviceMetrics(NetStack stack, HttpServerCounters http, OpenedNic nic)
    {
        _tcp = stack.Tcp;
        _stack = stack.Counters;
        _http = http;
        _nic = nic;
        _meter.CreateObservableCounter("seqs.frames", () => ByDirection(_stack.FramesReceived, _stack.FramesTransmitted), "{frame}", "Ethernet frames the stack received and sent");
        _meter.CreateObservableCounter("seqs.bytes", () => ByDirection(_stack.BytesReceived, _stack.BytesTransmitted), "By", "Ethernet frame bytes the stack received and sent");
        _meter.CreateObservableCounter("seqs.drops", Drops, "{frame}", "Frames and packets dropped, by reason");
        _meter.CreateObservableCounter("seqs.tcp.segments", () => ByDirection(_tcp.Counters.SegmentsReceived, _tcp.Counters.SegmentsSent), "{segment}", "TCP segments received and sent");
        _meter.CreateObservableCounter("seqs.tcp.resets_sent", () => _tcp.Counters.ResetsSent, "{segment}", "TCP resets sent");
        _meter.CreateObservableCounter("seqs.tcp.retransmission_timeouts", () => _tcp.Counters.RetransmissionTimeouts, "{timeout}", "TCP retransmission timeouts");
        _meter.CreateObservableCounter("seqs.tcp.fast_retransmits", () => _tcp.Counters.FastRetransmits, "{recovery}", "TCP loss recoveries started by duplicate ACKs or SACK");
        _meter.CreateObservableCounter("seqs.tcp.retransmitted", () => _tcp.Counters.RetransmittedOctets, "By", "TCP data octets sent more than once");
        _meter.CreateObservableUpDownCounter("seqs.tcp.connections", () => _tcp.ConnectionCount, "{connection}", "Open TCP connections");
        _meter.CreateObservableCounter("seqs.http.requests", () => _http.Requests, "{request}", "HTTP requests served");
        _meter.CreateObservableCounter("seqs.nic.errors", NicErrors, "{frame}", "Frames the NIC failed to receive or send");
    }

    public void Dispose() => _meter.Dispose();

    private static Measurement<long>[] ByDirection(long received, long transmitted) =>
        [new(received, Received), new(transmitted, Transmitted)];

    private IEnumerable<Measurement<long>> Drops()
    {
        foreach ((WireRejection reason, KeyValuePair<string, object?> tag) in MalformedReasons)
            yield return new Measurement<long>(_stack.MalformedBy(reason), tag);
        yield return Drop(_stack.NotForUs, "NotForUs");
        yield return Drop(_stack.Fragments, "Fragment");
        yield return Drop(_stack.UdpNoPort, "UdpNoPort");
        yield return Drop(_stack.UdpReceiveQueueFull, "UdpReceiveQueueFull");
        yield return Drop(_tcp.Counters.SynsDropped, "TcpSynDropped");
        yield return Drop(_stack.ArpUnresolved, "ArpUnresolved");
        yield return Drop(_stack.NoRoute, "NoRoute");
        yield return Drop(_stack.TransmitDropped, "TransmitDropped");
    }

    private static Measurement<long> Drop(long value, string reason) => new(value, new KeyValuePair<string, object?>("reason", reason));

    private Measurement<long>[] NicErrors()
    {
        _nic.ReadStatus(_nicStatus);
        return ByDirection(_nicStatus.ReceiveErrors, _nicStatus.TransmitErrors);
    }
}
