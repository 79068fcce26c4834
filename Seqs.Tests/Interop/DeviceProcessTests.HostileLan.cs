using System.Globalization;

namespace Seqs.Tests.Interop;

/// <summary>
/// The device as users start it, on a LAN with an attacker who needs no malformed byte: spoofed SYNs and piles of
/// idle connections on every service must not take the web interface down (issue 16, resource exhaustion).
/// </summary>
public sealed partial class DeviceProcessTests
{
    private static readonly int[] ClassicServicePorts = [7, 9, 19, 5001];

    /// <summary>
    /// 64 spoofed SYNs to the web port and to each test service (from random sources, so nobody ever answers the
    /// SYN,ACKs): before issue 16 they filled the 64-place table and every new SYN was dropped; now a full SYN queue
    /// or table answers with cookies, and a real client gets the page.
    /// </summary>
    [Test]
    [Category("Interop")]
    public void SpoofedSynsOnEveryPort_DoNotKeepARealClientFromTheWebPage()
    {
        using var ns = NetworkNamespace.Create("ping", "curl", "hping3");
        string tap = AddPersistentTap(ns);
        using BackgroundCommand device = StartDeviceOnTap(ns, tap);
        WaitUntilAnswering(ns, device);

        foreach (int port in (int[])[80, .. ClassicServicePorts])
        {
            CommandResult flood = ns.Exec($"hping3 -q -S -p {port} --rand-source -c 64 -i u2000 {DeviceAddress.Address} 2>&1; true", TimeSpan.FromSeconds(30));
            TestContext.Out.WriteLine(flood.StandardOutput);
        }

        CommandResult page = ns.Exec($"curl -sS -m 10 -o /dev/null -w '%{{http_code}} %{{time_total}}' http://{DeviceAddress.Address}/", TimeSpan.FromSeconds(20));
        Assert.That(page.StandardOutput, Does.StartWith("200 "), page.ToString());
        TestContext.Out.WriteLine($"the page after the spoofed SYNs: {page.StandardOutput} (status, seconds)");
        Signal(device, "INT");
        AssertStoppedCleanly(device);
    }

    /// <summary>
    /// 200 idle connections opened to each test service: each service holds only its own bound of them, so the
    /// table keeps room and the web page still answers.
    /// </summary>
    [Test]
    [Category("Interop")]
    public void IdleConnectionsPiledOnEveryService_LeaveTheWebPageAnswering()
    {
        using var ns = NetworkNamespace.Create("ping", "curl", "ss", "/usr/bin/python3");
        string tap = AddPersistentTap(ns);
        using BackgroundCommand device = StartDeviceOnTap(ns, tap);
        WaitUntilAnswering(ns, device);
        string script = Path.Combine(Path.GetTempPath(), $"{ns.Name}-idle.py");
        File.WriteAllText(script, IdleConnectionsScript(DeviceAddress.Address.ToString(), ClassicServicePorts, perPort: 200, holdSeconds: 30));
        try
        {
            using BackgroundCommand idle = ns.Start($"/usr/bin/python3 {script}");
            string established = $"ss -Htn state established dst {DeviceAddress.Address} | wc -l";
            Assert.That(StackOnTap.WaitFor(() => int.Parse(ns.Exec(established).StandardOutput.Trim(), CultureInfo.InvariantCulture) >= 48, TimeSpan.FromSeconds(20)), Is.True,
                "the services took their share: " + ns.Exec(established).StandardOutput + idle.Output);

            CommandResult page = ns.Exec($"curl -sS -m 10 -o /dev/null -w '%{{http_code}} %{{time_total}}' http://{DeviceAddress.Address}/", TimeSpan.FromSeconds(20));
            Assert.That(page.StandardOutput, Does.StartWith("200 "), page.ToString());
            TestContext.Out.WriteLine($"the page beside {ns.Exec(established).StandardOutput.Trim()} idle connections: {page.StandardOutput} (status, seconds)");
        }
        finally
        {
            File.Delete(script);
        }
        Signal(device, "INT");
        AssertStoppedCleanly(device);
    }

    /// <summary>Opens <paramref name="perPort"/> connections to each port without waiting, then holds them, sending nothing.</summary>
    private static string IdleConnectionsScript(string address, int[] ports, int perPort, int holdSeconds) => $$"""
        import socket, time
        held = []
        for port in [{{string.Join(", ", ports)}}]:
            for _ in range({{perPort}}):
                s = socket.socket()
                s.setblocking(False)
                try:
                    s.connect(("{{address}}", port))
                except BlockingIOError:
                    pass
                held.append(s)
        time.sleep({{holdSeconds}})
        """;
}
