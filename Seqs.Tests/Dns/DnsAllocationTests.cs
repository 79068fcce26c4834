using Seqs.Dns;
using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Dns;

/// <summary>A cached lookup allocates nothing, and the resolver without its cache entries is small.</summary>
[NonParallelizable]
public sealed class DnsAllocationTests
{
    /// <summary>The target from the services issue: 1 KiB for the DNS client, excluding cache entries.</summary>
    private const int TargetBytes = 1024;

    [Test]
    public void CachedLookup_AllocatesNothing()
    {
        using var pair = new SimulatedPair();
        using var server = new SimulatedDnsServer(pair.B);
        server.Hosts["www.example"] = [new Ipv4Address(192, 0, 2, 1)];
        using var stop = new CancellationTokenSource();
        _ = server.RunAsync(stop.Token);
        var lookups = new Lookups(new DnsResolver(pair.A, new DnsResolverOptions { Servers = [SimulatedPair.AddressB] }));
        Task<IReadOnlyList<Ipv4Address>> first = pair.LoopA.InvokeAsync(() => lookups.Resolver.ResolveAsync("www.example").AsTask());
        pair.Simulation.RunUntil(() => first.IsCompleted, TimeSpan.FromSeconds(5));
        Assert.That(first.Result, Has.Count.EqualTo(1));
        const int Warmup = 200, Measured = 2000;
        for (int i = 0; i < Warmup; i++)
            lookups.RunOne(pair);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Measured; i++)
            lookups.RunOne(pair);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
        Assert.That(lookups.Answered, Is.EqualTo(Warmup + Measured));
        Assert.That(server.Queries, Has.Count.EqualTo(1));
        stop.Cancel();
    }

    [Test]
    public void Resolver_FitsTheMemoryTarget()
    {
        var loop = new NetLoop(new VirtualClock());
        var stack = new NetStack(loop, new VirtualNic(new MacAddress(0x02_00_00_00_00_09)), randomSeed: 1);
        _ = new DnsResolver(stack, new DnsResolverOptions());

        long before = GC.GetAllocatedBytesForCurrentThread();
        var resolver = new DnsResolver(stack, new DnsResolverOptions());
        long total = GC.GetAllocatedBytesForCurrentThread() - before;

        TestContext.Out.WriteLine($"DnsResolver with options, counters and a 16-slot cache table, no entries: {total} B");
        Assert.That(total, Is.LessThanOrEqualTo(TargetBytes));
        GC.KeepAlive(resolver);
    }

    /// <summary>Posts a lookup to the loop with a delegate made once, so the test itself allocates nothing.</summary>
    private sealed class Lookups(DnsResolver resolver)
    {
        private static readonly SendOrPostCallback s_lookup = static s =>
        {
            var self = (Lookups)s!;
            ValueTask<IReadOnlyList<Ipv4Address>> lookup = self.Resolver.ResolveAsync("www.example");
            if (lookup.IsCompletedSuccessfully && lookup.Result.Count == 1)
                self.Answered++;
        };

        public DnsResolver Resolver { get; } = resolver;

        public int Answered { get; private set; }

        public void RunOne(SimulatedPair pair)
        {
            pair.LoopA.Post(s_lookup, this);
            pair.Simulation.RunFor(TimeSpan.Zero);
        }
    }
}
