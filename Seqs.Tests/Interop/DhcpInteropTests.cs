using System.Text.RegularExpressions;
using Seqs.Dhcp;
using Seqs.Wire;

namespace Seqs.Tests.Interop;

/// <summary>
/// The DHCP client against dnsmasq, and the DHCP server against busybox udhcpc and ISC dhclient, each in a network
/// namespace of its own over TAP.
/// </summary>
[TestFixture]
[Category("Interop")]
[NonParallelizable]
public sealed partial class DhcpInteropTests
{
    private static readonly Ipv4Cidr KernelSide = new(new Ipv4Address(10, 213, 10, 1), 24);
    private static readonly Ipv4Cidr ServerSide = new(new Ipv4Address(10, 213, 10, 2), 24);

    [Test]
    public void Client_GetsALeaseFromDnsmasq_RenewsIt_AndDnsmasqRecordsIt()
    {
        using var ns = NetworkNamespace.Create("dnsmasq");
        using var device = new DhcpStackOnTap(ns, KernelSide);
        string leaseFile = Path.Combine(Path.GetTempPath(), $"{ns.Name}.leases");
        try
        {
            // dnsmasq's shortest lease is 2 minutes; T1 and T2 (options 58, 59) make it renew within seconds.
            BackgroundCommand dnsmasq = ns.Start(
                $"dnsmasq --no-daemon --conf-file=/dev/null --port=0 --no-ping --bind-interfaces --interface={device.Tap.Name} " +
                $"--dhcp-range=10.213.10.100,10.213.10.150,255.255.255.0,2m --dhcp-option=option:T1,4 --dhcp-option=option:T2,100 " +
                $"--dhcp-option=option:router,10.213.10.1 --dhcp-option=option:dns-server,10.213.10.1 --dhcp-leasefile={leaseFile} --log-dhcp");
            var client = new DhcpClient(device.Stack, new DhcpClientOptions { HostName = "seqs-interop", MinStartDelay = TimeSpan.Zero, MaxStartDelay = TimeSpan.FromMilliseconds(100), RandomSeed = 1 });
            device.Start();
            client.Start();

            bool renewed = WaitFor(() => client.Counters.Renewals >= 1, TimeSpan.FromSeconds(45));

            string leases = File.Exists(leaseFile) ? File.ReadAllText(leaseFile) : "";
            Assert.That(renewed, Is.True, $"state {client.State}, counters sent {client.Counters.MessagesSent} received {client.Counters.MessagesReceived}\n{dnsmasq.Output}");
            Ipv4Cidr address = device.Stack.Address!.Value;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(address.PrefixLength, Is.EqualTo(24));
                Assert.That(address.Address.Value, Is.InRange(new Ipv4Address(10, 213, 10, 100).Value, new Ipv4Address(10, 213, 10, 150).Value));
                Assert.That(device.Stack.Gateway, Is.EqualTo(KernelSide.Address));
                Assert.That(leases, Does.Contain($"{device.Stack.MacAddress} {address.Address} seqs-interop"), leases);
                Assert.That(dnsmasq.Output, Does.Contain($"DHCPACK({device.Tap.Name}) {address.Address}"), dnsmasq.Output);
            }
            device.OnLoop(() => client.Dispose());
        }
        finally
        {
            File.Delete(leaseFile);
        }
    }

    [Test]
    public void Server_LeasesToUdhcpc_AndRenewsIt()
    {
        using var ns = NetworkNamespace.Create("udhcpc");
        using var device = new DhcpStackOnTap(ns, KernelSide, ServerSide);
        string script = WriteScript(ns.Name, "echo \"EVENT $1 $ip\"; [ \"$1\" = bound ] || [ \"$1\" = renew ] && ip addr replace $ip/24 dev $interface; exit 0");
        try
        {
            using var server = StartServer(device);

            BackgroundCommand udhcpc = ns.Start($"udhcpc -f -i {device.Tap.Name} -s {script} -t 5 -T 2 -x hostname:udhcpc-peer");
            bool renewed = WaitFor(() => RenewedEvents().Matches(udhcpc.Output).Count >= 1, TimeSpan.FromSeconds(45));

            Assert.That(renewed, Is.True, udhcpc.Output);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(udhcpc.Output, Does.Contain("EVENT bound 10.213.10.100"), udhcpc.Output);
                Assert.That(udhcpc.Output, Does.Contain("EVENT renew 10.213.10.100"), udhcpc.Output);
                Assert.That(server.Counters.Acks, Is.GreaterThanOrEqualTo(2));
                Assert.That(server.Counters.Malformed, Is.Zero);
            }
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Test]
    public void Server_LeasesToDhclient_AndRenewsIt()
    {
        using var ns = NetworkNamespace.Create("dhclient");
        using var device = new DhcpStackOnTap(ns, KernelSide, ServerSide);
        string script = WriteScript(ns.Name, "echo \"EVENT $reason $new_ip_address\"; case $reason in BOUND|RENEW|REBIND) ip addr replace $new_ip_address/24 dev $interface;; esac; exit 0");
        string leaseFile = Path.Combine(Path.GetTempPath(), $"{ns.Name}.dhclient.leases");
        string pidFile = Path.Combine(Path.GetTempPath(), $"{ns.Name}.dhclient.pid");
        try
        {
            using var server = StartServer(device);

            BackgroundCommand dhclient = ns.Start($"dhclient -d -v -sf {script} -lf {leaseFile} -pf {pidFile} {device.Tap.Name}");
            bool renewed = WaitFor(() => dhclient.Output.Contains("EVENT RENEW 10.213.10.100", StringComparison.Ordinal), TimeSpan.FromSeconds(45));

            Assert.That(renewed, Is.True, dhclient.Output);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(dhclient.Output, Does.Contain("EVENT BOUND 10.213.10.100"), dhclient.Output);
                Assert.That(server.Counters.Acks, Is.GreaterThanOrEqualTo(2));
                Assert.That(server.Counters.Malformed, Is.Zero);
            }
        }
        finally
        {
            File.Delete(script);
            File.Delete(leaseFile);
            File.Delete(pidFile);
        }
    }

    private static DhcpServer StartServer(DhcpStackOnTap device)
    {
        var server = new DhcpServer(device.Stack, new DhcpServerOptions
        {
            PoolStart = new Ipv4Address(10, 213, 10, 100),
            PoolEnd = new Ipv4Address(10, 213, 10, 110),
            LeaseTime = TimeSpan.FromSeconds(12),
            Router = ServerSide.Address,
            DnsServers = [ServerSide.Address],
            DomainName = "seqs.test",
        });
        _ = server.RunAsync(device.Stopping);
        device.Start();
        return server;
    }

    private static string WriteScript(string name, string body)
    {
        string path = Path.Combine(Path.GetTempPath(), $"{name}.dhcp-script.sh");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > end)
                return false;
            Thread.Sleep(50);
        }
        return true;
    }

    [GeneratedRegex("EVENT renew ")]
    private static partial Regex RenewedEvents();
}
