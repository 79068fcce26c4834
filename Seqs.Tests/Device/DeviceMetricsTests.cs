using System.Diagnostics.Metrics;
using Seqs.Device.Tools;
using Seqs.Simulation;

namespace Seqs.Tests.Device;

/// <summary>The device's System.Diagnostics.Metrics instruments, read the way dotnet-counters reads them: through a listener.</summary>
[NonParallelizable]
public sealed class DeviceMetricsTests
{
    [Test]
    public void Instruments_ReportFramesHttpRequestsConnectionsAndDropsByReason()
    {
        using var device = new DeviceServicesOnPair();
        device.Send($"GET /api/status HTTP/1.1\r\nHost: {SimulatedPair.AddressB}\r\nConnection: close\r\n\r\n");
        // To B's MAC: an IPv4 header (10.0.0.1 to 10.0.0.2, ICMP) whose header checksum is zero, which is wrong for it.
        device.Pair.SendFromA(Convert.FromHexString("020000000002" + "020000000001" + "0800" + "450000140000400040010000" + "0a000001" + "0a000002"));
        device.Pair.Simulation.RunFor(TimeSpan.FromMilliseconds(10));
        var measurements = new List<(string Instrument, long Value, string? Tag)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == DeviceMetrics.MeterName)
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Add((instrument.Name, value, tags.Length == 0 ? null : tags[0].Value?.ToString())));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, null)));
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.That(measurements.Single(m => m is { Instrument: "seqs.frames", Tag: "received" }).Value, Is.GreaterThan(3));
        Assert.That(measurements.Single(m => m is { Instrument: "seqs.frames", Tag: "transmitted" }).Value, Is.GreaterThan(3));
        Assert.That(measurements.Single(m => m is { Instrument: "seqs.bytes", Tag: "received" }).Value, Is.GreaterThan(100));
        Assert.That(measurements.Single(m => m.Instrument == "seqs.http.requests").Value, Is.EqualTo(1));
        Assert.That(measurements.Single(m => m.Instrument == "seqs.tcp.connections").Value, Is.InRange(0, 1));
        Assert.That(measurements.Single(m => m is { Instrument: "seqs.drops", Tag: "BadChecksum" }).Value, Is.EqualTo(1), "the IPv4 header with a wrong checksum");
        Assert.That(measurements.Where(m => m.Instrument == "seqs.drops").Select(m => m.Tag), Is.Unique);
        Assert.That(measurements.Select(m => m.Instrument), Does.Contain("seqs.tcp.segments").And.Contain("seqs.nic.errors").And.Contain("seqs.tcp.resets_sent")
            .And.Contain("seqs.tcp.retransmission_timeouts").And.Contain("seqs.tcp.fast_retransmits").And.Contain("seqs.tcp.retransmitted"));
    }
}
