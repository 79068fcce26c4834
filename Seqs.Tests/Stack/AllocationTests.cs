using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Stack;

/// <summary>
/// Once warm, handling ARP, ping and UDP echo allocates nothing: the whole exchange (both stacks, both loops and
/// the simulated cable) runs on the test thread, so the thread's allocation counter sees every byte.
/// </summary>
[NonParallelizable]
public sealed class AllocationTests
{
    private const int Warmup = 200;
    private const int Measured = 2000;

    [Test]
    public void ArpRequestAndReply_AllocateNothing()
    {
        using var pair = new SimulatedPair();
        byte[] request = PeerFrames.Arp(ArpOperation.Request, SimulatedPair.MacA, SimulatedPair.AddressA, MacAddress.Zero, SimulatedPair.AddressB);

        long allocated = Measure(() => pair.SendFromA(request));

        Assert.That(allocated, Is.Zero);
        Assert.That(pair.B.Counters.ArpRepliesSent, Is.EqualTo(Warmup + Measured));
        Assert.That(pair.A.Counters.ArpRepliesReceived, Is.EqualTo(Warmup + Measured));
    }

    [Test]
    public void EchoRequestAndReply_AllocateNothing()
    {
        using var pair = new SimulatedPair();
        pair.SendFromA(PeerFrames.Arp(ArpOperation.Request, SimulatedPair.MacA, SimulatedPair.AddressA, MacAddress.Zero, SimulatedPair.AddressB));
        byte[] request = PeerFrames.EchoRequest(SimulatedPair.MacA, SimulatedPair.MacB, SimulatedPair.AddressA, SimulatedPair.AddressB, 0x4242, 1, new byte[1472]);

        long allocated = Measure(() => pair.SendFromA(request));

        Assert.That(allocated, Is.Zero);
        Assert.That(pair.B.Counters.IcmpEchoRepliesSent, Is.EqualTo(Warmup + Measured));
    }

    [Test]
    public void UdpEchoServerRoundTrip_AllocatesNothing()
    {
        using var pair = new SimulatedPair();
        using var echo = new UdpEchoServer(pair.B);
        using var stop = new CancellationTokenSource();
        _ = echo.RunAsync(stop.Token);
        using var client = new UdpSocket(pair.A);
        client.Bind(5000);
        pair.SendFromA(PeerFrames.Arp(ArpOperation.Request, SimulatedPair.MacA, SimulatedPair.AddressA, MacAddress.Zero, SimulatedPair.AddressB));
        byte[] datagram = PeerFrames.Udp(SimulatedPair.MacA, SimulatedPair.MacB, new Ipv4EndPoint(SimulatedPair.AddressA, 5000), new Ipv4EndPoint(SimulatedPair.AddressB, UdpEchoServer.DefaultPort), new byte[512]);
        var buffer = new byte[1500];
        int echoed = 0;

        long allocated = Measure(() =>
        {
            pair.SendFromA(datagram);
            if (client.TryReceiveFrom(buffer, out UdpReceiveResult result) && result.ReceivedBytes == 512)
                echoed++;
        });

        Assert.That(allocated, Is.Zero);
        Assert.That(echoed, Is.EqualTo(Warmup + Measured));
        stop.Cancel();
    }

    private static long Measure(Action exchange)
    {
        for (int i = 0; i < Warmup; i++)
            exchange();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Measured; i++)
            exchange();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
