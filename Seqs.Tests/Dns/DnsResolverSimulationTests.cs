using Seqs.Dns;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Dns;

/// <summary>The resolver on stack A against <see cref="SimulatedDnsServer"/> on stack B, in virtual time.</summary>
public sealed class DnsResolverSimulationTests
{
    private static readonly Ipv4Address Host1 = new(192, 0, 2, 1);
    private static readonly Ipv4Address Host2 = new(192, 0, 2, 2);
    private static readonly Ipv4Address Nobody = new(10, 0, 0, 3);

    [Test]
    public void NameWithTwoAddresses_ResolvesToBoth_AndTheSecondLookupIsServedFromTheCache()
    {
        using var net = new Network();
        net.Server.Hosts["www.example"] = [Host1, Host2];

        Assert.That(net.Resolve("www.example"), Is.EqualTo(new[] { Host1, Host2 }));
        Assert.That(net.Resolve("WWW.Example."), Is.EqualTo(new[] { Host1, Host2 }));

        Assert.That(net.Server.Queries, Has.Count.EqualTo(1));
        Assert.That(net.Resolver.Counters.CacheHits, Is.EqualTo(1));
    }

    [Test]
    public void CnameChain_IsFollowedToTheAddress()
    {
        using var net = new Network();
        net.Server.Cnames["www.example"] = "web.example";
        net.Server.Cnames["web.example"] = "host.example";
        net.Server.Hosts["host.example"] = [Host1];

        Assert.That(net.Resolve("www.example"), Is.EqualTo(new[] { Host1 }));
        Assert.That(net.Resolver.Counters.UnrelatedRecords, Is.Zero);
    }

    [Test]
    public void ChainWithoutItsEnd_IsContinuedWithAQueryForTheCanonicalName()
    {
        using var net = new Network();
        net.Server.ChainOnly = true;
        net.Server.Cnames["www.example"] = "host.example";
        net.Server.Hosts["host.example"] = [Host2];

        Assert.That(net.Resolve("www.example"), Is.EqualTo(new[] { Host2 }));
        Assert.That(net.Server.Queries.Select(q => q.Name), Is.EqualTo(new[] { "www.example", "host.example" }));
    }

    [Test]
    public void CnameLoop_EndsWithChainTooLong()
    {
        using var net = new Network();
        net.Server.ChainOnly = true;
        net.Server.Cnames["a.example"] = "b.example";
        net.Server.Cnames["b.example"] = "a.example";

        Assert.That(net.ResolveError("a.example"), Is.EqualTo(DnsResolveError.CnameChainTooLong));
        Assert.That(net.Server.Queries, Has.Count.LessThanOrEqualTo(10));
    }

    [Test]
    public void Nxdomain_IsANameError_CachedForTheSoaMinimum()
    {
        using var net = new Network();
        net.Server.NegativeTtl = 30;

        Assert.That(net.ResolveError("missing.example"), Is.EqualTo(DnsResolveError.NameError));
        Assert.That(net.ResolveError("missing.example"), Is.EqualTo(DnsResolveError.NameError));
        Assert.That(net.Server.Queries, Has.Count.EqualTo(1));

        net.Pair.Simulation.RunFor(TimeSpan.FromSeconds(31));
        Assert.That(net.ResolveError("missing.example"), Is.EqualTo(DnsResolveError.NameError));
        Assert.That(net.Server.Queries, Has.Count.EqualTo(2));
        Assert.That(net.Resolver.Counters.NameErrors, Is.EqualTo(2));
    }

    [Test]
    public void TruncatedAnswer_IsReportedAndNotCached()
    {
        using var net = new Network();
        net.Server.Hosts["big.example"] = [Host1];
        net.Server.Truncate = true;

        Assert.That(net.ResolveError("big.example"), Is.EqualTo(DnsResolveError.Truncated));
        Assert.That(net.ResolveError("big.example"), Is.EqualTo(DnsResolveError.Truncated));
        Assert.That(net.Server.Queries, Has.Count.EqualTo(2));
    }

    [Test]
    public void ServerFailure_IsTriedOnEveryServerThenReported()
    {
        using var net = new Network(attempts: 1);
        net.Server.FailWith = DnsResponseCode.ServerFailure;

        Assert.That(net.ResolveError("www.example"), Is.EqualTo(DnsResolveError.ServerFailure));
        Assert.That(net.Resolver.Counters.ServerFailures, Is.EqualTo(1));
    }

