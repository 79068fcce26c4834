using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Enc28j60;

/// <summary>
/// Once warm, a frame through the driver allocates nothing in either direction: an echo request from B arrives
/// through the emulated chip's receive path and A's reply leaves through its transmit path, all on the test thread.
/// </summary>
[NonParallelizable]
public sealed class Enc28j60AllocationTests
{
    private const int Warmup = 200;
    private const int Measured = 2000;

    [Test]
    public void EchoThroughTheDriver_AllocatesNothing_InEitherDirection()
    {
        using var net = new EmulatedChipNetwork();
        net.SendFromB(PeerFrames.Arp(ArpOperation.Request, SimulatedPair.MacB, SimulatedPair.AddressB, MacAddress.Zero, SimulatedPair.AddressA));
        byte[] request = PeerFrames.EchoRequest(SimulatedPair.MacB, SimulatedPair.MacA, SimulatedPair.AddressB, SimulatedPair.AddressA, 0x4242, 1, new byte[1472]);

        for (int i = 0; i < Warmup; i++)
            net.SendFromB(request);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Measured; i++)
            net.SendFromB(request);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
        Assert.That(net.A.Counters.IcmpEchoRepliesSent, Is.EqualTo(Warmup + Measured));
        Assert.That(net.Driver.Counters.FramesTransmitted, Is.GreaterThanOrEqualTo(Warmup + Measured));
    }
}
