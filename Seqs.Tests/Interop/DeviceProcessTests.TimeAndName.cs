namespace Seqs.Tests.Interop;

/// <summary>The device process with <c>--ntp</c> against chronyd and <c>--hostname</c> answered over mDNS.</summary>
public sealed partial class DeviceProcessTests
{
    [Test]
    [Category("Interop")]
    public void NtpAndHostName_SynchroniseWithChronydAndAnswerMdns()
    {
        using var ns = NetworkNamespace.Create("chronyd", "dig");
        string tap = AddPersistentTap(ns);
        string config = Path.Combine(Path.GetTempPath(), $"{ns.Name}-device-chrony.conf");
        File.WriteAllText(config, $"local stratum 8\nallow {KernelSide.Network}/{KernelSide.PrefixLength}\nbindaddress {KernelSide.Address}\ncmdport 0\npidfile /tmp/{ns.Name}-device-chronyd.pid\n");
        try
        {
            using BackgroundCommand chronyd = ns.Start($"chronyd -x -d -f {config}");
            using BackgroundCommand device = StartDeviceOnTap(ns, tap, "--ntp", KernelSide.Address.ToString(), "--hostname", "seqs-time");

            bool synchronised = StackOnTap.WaitFor(() => device.HasExited || device.Output.Contains($"Time from {KernelSide.Address}: offset", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            Assert.That(synchronised && !device.HasExited, Is.True, $"no time line: {device.Output}\nchronyd: {chronyd.Output}");
            Assert.That(StackOnTap.WaitFor(() => device.Output.Contains("mDNS: answering for seqs-time.local", StringComparison.Ordinal), StartPatience), Is.True, device.Output);

            // RFC 6762 §5.5: a query sent straight to the responder on 5353 gets a unicast answer (dig cannot take
            // replies from a multicast query, see ServicesInteropTests).
            string answer = "";
            bool answered = StackOnTap.WaitFor(() =>
            {
                answer = ns.Exec($"dig +short -p 5353 @{DeviceAddress.Address} seqs-time.local A +time=1 +tries=1", TimeSpan.FromSeconds(10)).StandardOutput.Trim();
                return answer == DeviceAddress.Address.ToString();
            }, TimeSpan.FromSeconds(20));
            Assert.That(answered, Is.True, $"dig answered '{answer}'; device: {device.Output}");

            Signal(device, "INT");
            AssertStoppedCleanly(device);
        }
        finally
        {
            File.Delete(config);
        }
    }
}
