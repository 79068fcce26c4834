using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Stack;

/// <summary>Two stacks on a virtual link with seeded loss and reordering, in virtual time.</summary>
public sealed class TwoStackSimulationTests
{
    private static readonly Ipv4Address AddressA = SimulatedPair.AddressA;
    private static readonly Ipv4Address AddressB = SimulatedPair.AddressB;

    [Test]
    public void StacksOnALossyReorderingLink_ResolveEachOtherAndPing()
    {
        using var net = new SimulatedPair(Faults(seed: 7));
        List<PingReply> replies = PingMany(net, 100);

        int answered = replies.Count(r => r.Status == PingStatus.Success);
        Assert.Multiple(() =>
        {
            // 10 % loss each way: about 81 % of echoes come back; ARP losses cost a little more.
            Assert.That(answered, Is.InRange(65, 95));
            Assert.That(replies.Where(r => r.Status != PingStatus.Success).Select(r => r.Status), Is.All.EqualTo(PingStatus.TimedOut));
            Assert.That(replies.Where(r => r.Status == PingStatus.Success).Select(r => r.RoundTripTime), Is.All.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(2)));
            Assert.That(net.A.TryGetNeighbor(AddressB, out MacAddress mac) && mac == net.NicB.MacAddress, Is.True);
            Assert.That(net.B.TryGetNeighbor(AddressA, out mac) && mac == net.NicA.MacAddress, Is.True);
            Assert.That(net.A.Counters.InternalErrors + net.B.Counters.InternalErrors, Is.Zero);
        });
    }

    [Test]
    public void SameSeed_ReplaysTheSameRunExactly()
    {
        List<PingReply> first, second;
        using (var net = new SimulatedPair(Faults(seed: 11)))
            first = PingMany(net, 50);
        using (var net = new SimulatedPair(Faults(seed: 11)))
            second = PingMany(net, 50);
        Assert.That(second, Is.EqualTo(first));
    }

    private static LinkFaults Faults(int seed) => new()
    {
        Seed = seed,
        LossProbability = 0.1,
        ReorderProbability = 0.2,
        ReorderDelay = TimeSpan.FromMilliseconds(3),
        PropagationDelay = TimeSpan.FromMilliseconds(1),
    };

    private static List<PingReply> PingMany(SimulatedPair net, int count)
    {
        Task<List<PingReply>> pings = net.LoopA.InvokeAsync(async () =>
        {
            var replies = new List<PingReply>();
            for (int i = 0; i < count; i++)
                replies.Add(await net.A.PingAsync(AddressB, TimeSpan.FromSeconds(1)));
            return replies;
        });
        Assert.That(net.Simulation.RunUntil(() => pings.IsCompleted, TimeSpan.FromMinutes(5)), Is.True);
        return pings.Result;
    }
}
