using System.Buffers;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Tcp;

/// <summary>What one connection costs in managed memory besides its send and receive buffers.</summary>
[NonParallelizable]
public sealed class TcpMemoryTests
{
    [Test]
    public void Connection_ExcludingItsBuffers_FitsIn512Bytes()
    {
        // No pool, so that the connection's control block is made new and counted.
        using var pair = new SimulatedPair(options: new NetStackOptions { PooledTcpConnections = 0 });
        var options = new TcpConnectionOptions { SendBufferSize = 1024, ReceiveBufferSize = 1024 };
        var listener = new TcpListener(pair.B, 80, options);
        pair.LoopB.Post(_ => listener.Start(), null);
        var server = new Ipv4EndPoint(SimulatedPair.AddressB, 80);
        // A first connection resolves the peer by ARP and grows the connection table.
        Task<TcpConnection> first = pair.LoopA.InvokeAsync(() => pair.A.ConnectAsync(server, options));
        Assert.That(pair.Simulation.RunUntil(() => first.IsCompleted, TimeSpan.FromSeconds(5)), Is.True);
        // The rings come from ArrayPool.Shared: two of that size are put in it first, so that taking them costs
        // nothing and what is counted is the connection's own objects.
        byte[][] rings = [ArrayPool<byte>.Shared.Rent(1024), ArrayPool<byte>.Shared.Rent(1024)];
        foreach (byte[] ring in rings)
            ArrayPool<byte>.Shared.Return(ring);

        long handle = 0, open = 0;
        pair.LoopA.Post(_ =>
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            var connection = new TcpConnection(pair.A, options);
            handle = GC.GetAllocatedBytesForCurrentThread() - start;
            start = GC.GetAllocatedBytesForCurrentThread();
            _ = connection.ConnectAsync(server);
            open = GC.GetAllocatedBytesForCurrentThread() - start;
        }, null);
        pair.LoopA.RunOnce();

        TestContext.Out.WriteLine($"one connection: {handle} B for the TcpConnection, {open} B to open it "
            + $"(control block, timer, congestion control, connect completion); {handle + open} B in all without its buffers");
        Assert.That(handle + open, Is.LessThanOrEqualTo(1024), "regression guard");
    }
}
