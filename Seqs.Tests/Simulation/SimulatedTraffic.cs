using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Simulation;

/// <summary>What the driver-over-emulator networks do in their tests: ping in virtual time, inject a peer's frame.</summary>
internal static class SimulatedTraffic
{
    public static PingReply Ping(NetworkSimulation simulation, NetStack from, Ipv4Address to, int dataLength)
    {
        Task<PingReply> ping = from.Loop.InvokeAsync(() => from.PingAsync(to, TimeSpan.FromSeconds(1), dataLength));
        Assert.That(simulation.RunUntil(() => ping.IsCompleted, TimeSpan.FromSeconds(5)), Is.True);
        return ping.Result;
    }

    /// <summary>Puts a frame on the cable as if <paramref name="peer"/> sent it, then lets the network settle.</summary>
    public static void Send(NetworkSimulation simulation, VirtualNic peer, ReadOnlySpan<byte> frame)
    {
        peer.TryTransmit(frame);
        simulation.RunFor(TimeSpan.Zero);
    }
}