    [Test]
    public void SilentFirstServer_FailsOverToTheSecondAfterTheTimeout()
    {
        using var net = new Network(servers: [Nobody, SimulatedPair.AddressB]);
        net.Server.Hosts["www.example"] = [Host1];

        TimeSpan start = net.Pair.Simulation.Now;
        Assert.That(net.Resolve("www.example"), Is.EqualTo(new[] { Host1 }));

        Assert.That(net.Pair.Simulation.Now - start, Is.InRange(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.1)));
        Assert.That(net.Resolver.Counters.Timeouts, Is.EqualTo(1));
    }

    [Test]
    public void LostQueries_AreRetried_EachWithANewIdAndSourcePort()
    {
        using var net = new Network(servers: [SimulatedPair.AddressB], attempts: 3);
        net.Server.Hosts["www.example"] = [Host1];
        net.Server.DropNext = 2;

        Assert.That(net.Resolve("www.example"), Is.EqualTo(new[] { Host1 }));

        Assert.That(net.Server.Queries, Has.Count.EqualTo(3));
        Assert.That(net.Server.Queries.Select(q => q.Id).Distinct().Count(), Is.EqualTo(3));
        Assert.That(net.Server.Queries.Select(q => q.SourcePort).Distinct().Count(), Is.EqualTo(3));
        Assert.That(net.Server.Queries.Select(q => q.SourcePort), Is.All.GreaterThanOrEqualTo(49152));
    }

    [Test]
    public void ForgedAnswers_AreIgnoredAndCounted_AndTheRealOneIsUsed()
    {
        using var net = new Network();
        net.Server.Hosts["www.example"] = [Host1];
        net.Server.ForgeFirst = true;

        Assert.That(net.Resolve("www.example"), Is.EqualTo(new[] { Host1 }));

        DnsResolverCounters c = net.Resolver.Counters;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(c.WrongId, Is.EqualTo(1));
            Assert.That(c.WrongSource, Is.EqualTo(1));
            Assert.That(c.QuestionMismatch, Is.EqualTo(1));
            Assert.That(c.UnrelatedRecords, Is.EqualTo(1), "the A record for evil.example");
            Assert.That(c.ResponsesAccepted, Is.EqualTo(1));
        }
        Assert.That(net.Resolve("evil.example", expectQuery: false), Is.Null, "the unrelated record was not cached");
    }

    [Test]
    public void CachedAnswer_ExpiresWithItsTtl()
    {
        using var net = new Network();
        net.Server.Hosts["www.example"] = [Host1];
        net.Server.Ttl = 10;

        net.Resolve("www.example");
        net.Pair.Simulation.RunFor(TimeSpan.FromSeconds(9));
        net.Resolve("www.example");
        Assert.That(net.Server.Queries, Has.Count.EqualTo(1));
        net.Pair.Simulation.RunFor(TimeSpan.FromSeconds(2));
        net.Resolve("www.example");
        Assert.That(net.Server.Queries, Has.Count.EqualTo(2));
    }

    [Test]
    public void FullCache_DropsTheEntryThatExpiresFirst()
    {
        using var net = new Network(cacheSize: 2);
        net.Server.Hosts["a.example"] = [Host1];
        net.Server.Hosts["b.example"] = [Host1];
        net.Server.Hosts["c.example"] = [Host1];
        net.Resolve("a.example");
        net.Pair.Simulation.RunFor(TimeSpan.FromSeconds(1));
        net.Resolve("b.example");
        net.Resolve("c.example");

        net.Resolve("b.example");
        net.Resolve("c.example");
        Assert.That(net.Server.Queries, Has.Count.EqualTo(3));
        net.Resolve("a.example");
        Assert.That(net.Server.Queries, Has.Count.EqualTo(4));
    }

    [Test]
    public void NoServers_IsReported()
    {
        using var net = new Network(servers: []);
        Assert.That(net.ResolveError("www.example"), Is.EqualTo(DnsResolveError.NoServers));
    }

    [Test]
    public void InvalidName_ThrowsArgumentException()
    {
        using var net = new Network();
        Task<IReadOnlyList<Ipv4Address>> lookup = net.Pair.LoopA.InvokeAsync(() => net.Resolver.ResolveAsync("bad..name").AsTask());
        net.Pair.Simulation.RunUntil(() => lookup.IsCompleted, TimeSpan.FromSeconds(1));
        Assert.That(lookup.Exception?.InnerException, Is.InstanceOf<ArgumentException>());
    }

    [Test]
    public void SameSeeds_ReplayTheSameQueries()
    {
        List<(string, ushort, ushort)> Run()
        {
            using var net = new Network(servers: [SimulatedPair.AddressB], attempts: 3);
            net.Server.Hosts["www.example"] = [Host1];
            net.Server.DropNext = 1;
            net.Resolve("www.example");
            return net.Server.Queries;
        }

        List<(string, ushort, ushort)> first = Run();
        List<(string, ushort, ushort)> second = Run();
        Assert.That(second, Is.EqualTo(first));
    }

    /// <summary>A simulated pair with the resolver on A and the server on B.</summary>
    private sealed class Network : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public Network(IReadOnlyList<Ipv4Address>? servers = null, int attempts = 2, int cacheSize = 16)
        {
            Pair = new SimulatedPair();
            Server = new SimulatedDnsServer(Pair.B);
            _ = Server.RunAsync(_stop.Token);
            Resolver = new DnsResolver(Pair.A, new DnsResolverOptions
            {
                Servers = servers ?? [SimulatedPair.AddressB],
                Attempts = attempts,
                CacheSize = cacheSize,
            });
        }

        public SimulatedPair Pair { get; }

        public SimulatedDnsServer Server { get; }

        public DnsResolver Resolver { get; }

        public IReadOnlyList<Ipv4Address>? Resolve(string name, bool expectQuery = true)
        {
            Task<IReadOnlyList<Ipv4Address>> lookup = Pair.LoopA.InvokeAsync(() => Resolver.ResolveAsync(name).AsTask());
            Assert.That(Pair.Simulation.RunUntil(() => lookup.IsCompleted, TimeSpan.FromMinutes(1)), Is.True);
            if (!expectQuery && lookup.IsFaulted)
                return null;
            return lookup.Result;
        }

        public DnsResolveError ResolveError(string name)
        {
            Task<IReadOnlyList<Ipv4Address>> lookup = Pair.LoopA.InvokeAsync(() => Resolver.ResolveAsync(name).AsTask());
            Assert.That(Pair.Simulation.RunUntil(() => lookup.IsCompleted, TimeSpan.FromMinutes(1)), Is.True);
            Assert.That(lookup.Exception?.InnerException, Is.InstanceOf<DnsResolveException>(), () => $"lookup ended {lookup.Status}");
            return ((DnsResolveException)lookup.Exception!.InnerException!).Error;
        }

        public void Dispose()
        {
            _stop.Cancel();
            Server.Dispose();
            Pair.Dispose();
            _stop.Dispose();
        }
    }
}
