using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Support;

/// <summary>The allocation check of a driver over its emulator: B pings A through the driver, frame by frame.</summary>
internal static class EchoAllocation
{
    /// <summary>
    /// Sends B's ARP request, then <paramref name="warmup"/> and <paramref name="measured"/> 1472-byte echo requests
    /// from B to A through <paramref name="sendFromB"/>, each followed by A's reply; returns the bytes this thread
    /// allocated during the measured ones.
    /// </summary>
    public static long Measure(Action<byte[]> sendFromB, int warmup, int measured)
    {
        sendFromB(PeerFrames.Arp(ArpOperation.Request, SimulatedPair.MacB, SimulatedPair.AddressB, MacAddress.Zero, SimulatedPair.AddressA));
        byte[] request = PeerFrames.EchoRequest(SimulatedPair.MacB, SimulatedPair.MacA, SimulatedPair.AddressB, SimulatedPair.AddressA, 0x4242, 1, new byte[1472]);
        for (int i = 0; i < warmup; i++)
            sendFromB(request);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < measured; i++)
            sendFromB(request);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
