using Seqs.Scheduling;
using Seqs.Services;
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

    [Test]
    public void UdpEcho_OverALossyLink_ReturnsWhatArrives()
    {
        using var net = new SimulatedPair(Faults(seed: 3));
        using var echo = new UdpEchoServer(net.B);
        using var cts = new CancellationTokenSource();
        _ = echo.RunAsync(cts.Token);
        using var socket = new UdpSocket(net.A);

        Task<int> client = net.LoopA.InvokeAsync(async () =>
        {
            int matched = 0;
            var buffer = new byte[64];
            for (int i = 0; i < 50; i++)
            {
                byte[] payload = [(byte)i, 0xAB, 0xCD];
                await socket.SendToAsync(payload, new Ipv4EndPoint(AddressB, UdpEchoServer.DefaultPort));
                using var timeout = new CancellationTokenSource();
                Task<UdpReceiveResult> receive = socket.ReceiveFromAsync(buffer, timeout.Token).AsTask();
                Task delay = Task.Delay(TimeSpan.FromMilliseconds(200), net.Simulation.Clock);
                if (await Task.WhenAny(receive, delay) == receive)
                {
                    UdpReceiveResult result = await receive;
                    if (result.ReceivedBytes == 3 && buffer[0] == i && result.RemoteEndPoint == new Ipv4EndPoint(AddressB, 7))
                        matched++;
                }
                else
                {
                    timeout.Cancel(); // inline on the loop, so the run stays deterministic
                    try
                    {
                        await receive;
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            }
            return matched;
        });
        Assert.That(net.Simulation.RunUntil(() => client.IsCompleted, TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(client.Result, Is.InRange(30, 50));
        Assert.That(echo.Datagrams, Is.GreaterThanOrEqualTo(client.Result));
        cts.Cancel();
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
