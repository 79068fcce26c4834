using System.Buffers;
using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Tcp;

/// <summary>What one connection costs in managed memory besides its send and receive buffers.</summary>
[NonParallelizable]
public sealed class TcpMemoryTests
{
    [Test]
    public void Connection_ExcludingItsBuffers_IsReported()
    {
        var options = new TcpConnectionOptions { SendBufferSize = 1024, ReceiveBufferSize = 1024 };
        var loop = new NetLoop(new VirtualClock());
        var stack = new NetStack(loop, new VirtualNic(new MacAddress(2)), randomSeed: 1);
        stack.Configure(new Ipv4Cidr(new Ipv4Address(10, 0, 0, 1), 24));
        var remote = new Ipv4EndPoint(new Ipv4Address(10, 0, 0, 2), 80);
        // Warm up until the ARP queue for the unanswered peer is full and the connection table has grown, so that
        // only the new connection's own objects are counted.
        var warm = new List<Task<TcpConnection>>();
        loop.Post(_ =>
        {
            for (int i = 0; i < 5; i++)
                warm.Add(stack.ConnectAsync(remote, options));
        }, null);
        loop.RunOnce();

        // The rings come from ArrayPool.Shared: two of that size are put in it first, so that taking them costs
        // nothing and what is counted is the connection's own objects.
        byte[][] rings = [ArrayPool<byte>.Shared.Rent(1024), ArrayPool<byte>.Shared.Rent(1024)];
        foreach (byte[] ring in rings)
            ArrayPool<byte>.Shared.Return(ring);

        long before = 0, after = 0;
        loop.Post(_ =>
        {
            before = GC.GetAllocatedBytesForCurrentThread();
            _ = stack.ConnectAsync(remote, options);
            after = GC.GetAllocatedBytesForCurrentThread();
        }, null);
        loop.RunOnce();

        // Besides the rings, the out-of-order range table (two arrays of longs) is a buffer.
        int ranges = 2 * (options.MaxOutOfOrderRanges * 8 + 24);
        long connection = after - before - ranges;
        TestContext.Out.WriteLine($"one connection: {after - before} B allocated with the rings taken from the pool, {connection} B without its buffers");
        Assert.That(connection, Is.LessThan(2048), "regression guard; the issue's target is 512 B");
        GC.KeepAlive(warm);
    }
}
