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

    /// <summary>
    /// The device on its TAP fast path (the default) moves TCP in segments larger than the MTU both ways: the kernel's
    /// counters on the TAP show writes averaging more than a standard frame in each direction while iperf runs. Then a
    /// device with <c>--tap-offload false</c> on the same persistent TAP, which the first left with its offloads on,
    /// runs the same in standard frames.
    /// </summary>
    [Test]
    [Category("Interop")]
    public void IperfBothWays_OverTheTapOffloads_MovesSegmentsLargerThanTheMtu_AndWithoutThemStandardFrames()
    {
        using var ns = NetworkNamespace.Create("iperf");
        string tap = AddPersistentTap(ns);
        const int StandardFrame = 1514;

        (double deviceWrites, double kernelWrites) = IperfBothWays(ns, tap, "true");
        Assert.That(deviceWrites, Is.GreaterThan(StandardFrame), "the device's writes into the TAP: large segments the kernel cuts up (TSO)");
        Assert.That(kernelWrites, Is.GreaterThan(StandardFrame), "the kernel's writes to the device: large segments (receive offload)");

        (deviceWrites, kernelWrites) = IperfBothWays(ns, tap, "false");
        Assert.That(deviceWrites, Is.LessThanOrEqualTo(StandardFrame));
        Assert.That(kernelWrites, Is.LessThanOrEqualTo(StandardFrame));
    }

    /// <summary>
    /// Starts the device with <c>--tap-offload <paramref name="offload"/></c>, runs <c>iperf -c -R</c> (the device
    /// sends) and <c>iperf -c</c> (it receives), stops it, and gives the octets per write into the TAP each way.
    /// </summary>
    private static (double DeviceWrites, double KernelWrites) IperfBothWays(NetworkNamespace ns, string tap, string offload)
    {
        using BackgroundCommand device = StartDeviceOnTap(ns, tap, "--tap-offload", offload);
        WaitUntilAnswering(ns, device);

        (long packets, long octets) before = TapCounters(ns, tap, "rx");
        CommandResult sending = ns.Exec($"iperf -c {DeviceAddress.Address} -t 2 -R", TimeSpan.FromSeconds(30));
        (long packets, long octets) after = TapCounters(ns, tap, "rx");
        Assert.That(sending.ExitCode, Is.Zero, sending + "\n" + device.Output);
        Assert.That(IperfRate().IsMatch(sending.StandardOutput), Is.True, sending + "\n" + device.Output);
        double deviceWrites = (double)(after.octets - before.octets) / (after.packets - before.packets);

        before = TapCounters(ns, tap, "tx");
        CommandResult receiving = ns.Exec($"iperf -c {DeviceAddress.Address} -t 2", TimeSpan.FromSeconds(30));
        after = TapCounters(ns, tap, "tx");
        Assert.That(receiving.ExitCode, Is.Zero, receiving + "\n" + device.Output);
        Assert.That(IperfRate().IsMatch(receiving.StandardOutput), Is.True, receiving + "\n" + device.Output);
        double kernelWrites = (double)(after.octets - before.octets) / (after.packets - before.packets);

        TestContext.Out.WriteLine($"--tap-offload {offload}: the device wrote {deviceWrites:F0} octets a packet, the kernel {kernelWrites:F0}");
        Signal(device, "INT");
        AssertStoppedCleanly(device);
        return (deviceWrites, kernelWrites);
    }

    /// <summary>The kernel's packet and octet counters of <paramref name="tap"/> in direction <paramref name="direction"/> (rx: what the device wrote).</summary>
    private static (long Packets, long Octets) TapCounters(NetworkNamespace ns, string tap, string direction)
    {
        CommandResult read = ns.ExecChecked($"cat /sys/class/net/{tap}/statistics/{direction}_packets /sys/class/net/{tap}/statistics/{direction}_bytes");
        string[] values = read.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(values[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(values[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"sec\s+[\d.]+ \w?Bytes\s+(?<rate>[\d.]+) (?<unit>\w?bits/sec)")]
    private static partial Regex IperfRate();
}
