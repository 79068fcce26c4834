using System.Globalization;
using Seqs.Dns;
using Seqs.Mdns;
using Seqs.Ntp;
using Seqs.Wire;

namespace Seqs.Tests.Interop;

/// <summary>
/// The DNS client against dnsmasq, the NTP client against chronyd, and the mDNS responder queried by dig, each
/// in a network namespace of its own with the stack on a TAP.
/// </summary>
[TestFixture]
[Category("Interop")]
[NonParallelizable]
public sealed class ServicesInteropTests
{
    private static readonly Ipv4Cidr KernelSide = new(new Ipv4Address(10, 213, 11, 1), 24);
    private static readonly Ipv4Address StackAddress = new(10, 213, 11, 2);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Test]
    public void DnsResolver_AgainstDnsmasq_ResolvesHostsFileNamesAndCnames_AndReportsNxdomain()
    {
        using var ns = NetworkNamespace.Create("dnsmasq", "dig");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        string hosts = Path.Combine(Path.GetTempPath(), $"{ns.Name}-hosts");
        File.WriteAllText(hosts, "10.1.2.3 alpha.seqs.test\n10.1.2.4 alpha.seqs.test\n10.1.2.5 beta.seqs.test\n");
        try
        {
            BackgroundCommand dnsmasq = ns.Start(
                $"dnsmasq --keep-in-foreground --conf-file=/dev/null --pid-file= --user=root --port=53 --listen-address={KernelSide.Address} " +
                $"--bind-interfaces --no-resolv --no-hosts --addn-hosts={hosts} --local=/seqs.test/ --cname=www.seqs.test,alpha.seqs.test " +
                "--cname=deep.seqs.test,www.seqs.test --log-queries --log-facility=-");
            Assert.That(StackOnTap.WaitFor(() => ns.Exec($"dig +short +time=1 +tries=1 @{KernelSide.Address} beta.seqs.test").StandardOutput.Contains("10.1.2.5", StringComparison.Ordinal), Patience),
                Is.True, "dnsmasq did not start: " + dnsmasq.Output);
            var resolver = new DnsResolver(device.Stack, new DnsResolverOptions { Servers = [KernelSide.Address] });

            Assert.That(Resolve(resolver, "alpha.seqs.test"), Is.EquivalentTo(new[] { new Ipv4Address(10, 1, 2, 3), new Ipv4Address(10, 1, 2, 4) }));
            Assert.That(Resolve(resolver, "deep.seqs.test"), Is.EquivalentTo(new[] { new Ipv4Address(10, 1, 2, 3), new Ipv4Address(10, 1, 2, 4) }), "a chain of two CNAMEs");
            Assert.That(Resolve(resolver, "BETA.seqs.test."), Is.EqualTo(new[] { new Ipv4Address(10, 1, 2, 5) }));
            var failure = Assert.Throws<AggregateException>(() => Resolve(resolver, "missing.seqs.test"));
            Assert.That(failure!.InnerException, Is.InstanceOf<DnsResolveException>().With.Property(nameof(DnsResolveException.Error)).EqualTo(DnsResolveError.NameError), dnsmasq.Output);
            Assert.That(resolver.Counters.Malformed + resolver.Counters.WrongId + resolver.Counters.QuestionMismatch, Is.Zero);
            Assert.That(device.Stack.Counters.InternalErrors, Is.Zero);
        }
        finally
        {
            File.Delete(hosts);
        }
    }

    [Test]
    public void NtpClient_AgainstChronyd_FindsTheHostClockWithinAFewMilliseconds()
    {
        using var ns = NetworkNamespace.Create("chronyd");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        string config = Path.Combine(Path.GetTempPath(), $"{ns.Name}-chrony.conf");
        File.WriteAllText(config, $"local stratum 8\nallow {KernelSide.Network}/{KernelSide.PrefixLength}\nbindaddress {KernelSide.Address}\ncmdport 0\npidfile /tmp/{ns.Name}-chronyd.pid\n");
        try
        {
            // -x: serve the host clock without trying to steer it; -d: stay in the foreground and log to stderr.
            BackgroundCommand chronyd = ns.Start($"chronyd -x -d -f {config}");
            using var client = new NtpClient(device.Stack, KernelSide.Address, new NtpClientOptions
            {
                SamplesPerPoll = 3,
                SampleSpacing = TimeSpan.FromMilliseconds(300),
                ResponseTimeout = TimeSpan.FromSeconds(1),
            });

            NtpSample? sample = null;
            DateTime end = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (sample is null && DateTime.UtcNow < end)
            {
                try
                {
                    sample = client.SynchronizeAsync().Wait(TimeSpan.FromSeconds(5)) ? client.LastSample : null;
                }
                catch (AggregateException e) when (e.InnerException is NtpSynchronizationException)
                {
                    Thread.Sleep(500); // chronyd may need a moment before it calls itself synchronised
                }
            }

            Assert.That(sample, Is.Not.Null, $"no sample; rejected {client.Counters.Rejected} ({string.Join(", ", Enum.GetValues<NtpReplyRejection>().Select(r => $"{r}={client.Counters.RejectedBy(r)}"))}); chronyd: {chronyd.Output}");
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chronyd: offset {sample!.Value.Offset.TotalMilliseconds:F3} ms, delay {sample.Value.Delay.TotalMilliseconds:F3} ms, stratum {sample.Value.Stratum}"));
            Assert.That(sample.Value.Offset.Duration(), Is.LessThan(TimeSpan.FromMilliseconds(5)));
            Assert.That(sample.Value.Delay, Is.LessThan(TimeSpan.FromMilliseconds(50)));
            Assert.That(sample.Value.Stratum, Is.InRange(1, 15));
            Assert.That((client.Clock.GetUtcNow() - DateTimeOffset.UtcNow).Duration(), Is.LessThan(TimeSpan.FromMilliseconds(5)));
        }
        finally
        {
            File.Delete(config);
        }
    }

    /// <summary>
    /// dig asks from an ephemeral port, so it is a legacy resolver (RFC 6762 §6.7). dig 9.18 sends from a
    /// connected socket, so the kernel drops any reply whose source is not the address it asked, and no responder
    /// can answer "dig @224.0.0.251" (the multicast group cannot be a source). The query therefore goes straight to
    /// the responder's address on port 5353 (a direct unicast query, RFC 6762 §5.5), while the probes and
    /// announcements the responder multicast are checked in the capture.
    /// </summary>
    [Test]
    public void MdnsResponder_AnswersDig_AndItsMulticastPassesTshark()
    {
        using var ns = NetworkNamespace.Create("dig", "tshark");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        using var responder = new MdnsResponder(device.Stack, "seqs-interop");
        responder.Start();
        Assert.That(StackOnTap.WaitFor(() => responder.State == MdnsResponderState.Ready, Patience), Is.True, $"state {responder.State}");

        CommandResult dig = ns.Exec($"dig -p 5353 @{StackAddress} SEQS-interop.local A +time=3 +tries=2", TimeSpan.FromSeconds(15));
        device.Stop();
        CommandResult mdns = HostCommand.Run("tshark", ["-r", device.PcapPath, "-Y", "mdns && ip.dst == 224.0.0.251"], TimeSpan.FromSeconds(30));
        CommandResult bad = HostCommand.Run("tshark", ["-r", device.PcapPath, "-Y", "mdns && (_ws.malformed || _ws.expert.severity >= error)"], TimeSpan.FromSeconds(30));

        Assert.That(dig.ExitCode, Is.Zero, dig.ToString());
        Assert.That(dig.StandardOutput, Does.Match(@"(?i)seqs-interop\.local\.\s+\d+\s+IN\s+A\s+10\.213\.11\.2"), dig.ToString());
        Assert.That(responder.Counters.QueriesAnswered, Is.EqualTo(1));
        string[] multicast = mdns.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(multicast.Count(l => l.Contains("ANY seqs-interop.local", StringComparison.Ordinal)), Is.EqualTo(3), mdns.StandardOutput);
        Assert.That(multicast.Count(l => l.Contains("response", StringComparison.Ordinal) && l.Contains("cache flush 10.213.11.2", StringComparison.Ordinal)), Is.EqualTo(2), mdns.StandardOutput);
        Assert.That(bad.StandardOutput.Trim(), Is.Empty);
    }

    private static IReadOnlyList<Ipv4Address> Resolve(DnsResolver resolver, string name)
    {
        Task<IReadOnlyList<Ipv4Address>> lookup = resolver.ResolveAsync(name).AsTask();
        Assert.That(lookup.Wait(Patience), Is.True, $"resolving {name} timed out");
        return lookup.Result;
    }
}
