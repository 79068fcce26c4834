using System.Buffers;
using Seqs.Services;
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
        using var echo = new TcpEchoServer(pair.B, options: options);
        _ = echo.RunAsync(CancellationToken.None);
        var server = new Ipv4EndPoint(SimulatedPair.AddressB, TcpEchoServer.DefaultPort);
        // A first connection resolves the peer by ARP and grows the connection table.
        Task<TcpConnection> first = pair.LoopA.InvokeAsync(() => pair.A.Tcp.ConnectAsync(server, options));
        Assert.That(pair.Simulation.RunUntil(() => first.IsCompleted, TimeSpan.FromSeconds(5)), Is.True);
        // The rings come from ArrayPool.Shared: two of that size are put in it first, so that taking them costs
        // nothing and what is counted is the connection's own objects.
        byte[][] rings = [ArrayPool<byte>.Shared.Rent(1024), ArrayPool<byte>.Shared.Rent(1024)];
        foreach (byte[] ring in rings)
            ArrayPool<byte>.Shared.Return(ring);

        long handle = 0, firstOpen = 0, secondOpen = 0;
        TcpConnection connection = null!;
        pair.LoopA.Post(_ =>
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            connection = new TcpConnection(pair.A.Tcp, options);
            handle = GC.GetAllocatedBytesForCurrentThread() - start;
            start = GC.GetAllocatedBytesForCurrentThread();
            _ = connection.ConnectAsync(server);
            firstOpen = GC.GetAllocatedBytesForCurrentThread() - start;
        }, null);
        Assert.That(pair.Simulation.RunUntil(() => connection?.State == TcpState.Established, TimeSpan.FromSeconds(5)), Is.True);
        pair.LoopA.Post(_ => connection.Disconnect(), null);
        // Both ends close: this one lingers in TIME-WAIT, its rings back in the pool.
        pair.Simulation.RunFor(TimeSpan.FromSeconds(1));
        // The second open on the same connection makes only the stack's state (the pool is off): its control
        // block with the congestion control; the connect completion is the connection's, made once and reused.
        pair.LoopA.Post(_ =>
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            _ = connection.ConnectAsync(server);
            secondOpen = GC.GetAllocatedBytesForCurrentThread() - start;
        }, null);
        pair.LoopA.RunOnce();

        long stackState = secondOpen;
        long completion = firstOpen - secondOpen;
        TestContext.Out.WriteLine($"one connection without its buffers: {stackState} B of stack state (control block, congestion control); "
            + $"the application's TcpConnection {handle} B, plus {completion} B for each kind of wait it has done (connect, read, write), kept for its next connections");
        Assert.That(stackState, Is.LessThanOrEqualTo(512), "the issue's target");
    }

    /// <summary>
    /// RACK-TLP's state (RFC 8985: its variables, timers and the send-time runs), made when a SACK connection first
    /// sends data and kept when its control block is reused.
    /// </summary>
    [Test]
    public void RackTlpState_FitsIn320Bytes()
    {
        long start = GC.GetAllocatedBytesForCurrentThread();
        var rack = new RackTlp();
        long size = GC.GetAllocatedBytesForCurrentThread() - start;
        GC.KeepAlive(rack);
        TestContext.Out.WriteLine($"RACK-TLP state of a connection that has sent data: {size} B");
        Assert.That(size, Is.LessThanOrEqualTo(320));
    }

    /// <summary>
    /// A listener keeps no state per slot of its SYN queue or backlog: half-open and established connections are
    /// control blocks like any other, counted against the backlog, and over it SYNs get cookies. What an idle
    /// listener costs is its own object and an empty accept queue; the first accept that waits adds its completion.
    /// </summary>
    [Test]
    public void IdleListener_CostsItsObjectAndAnEmptyQueue()
    {
        using var pair = new SimulatedPair();
        long idle = 0, waiting = 0;
        pair.LoopB.Post(_ =>
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            var listener = new TcpListener(pair.B.Tcp, 8080, backlog: 128);
            listener.Start();
            idle = GC.GetAllocatedBytesForCurrentThread() - start;
            start = GC.GetAllocatedBytesForCurrentThread();
            _ = listener.AcceptAsync();
            waiting = GC.GetAllocatedBytesForCurrentThread() - start;
        }, null);
        pair.LoopB.RunOnce();
        TestContext.Out.WriteLine($"idle listener with a backlog of 128: {idle} B; a waiting accept adds {waiting} B once");
        Assert.That(idle, Is.LessThanOrEqualTo(256), "nothing is reserved per SYN queue or backlog slot");
    }
}
