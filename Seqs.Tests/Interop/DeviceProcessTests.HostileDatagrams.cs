using System.Globalization;
using System.Text.RegularExpressions;

namespace Seqs.Tests.Interop;

/// <summary>
/// The device as users start it, against LAN peers that misbehave without a malformed byte (issue 16): a client that
/// closes its window and never reads, datagrams from source port 0, and pings from addresses nobody owns.
/// </summary>
public sealed partial class DeviceProcessTests
{
    /// <summary>
    /// A kernel socket with the smallest receive buffer pipelines page requests and never reads: its window closes
    /// for good. The response write gives up after the HTTP server's ResponseWriteTimeout and the connection is
    /// reset, so the client holds the device's buffers for a bounded time, and the page answers others meanwhile.
    /// </summary>
    [Test]
    [Category("Interop")]
    public void ZeroWindowHttpClient_IsResetInBoundedTime_AndThePageStillAnswers()
    {
        using var ns = NetworkNamespace.Create("ping", "curl", "tshark", "/usr/bin/python3");
        string tap = AddPersistentTap(ns);
        string pcap = Path.Combine(Path.GetTempPath(), $"{ns.Name}-zero-window.pcap");
        string script = Path.Combine(Path.GetTempPath(), $"{ns.Name}-zero-window.py");
        File.WriteAllText(script, ZeroWindowClientScript(DeviceAddress.Address.ToString(), requests: 200, patienceSeconds: 120));
        try
        {
            using BackgroundCommand device = StartDeviceOnTap(ns, tap, "--pcap", pcap);
            WaitUntilAnswering(ns, device);

            using BackgroundCommand client = ns.Start($"/usr/bin/python3 {script}");
            CommandResult page = ns.Exec($"curl -sS -m 10 -o /dev/null -w '%{{http_code}}' http://{DeviceAddress.Address}/", TimeSpan.FromSeconds(20));
            Assert.That(page.StandardOutput, Is.EqualTo("200"), "the page while the zero-window client holds its connection: " + page);

            Assert.That(client.WaitForExit(TimeSpan.FromSeconds(180)), Is.True, client.Output);
            TestContext.Out.WriteLine(client.Output);
            Assert.That(client.ExitCode, Is.Zero, "the device never reset the zero-window connection: " + client.Output);
            Assert.That(client.Output, Does.Contain("reset after"), client.Output);
            Assert.That(DeviceCounter(ns, "writeTimeouts"), Is.EqualTo(1), "the HTTP server's response write timed out once");

            Signal(device, "INT");
            AssertStoppedCleanly(device);
            CommandResult zeroWindows = HostCommand.Run("tshark",
                ["-r", pcap, "-Y", $"ip.src == {KernelSide.Address} && tcp.dstport == 80 && tcp.window_size_value == 0 && tcp.flags.reset == 0", "-T", "fields", "-e", "frame.number"],
                TimeSpan.FromSeconds(60));
            Assert.That(zeroWindows.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.Not.Empty,
                "the client advertised a zero window (in the device's capture): " + zeroWindows);
        }
        finally
        {
            File.Delete(pcap);
            File.Delete(script);
        }
    }

    /// <summary>
    /// RFC 768: a datagram from source port 0 can get no reply. Before issue 16 one such datagram threw out of the UDP
    /// socket and ended the echo and mDNS services for the rest of the run; now the stack drops and counts each, and
    /// both services answer afterwards.
    /// </summary>
    [Test]
    [Category("Interop")]
    public void SourcePortZeroDatagramsToEchoAndMdns_AreDroppedAndCounted_AndBothServicesStillAnswer()
    {
        using var ns = NetworkNamespace.Create("ping", "socat", "dig", "curl", "/usr/bin/python3");
        string tap = AddPersistentTap(ns);
        using BackgroundCommand device = StartDeviceOnTap(ns, tap, "--hostname", "seqs-hostile");
        WaitUntilAnswering(ns, device);
        Assert.That(StackOnTap.WaitFor(() => DigDevice(ns, "seqs-hostile.local") == DeviceAddress.Address.ToString(), StartPatience), Is.True,
            "the mDNS responder never claimed its name: " + device.Output);

        const int PerPort = 10;
        CommandResult sent = ns.Exec("/usr/bin/python3 -c \"import scapy.all as s; " +
            $"q = s.DNS(rd=0, qd=s.DNSQR(qname='seqs-hostile.local', qtype='A')); " +
            $"s.send([s.IP(dst='{DeviceAddress.Address}')/s.UDP(sport=0, dport=7)/b'echo me'] * {PerPort}, verbose=0); " +
            $"s.send([s.IP(dst='{DeviceAddress.Address}')/s.UDP(sport=0, dport=5353)/q] * {PerPort}, verbose=0)\"", TimeSpan.FromSeconds(60));
        Assert.That(sent.ExitCode, Is.Zero, sent.ToString());

        Assert.That(StackOnTap.WaitFor(() => DeviceCounter(ns, "udpSourcePortZero") == 2 * PerPort, TimeSpan.FromSeconds(20)), Is.True,
            $"udpSourcePortZero is {DeviceCounter(ns, "udpSourcePortZero")}, not {2 * PerPort}");
        CommandResult echo = ns.Exec($"printf 'still here' | socat -t 2 - UDP4:{DeviceAddress.Address}:7", TimeSpan.FromSeconds(20));
        Assert.That(echo.StandardOutput, Is.EqualTo("still here"), echo.ToString());
        Assert.That(DigDevice(ns, "seqs-hostile.local"), Is.EqualTo(DeviceAddress.Address.ToString()), "mDNS answers after the port-0 datagrams");

        Signal(device, "INT");
        AssertStoppedCleanly(device);
    }

