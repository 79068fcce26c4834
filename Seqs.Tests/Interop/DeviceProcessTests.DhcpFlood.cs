using System.Text.RegularExpressions;

namespace Seqs.Tests.Interop;

/// <summary>
/// The device as DHCP server under a flood of forged clients (issue 16 item 4). Before the fix, DISCOVERs with random
/// client identifiers held every address of the pool for a minute without a lease made, and every renewal of a
/// client in a loop rewrote and fsynced the lease file on the loop thread.
/// </summary>
public sealed partial class DeviceProcessTests
{
    /// <summary>
    /// scapy, from one forged host on the namespace's side of the TAP, sends 300 DHCPDISCOVERs and 300 DHCPREQUESTs
    /// with random client identifiers, and 100 DISCOVERs with random hardware addresses too; busybox udhcpc then
    /// still gets a lease. scapy then renews udhcpc's lease 200 times in a row, as a client in a loop would; inotify
    /// counts the renames onto the lease file: one for the one binding.
    /// </summary>
    [Test]
    [Category("Interop")]
    public void DhcpServerDevice_UnderARandomClientIdentifierFlood_StillLeasesToUdhcpc_AndWritesTheLeaseFileOncePerBinding()
    {
        using var ns = NetworkNamespace.Create("udhcpc", "inotifywait", "/usr/bin/python3");
        string tap = AddPersistentTap(ns);
        string leaseDirectory = Path.Combine(Path.GetTempPath(), $"{ns.Name}-leases");
        string leaseFile = Path.Combine(leaseDirectory, "dhcp.leases");
        Directory.CreateDirectory(leaseDirectory);
        try
        {
            using BackgroundCommand renames = BackgroundCommand.Start("inotifywait", ["-m", "-e", "moved_to", "--format", "%f", leaseDirectory]);
            Assert.That(StackOnTap.WaitFor(() => renames.Output.Contains("Watches established", StringComparison.Ordinal), StartPatience), Is.True, renames.Output);
            using BackgroundCommand device = StartDeviceOnTap(ns, tap, "--dhcp-server", "10.213.10.100-10.213.10.110", "--dhcp-leases", leaseFile);
            bool serving = StackOnTap.WaitFor(() => device.HasExited || device.Output.Contains("Running on TAP", StringComparison.Ordinal), StartPatience);
            Assert.That(serving && !device.HasExited, Is.True, device.Output);

            CommandResult flood = ns.Exec("/usr/bin/python3 -c \"" + FloodScript(tap) + "\"", TimeSpan.FromSeconds(120));
            Assert.That(flood.ExitCode, Is.Zero, flood.ToString());

            // The flood took the shared new-client tokens; udhcpc's DISCOVER, sent every 2 s, is answered once one refills.
            CommandResult udhcpc = ns.Exec($"udhcpc -f -q -n -i {tap} -s /bin/true -t 10 -T 2", TimeSpan.FromSeconds(60));
            Assert.That(udhcpc.ExitCode, Is.Zero, udhcpc + "\n" + device.Output);
            Match obtained = Regex.Match(udhcpc.ToString(), @"lease of (10\.213\.10\.\d+) obtained");
            Assert.That(obtained.Success, Is.True, udhcpc.ToString());
            string address = obtained.Groups[1].Value;
            string kernelMac = ns.KernelMacAddress(tap).ToString();
            long refused = DeviceCounter(ns, "newClientsRefused"), offers = DeviceCounter(ns, "offers");
            TestContext.Out.WriteLine($"/api/stats after the flood and udhcpc: {refused} new clients refused, {offers} offers, {DeviceCounter(ns, "acks")} acknowledgments");
            Assert.That(refused, Is.GreaterThan(0), "the refusals are counted where the owner sees them");
            Assert.That(offers, Is.LessThan(700), "not every forged DISCOVER got an offer");

            CommandResult renewals = ns.Exec("/usr/bin/python3 -c \"" + RenewalLoopScript(tap, kernelMac, address) + "\"", TimeSpan.FromSeconds(120));
            Assert.That(renewals.ExitCode, Is.Zero, renewals.ToString());
            Assert.That(StackOnTap.WaitFor(() => File.Exists(leaseFile) && File.ReadAllText(leaseFile).Contains($"{address} {kernelMac}", StringComparison.Ordinal), LeasePatience),
                Is.True, device.Output);
            Signal(device, "TERM");
            AssertStoppedCleanly(device);

            // inotify reports in order: once a file moved in after the device stopped is reported, every write of
            // the device, including the one it makes when it stops, has been.
            string sentinel = Path.Combine(Path.GetTempPath(), $"{ns.Name}-sentinel");
            File.WriteAllText(sentinel, "");
            File.Move(sentinel, Path.Combine(leaseDirectory, "sentinel"));
            Assert.That(StackOnTap.WaitFor(() => renames.Output.Contains("sentinel", StringComparison.Ordinal), LeasePatience), Is.True, renames.Output);
            int writes = renames.Output.Split('\n').Count(line => line.Trim() == "dhcp.leases");
            TestContext.Out.WriteLine($"lease file writes for one binding, 200 renewals and a stop, after the flood: {writes}");
            Assert.That(writes, Is.EqualTo(1), renames.Output);
        }
        finally
        {
            Directory.Delete(leaseDirectory, recursive: true);
        }
    }

    /// <summary>One forged host (02:66:…) with a new client identifier in every message; then 100 forged hosts.</summary>
    private static string FloodScript(string tap) => $"""
        import os, random, scapy.all as s
        random.seed(16)
        attacker = '02:66:00:00:00:01'
        def message(kind, chaddr, options):
            cid = b'\x01' + os.urandom(6)
            return (s.Ether(src=attacker, dst='ff:ff:ff:ff:ff:ff') / s.IP(src='0.0.0.0', dst='255.255.255.255') / s.UDP(sport=68, dport=67)
                / s.BOOTP(chaddr=s.mac2str(chaddr), xid=random.getrandbits(32)) / s.DHCP(options=[('message-type', kind), ('client_id', cid)] + options + ['end']))
        frames = []
        for i in range(300):
            frames.append(message('discover', attacker, []))
            frames.append(message('request', attacker, [('server_id', '{DeviceAddress.Address}'), ('requested_addr', '10.213.10.%d' % random.randint(100, 110))]))
        for i in range(100):
            frames.append(message('discover', '02:67:00:00:%02x:%02x' % (i // 256, i % 256), []))
        s.sendp(frames, iface='{tap}', verbose=0, inter=0.002)
        """;

    /// <summary>200 RENEWING requests (RFC 2131 §4.3.2: 'ciaddr' set, unicast) from udhcpc's identity, back to back.</summary>
    private static string RenewalLoopScript(string tap, string kernelMac, string address) => $"""
        import scapy.all as s
        frames = [s.Ether(src='{kernelMac}', dst='{DeviceMac}') / s.IP(src='{address}', dst='{DeviceAddress.Address}') / s.UDP(sport=68, dport=67)
            / s.BOOTP(chaddr=s.mac2str('{kernelMac}'), ciaddr='{address}', xid=1000 + i) / s.DHCP(options=[('message-type', 'request'), ('client_id', b'\x01' + s.mac2str('{kernelMac}')), 'end'])
            for i in range(200)]
        s.sendp(frames, iface='{tap}', verbose=0, inter=0.005)
        """;
}
