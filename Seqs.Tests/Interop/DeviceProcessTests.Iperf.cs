using System.Text.RegularExpressions;

namespace Seqs.Tests.Interop;

/// <summary>The device's iperf 2 server against Debian's <c>iperf -c</c>, both directions, over a TAP.</summary>
public sealed partial class DeviceProcessTests
{
    [TestCase("")]
    [TestCase("-R")]
    [Category("Interop")]
    public void IperfClient_MeasuresThroughputAgainstTheDevice(string direction)
    {
        using var ns = NetworkNamespace.Create("iperf", "ping");
        string tap = AddPersistentTap(ns);
        using BackgroundCommand device = StartDeviceOnTap(ns, tap);
        WaitUntilAnswering(ns, device);

        CommandResult iperf = ns.Exec($"iperf -c {DeviceAddress.Address} -t 2 {direction}", TimeSpan.FromSeconds(30));

        Assert.That(iperf.ExitCode, Is.Zero, iperf + "\n" + device.Output);
        Match rate = IperfRate().Match(iperf.StandardOutput);
        Assert.That(rate.Success, Is.True, iperf + "\n" + device.Output);
        TestContext.Out.WriteLine($"iperf -c {direction}: {rate.Value}");
        Assert.That(double.Parse(rate.Groups["rate"].Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), iperf.ToString());
        bool logged = StackOnTap.WaitFor(() => device.Output.Contains(direction == "-R" ? "iperf: sent " : "iperf: received ", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.That(logged, Is.True, device.Output);

        Signal(device, "INT");
        AssertStoppedCleanly(device);
    }

    [GeneratedRegex(@"sec\s+[\d.]+ \w?Bytes\s+(?<rate>[\d.]+) (?<unit>\w?bits/sec)")]
    private static partial Regex IperfRate();
}
