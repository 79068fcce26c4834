using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Seqs.Wire;

namespace Seqs.Tests.Interop;

/// <summary>
/// The device process with <c>--dhcp</c> against dnsmasq, with <c>--dhcp-server</c> against busybox udhcpc, and as
/// the ENC28J60 driver on the chip's emulator wired to a TAP (issue 7's "full stack over the emulated chip").
/// </summary>
public sealed partial class DeviceProcessTests
{
    private const string HostName = "seqs-cli";
    private static readonly TimeSpan LeasePatience = TimeSpan.FromSeconds(20);

    [TestCase("--nic tap")]
    [TestCase("--nic enc28j60 --chip-emulator")]
    [TestCase("--nic cyw43 --chip-emulator")]
    [Category("Interop")]
    public void DhcpDevice_LeasesFromDnsmasq_AnswersPingOnTheLease_RenewsIt_AndReleasesItOnSigint(string nic)
    {
        using var ns = NetworkNamespace.Create("dnsmasq", "ping");
        string tap = AddPersistentTap(ns);
        string leaseFile = Path.Combine(Path.GetTempPath(), $"{ns.Name}.dnsmasq.leases");
        try
        {
            // dnsmasq's shortest lease is 2 minutes; T1 (option 58) of 3 s makes the device renew right after binding.
            BackgroundCommand dnsmasq = ns.Start(
                $"dnsmasq --no-daemon --conf-file=/dev/null --port=0 --no-ping --bind-interfaces --interface={tap} " +
                $"--dhcp-range=10.213.10.100,10.213.10.150,255.255.255.0,2m --dhcp-option=option:T1,3 --dhcp-option=option:T2,100 " +
                $"--dhcp-option=option:router,{KernelSide.Address} --dhcp-option=option:dns-server,{KernelSide.Address} --dhcp-leasefile={leaseFile} --log-dhcp");
            using BackgroundCommand device = StartDevice(["ip", "netns", "exec", ns.Name],
                [.. nic.Split(' '), "--tap-name", tap, "--dhcp", "--hostname", HostName, "--mac", DeviceMac.ToString()]);

            Match lease = null!;
            bool leased = StackOnTap.WaitFor(() => device.HasExited || (lease = LeaseLogged().Match(device.Output)).Success, LeasePatience);
            Assert.That(leased && !device.HasExited, Is.True, $"no lease logged: {device.Output}\n{dnsmasq.Output}");
            string address = lease.Groups["address"].Value;
            Assert.That(lease.Value, Does.Contain($"from {KernelSide.Address}: router {KernelSide.Address}, DNS {KernelSide.Address}, domain none, lease 120 s"), lease.Value);

            CommandResult ping = ns.Exec($"ping -q -n -c 10 -i 0.01 -W 2 {address}", TimeSpan.FromSeconds(20));
            Assert.That(ping.StandardOutput, Does.Contain("10 packets transmitted, 10 received, 0% packet loss"), ping.ToString());
            Assert.That(File.ReadAllText(leaseFile), Does.Contain($"{DeviceMac} {address} {HostName}"));
            bool renewed = StackOnTap.WaitFor(() => device.Output.Contains($"DHCP lease {address}/24 renewed by {KernelSide.Address}: lease 120 s", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.That(renewed, Is.True, device.Output);

            Signal(device, "INT");

            AssertStoppedCleanly(device);
            Assert.That(device.Output, Does.Contain($"DHCP lease {address}/24 released to {KernelSide.Address}"), device.Output);
            bool released = StackOnTap.WaitFor(() => dnsmasq.Output.Contains($"DHCPRELEASE({tap}) {address}", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
            Assert.That(released, Is.True, dnsmasq.Output);
            Assert.That(StackOnTap.WaitFor(() => !File.ReadAllText(leaseFile).Contains(address, StringComparison.Ordinal), TimeSpan.FromSeconds(5)), Is.True,
                "dnsmasq drops a released lease from its file: " + File.ReadAllText(leaseFile));
        }
        finally
        {
            File.Delete(leaseFile);
        }
    }

    [Test]
    [Category("Interop")]
    public void DhcpServerDevice_LeasesAnAddressFromItsPoolToUdhcpc_AndRecordsItInTheLeaseFile()
    {
        using var ns = NetworkNamespace.Create("udhcpc");
        string tap = AddPersistentTap(ns);
        string leaseFile = Path.Combine(Path.GetTempPath(), $"{ns.Name}.seqs.leases");
        try
        {
            using BackgroundCommand device = StartDeviceOnTap(ns, tap, "--dhcp-server", "10.213.10.100-10.213.10.110", "--dhcp-leases", leaseFile);
            bool serving = StackOnTap.WaitFor(() => device.HasExited || device.Output.Contains("Running on TAP", StringComparison.Ordinal), StartPatience);
            Assert.That(serving && !device.HasExited, Is.True, device.Output);

            // -q: quit once bound; -n: fail rather than retry forever. The script is a no-op: the kernel keeps its address.
            CommandResult udhcpc = ns.Exec($"udhcpc -f -q -n -i {tap} -s /bin/true -t 5 -T 2 -x hostname:udhcpc-peer", TimeSpan.FromSeconds(30));

            Assert.That(udhcpc.ExitCode, Is.Zero, udhcpc + "\n" + device.Output);
            Assert.That(udhcpc.ToString(), Does.Contain("lease of 10.213.10.100 obtained"), udhcpc.ToString());
            string kernelMac = ns.KernelMacAddress(tap).ToString();
            Assert.That(device.Output, Does.Contain($"DHCP server: pool 10.213.10.100-10.213.10.110, router and DNS {DeviceAddress.Address}"), device.Output);
            Assert.That(device.Output, Does.Contain($"DHCP lease 10.213.10.100 to {kernelMac}"), device.Output);
            // The lease is written within a second of the ACK, off the device's loop.
            Assert.That(StackOnTap.WaitFor(() => File.Exists(leaseFile) && File.ReadAllText(leaseFile).Contains($"10.213.10.100 {kernelMac}", StringComparison.Ordinal), LeasePatience),
                Is.True, device.Output);

            Signal(device, "TERM");

            AssertStoppedCleanly(device);
        }
        finally
        {
            File.Delete(leaseFile);
        }
    }

    [Test]
    [Category("Interop")]
    public void EmulatedEnc28j60Device_OnATap_AnswersPingUdpEchoAndTcpEchoOfFourMebibytes()
    {
        using var ns = NetworkNamespace.Create("ping", "socat");
        string tap = AddPersistentTap(ns);
        using BackgroundCommand device = StartDevice(["ip", "netns", "exec", ns.Name],
            ["--nic", "enc28j60", "--chip-emulator", "--tap-name", tap, "--ip", DeviceAddress.ToString(), "--mac", DeviceMac.ToString()]);
        WaitUntilAnswering(ns, device);

        CommandResult ping = ns.Exec($"ping -q -n -c 50 -i 0.01 -W 2 {DeviceAddress.Address}", TimeSpan.FromSeconds(30));
        Assert.That(ping.StandardOutput, Does.Contain("50 packets transmitted, 50 received, 0% packet loss"), ping.ToString());

        CommandResult udp = ns.Exec($"printf 'hello chip' | socat -t 2 - UDP4:{DeviceAddress.Address}:7", TimeSpan.FromSeconds(20));
        Assert.That(udp.StandardOutput, Is.EqualTo("hello chip"), udp.ToString());

        AssertTcpEchoOfFourMebibytes(ns);

        Signal(device, "INT");

        AssertStoppedCleanly(device);
        Assert.That(device.Output, Does.Contain($"Running on an emulated ENC28J60 wired to TAP {tap} as {DeviceMac} {DeviceAddress}"), device.Output);
        Assert.That(device.Output, Does.Contain("ENC28J60 rev 06h"), device.Output);
    }

    /// <summary>socat sends 4 MiB of random bytes to the device's TCP echo (port 7) from inside <paramref name="ns"/>; the echo must match by SHA-256.</summary>
    private static void AssertTcpEchoOfFourMebibytes(NetworkNamespace ns)
    {
        string input = Path.Combine(Path.GetTempPath(), $"{ns.Name}.in");
        string output = Path.Combine(Path.GetTempPath(), $"{ns.Name}.out");
        try
        {
            File.WriteAllBytes(input, RandomNumberGenerator.GetBytes(4 << 20));
            CommandResult tcp = ns.Exec($"socat -t 30 - TCP4:{DeviceAddress.Address}:7 < {input} > {output}", TimeSpan.FromSeconds(90));
            Assert.That(tcp.ExitCode, Is.Zero, tcp.ToString());
            Assert.That(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(output))), Is.EqualTo(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(input)))),
                $"{new FileInfo(output).Length} of {4 << 20} bytes echoed");
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    [GeneratedRegex(@"DHCP lease (?<address>[\d.]+)/24 from [^\n]*")]
    private static partial Regex LeaseLogged();
}