    /// <summary>
    /// Echo requests from 64 addresses of the device's subnet that nobody owns, repeated: each reply needs an ARP
    /// resolution that never completes. Before issue 16 eight of them filled the ARP table for good and pushed out the
    /// gateway; now unresolved entries are capped and recycled, so the gateway (the namespace side) still reaches the
    /// device and gets its page, during the starvation and after it.
    /// </summary>
    [Test]
    [Category("Interop")]
    public void PingsFrom64UnusedAddresses_LeaveTheGatewayReachableAndThePageAnswering()
    {
        using var ns = NetworkNamespace.Create("ping", "curl", "/usr/bin/python3");
        string tap = AddPersistentTap(ns);
        using BackgroundCommand device = StartDeviceOnTap(ns, tap, "--gateway", KernelSide.Address.ToString());
        WaitUntilAnswering(ns, device);
        long arpRequestsBefore = DeviceCounter(ns, "arpRequestsSent");

        // 64 addresses .100 to .163, each with a MAC of its own; 20 rounds, one every half second.
        using BackgroundCommand starvation = ns.Start("/usr/bin/python3 -c \"import scapy.all as s, time\n" +
            "for round in range(20):\n" +
            $"    s.sendp([s.Ether(src='02:66:00:00:00:%02x' % i)/s.IP(src='10.213.10.%d' % (100 + i), dst='{DeviceAddress.Address}')/s.ICMP(id=i, seq=round) for i in range(64)], iface='{tap}', verbose=0)\n" +
            "    time.sleep(0.5)\n\"");
        Assert.That(StackOnTap.WaitFor(() => DeviceCounter(ns, "arpRequestsSent") - arpRequestsBefore >= 64, TimeSpan.FromSeconds(20)), Is.True,
            "the device never tried to resolve the 64 addresses: " + starvation.Output);

        CommandResult ping = ns.Exec($"ping -q -n -c 10 -i 0.2 -W 2 {DeviceAddress.Address}", TimeSpan.FromSeconds(30));
        Assert.That(ping.StandardOutput, Does.Contain("10 packets transmitted, 10 received"), "the gateway pinging the device during the starvation: " + ping);
        CommandResult page = ns.Exec($"curl -sS -m 10 -o /dev/null -w '%{{http_code}}' http://{DeviceAddress.Address}/", TimeSpan.FromSeconds(20));
        Assert.That(page.StandardOutput, Is.EqualTo("200"), "the page during the starvation: " + page);

        Assert.That(starvation.WaitForExit(TimeSpan.FromSeconds(60)), Is.True, starvation.Output);
        Assert.That(starvation.ExitCode, Is.Zero, starvation.Output);
        page = ns.Exec($"curl -sS -m 10 -o /dev/null -w '%{{http_code}}' http://{DeviceAddress.Address}/", TimeSpan.FromSeconds(20));
        Assert.That(page.StandardOutput, Is.EqualTo("200"), "the page after the starvation: " + page);
        TestContext.Out.WriteLine($"ARP requests sent for the unused addresses: {DeviceCounter(ns, "arpRequestsSent") - arpRequestsBefore}, unresolved: {DeviceCounter(ns, "arpUnresolved")}");

        Signal(device, "INT");
        AssertStoppedCleanly(device);
    }

    /// <summary>One counter from the device's <c>/api/stats</c>, by its JSON name.</summary>
    private static long DeviceCounter(NetworkNamespace ns, string name)
    {
        CommandResult stats = ns.Exec($"curl -sS -m 10 -H 'Authorization: Bearer {AccessToken}' http://{DeviceAddress.Address}/api/stats", TimeSpan.FromSeconds(20));
        Match counter = Regex.Match(stats.StandardOutput, $"\"{name}\":(\\d+)");
        Assert.That(counter.Success, Is.True, $"no \"{name}\" in /api/stats: {stats}");
        return long.Parse(counter.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>A query straight to the device's port 5353 (RFC 6762 §6.7 legacy unicast); the address answered, or "".</summary>
    private static string DigDevice(NetworkNamespace ns, string name) =>
        ns.Exec($"dig +short -p 5353 @{DeviceAddress.Address} {name} A +time=1 +tries=1", TimeSpan.FromSeconds(10)).StandardOutput.Trim();

    /// <summary>
    /// Sets the smallest receive buffer before connecting (so the window it offers is small and closes), pipelines
    /// <paramref name="requests"/> page requests, never reads, and reports when the device resets the connection.
    /// </summary>
    private static string ZeroWindowClientScript(string address, int requests, int patienceSeconds) => $$"""
        import socket, sys, time
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
        s.connect(("{{address}}", 80))
        # Non-blocking: once the device stops reading, a blocking send of what its window cannot take would never return.
        s.setblocking(False)
        s.send(b"GET / HTTP/1.1\r\nHost: {{address}}\r\n\r\n" * {{requests}})
        start = time.monotonic()
        while time.monotonic() - start < {{patienceSeconds}}:
            error = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if error:
                print("reset after %.1f s (errno %d)" % (time.monotonic() - start, error))
                sys.exit(0)
            time.sleep(0.2)
        print("no reset in {{patienceSeconds}} s")
        sys.exit(1)
        """;
}
