using System.Globalization;

namespace Seqs.Tests.Interop;

/// <summary>The test services' TCP buffers (<c>--services-buffer</c>, 256 KiB on a TAP by default) against the kernel's TCP.</summary>
public sealed partial class DeviceProcessTests
{
    /// <summary>
    /// The device's discard service on a TAP, as the README starts it, takes 8 MB from socat: its SYN,ACK offers a
    /// window scale (RFC 7323 §2), it advertises windows far above 64 KiB, and the kernel has more than 16 KiB in
    /// flight (tshark's analysis of the device's own capture). With <c>--services-buffer 16K</c>, the stack's default
    /// before, the kernel never has more than 16 KiB in flight.
    /// </summary>
    [Test]
    [Category("Interop")]
    public void DiscardOnTap_AdvertisesAScaledWindowOf256KiB_AndWithServicesBuffer16K_HoldsTheSenderTo16KiB()
    {
        using var ns = NetworkNamespace.Create("socat", "tshark");
        string tap = AddPersistentTap(ns);

        DiscardWindows large = DiscardWindowsOf(ns, tap);
        Assert.That(large.OfferedShift, Is.GreaterThanOrEqualTo(2), "a 256 KiB window needs a shift of 2 or more");
        Assert.That(large.LargestWindow, Is.GreaterThan(64 * 1024).And.LessThanOrEqualTo(256 * 1024));
        Assert.That(large.LargestInFlight, Is.GreaterThan(16 * 1024));

        DiscardWindows small = DiscardWindowsOf(ns, tap, "--services-buffer", "16K");
        Assert.That(small.LargestWindow, Is.LessThanOrEqualTo(16 * 1024));
        Assert.That(small.LargestInFlight, Is.LessThanOrEqualTo(16 * 1024));
    }

    private sealed record DiscardWindows(int OfferedShift, long LargestWindow, long LargestInFlight);

    /// <summary>Starts the device with <paramref name="extra"/>, sends 8 MB into discard, and reads the windows from the device's capture.</summary>
    private static DiscardWindows DiscardWindowsOf(NetworkNamespace ns, string tap, params string[] extra)
    {
        string pcap = Path.Combine(Path.GetTempPath(), $"{ns.Name}-{tap}-discard.pcap");
        try
        {
            using (BackgroundCommand device = StartDeviceOnTap(ns, tap, ["--services", "discard", "--pcap", pcap, .. extra]))
            {
                WaitUntilAnswering(ns, device);
                CommandResult sent = ns.Exec($"sh -c 'head -c 8000000 /dev/zero | socat -u - TCP4:{DeviceAddress.Address}:9'", TimeSpan.FromSeconds(60));
                Assert.That(sent.ExitCode, Is.Zero, sent + "\n" + device.Output);
                Signal(device, "INT");
                AssertStoppedCleanly(device);
            }
            string device9 = $"ip.src == {DeviceAddress.Address} && tcp.srcport == 9";
            string[] synAck = Fields(pcap, $"{device9} && tcp.flags.syn == 1 && tcp.flags.ack == 1", "tcp.options.wscale.shift");
            Assert.That(synAck, Has.Length.EqualTo(1), "one SYN,ACK from discard");
            long[] windows = [.. Fields(pcap, $"{device9} && tcp.flags.syn == 0", "tcp.window_size").Select(value => long.Parse(value, CultureInfo.InvariantCulture))];
            long[] inFlight = [.. Fields(pcap, $"ip.dst == {DeviceAddress.Address} && tcp.dstport == 9 && tcp.len > 0", "tcp.analysis.bytes_in_flight").Select(value => long.Parse(value, CultureInfo.InvariantCulture))];
            Assert.That(windows, Is.Not.Empty);
            Assert.That(inFlight, Is.Not.Empty);
            var found = new DiscardWindows(int.Parse(synAck[0], CultureInfo.InvariantCulture), windows.Max(), inFlight.Max());
            TestContext.Out.WriteLine($"{string.Join(' ', extra)}: {found}");
            return found;
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    /// <summary>The values of <paramref name="field"/> in the frames of <paramref name="pcap"/> that match <paramref name="filter"/>, empty ones left out.</summary>
    private static string[] Fields(string pcap, string filter, string field)
    {
        CommandResult read = HostCommand.Run("tshark", ["-r", pcap, "-Y", filter, "-T", "fields", "-e", field], TimeSpan.FromSeconds(120));
        Assert.That(read.ExitCode, Is.Zero, read.ToString());
        return read.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
