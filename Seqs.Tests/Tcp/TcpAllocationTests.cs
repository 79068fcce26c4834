using Seqs.Services;
using Seqs.Simulation;
using Seqs.Tcp;
using Seqs.Wire;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Tcp;

/// <summary>
/// Once a connection is warm, sending and receiving full-size segments allocates nothing: the client, the echo
/// service, both stacks and the simulated cable all run on the test thread, whose allocation counter sees all.
/// </summary>
[NonParallelizable]
public sealed class TcpAllocationTests
{
    [Test]
    public void EchoOfFullSizeSegments_AllocatesNothingOnceWarm()
    {
        // A microsecond of cable, so that the endless exchange moves virtual time on.
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromTicks(10) });
        using var echo = new TcpEchoServer(pair.B);
        using var stop = new CancellationTokenSource();
        _ = echo.RunAsync(stop.Token);
        int roundTrips = 0;
        byte[] chunk = new byte[pair.A.Tcp.Mss];
        byte[] back = new byte[chunk.Length];

        _ = pair.LoopA.InvokeAsync(async () =>
        {
            TcpConnection connection = await pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, TcpEchoServer.DefaultPort));
            while (!stop.IsCancellationRequested)
            {
                await connection.WriteAsync(chunk);
                int received = 0;
                while (received < back.Length)
                    received += await connection.ReadAsync(back.AsMemory(received));
                roundTrips++;
            }
        });
        Func<bool> warm = () => roundTrips >= 200;
        Assert.That(pair.Simulation.RunUntil(warm, TimeSpan.FromMinutes(1)), Is.True);

        int target = roundTrips + 2000;
        Func<bool> done = () => roundTrips >= target;
        long allocated = AllocatedUntil(pair, done);
        Assert.That(allocated, Is.Zero, $"{allocated} B over 2000 round trips of {chunk.Length}-byte segments");
        stop.Cancel();
    }

    /// <summary>
    /// A client that opens a connection for each exchange with the echo service: once warm, the service accepts each
    /// connection into a kept handler and its <see cref="TcpConnection"/>, so neither side allocates per connection.
    /// </summary>
    [Test]
    public void EchoServer_ConnectionPerExchange_AllocatesNothingPerConnection()
    {
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromTicks(10) });
        using var echo = new TcpEchoServer(pair.B);
        using var stop = new CancellationTokenSource();
        _ = echo.RunAsync(stop.Token);
        byte[] hello = "hello, echo"u8.ToArray();
        byte[] back = new byte[hello.Length];
        int exchanges = 0;
        var client = new TcpConnection(pair.A.Tcp);
        _ = pair.LoopA.InvokeAsync(async () =>
        {
            var server = new Ipv4EndPoint(SimulatedPair.AddressB, TcpEchoServer.DefaultPort);
            while (!stop.IsCancellationRequested)
            {
                await client.ConnectAsync(server);
                await client.WriteAsync(hello);
                int received = 0;
                while (received < back.Length)
                    received += await client.ReadAsync(back.AsMemory(received));
                client.Disconnect();
                exchanges++;
            }
        });
        Func<bool> warm = () => exchanges >= 300;
        Assert.That(pair.Simulation.RunUntil(warm, TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(back, Is.EqualTo(hello));

        int target = exchanges + 1000;
        Func<bool> done = () => exchanges >= target;
        long allocated = AllocatedUntil(pair, done);
        Assert.That(echo.Connections, Is.GreaterThanOrEqualTo(target), "each exchange came on a connection of its own");
        Assert.That(allocated, Is.Zero, $"{allocated} B over 1000 connections");
        stop.Cancel();
    }

    /// <summary>
    /// One-way bulk transfer with 256 KiB buffers (window scaling, SACK, timestamps, delayed ACKs, congestion
    /// control all in play): nothing is allocated per segment once warm, on either side.
    /// </summary>
    [Test]
    public void BulkTransfer_AllocatesNothingOnceWarm()
    {
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromTicks(10) });
        var options = new TcpConnectionOptions { SendBufferSize = 256 << 10, ReceiveBufferSize = 256 << 10 };
        using var upload = new BulkUpload(pair, options, chunkSize: 64 << 10);
        Assert.That(pair.Simulation.RunUntil(() => upload.OctetsDiscarded >= 4 << 20, TimeSpan.FromMinutes(1)), Is.True);

        long target = upload.OctetsDiscarded + (16 << 20);
        Func<bool> done = () => upload.OctetsDiscarded >= target;
        long allocated = AllocatedUntil(pair, done);
        Assert.That(allocated, Is.Zero, $"{allocated} B over 16 MiB of full-size segments");
    }

    /// <summary>
    /// Connections one after another, each a full handshake and close, with a client and a server that keep one
    /// <see cref="TcpConnection"/> each and reuse it: once warm, nothing is allocated per connection. TIME-WAIT
    /// keeps its default length, so the table fills and the oldest TIME-WAIT makes room, as on a busy server.
    /// </summary>
    [Test]
    public void ConnectionsOneAfterAnother_WithReusedConnections_AllocateNothingOnceWarm()
    {
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromTicks(10) });
        var options = new TcpConnectionOptions { SendBufferSize = 2048, ReceiveBufferSize = 2048 };
        var listener = new TcpListener(pair.B.Tcp, 80, options);
        var served = new TcpConnection(pair.B.Tcp, options);
        var client = new TcpConnection(pair.A.Tcp, options);
        byte[] buffer = new byte[16];
        int connections = 0;
        using var stop = new CancellationTokenSource();
        _ = pair.LoopB.InvokeAsync(async () =>
        {
            listener.Start();
            while (!stop.IsCancellationRequested)
            {
                await listener.AcceptAsync(served);
                while (await served.ReadAsync(buffer) > 0)
                {
                }
                served.Disconnect();
            }
        });
        _ = pair.LoopA.InvokeAsync(async () =>
        {
            var server = new Ipv4EndPoint(SimulatedPair.AddressB, 80);
            while (!stop.IsCancellationRequested)
            {
                await client.ConnectAsync(server);
                client.Disconnect();
                connections++;
            }
        });
        Func<bool> warm = () => connections >= 300;
        Assert.That(pair.Simulation.RunUntil(warm, TimeSpan.FromMinutes(1)), Is.True);

        int target = connections + 1000;
        Func<bool> done = () => connections >= target;
        long allocated = AllocatedUntil(pair, done);
        Assert.That(allocated, Is.Zero, $"{allocated} B over 1000 connections");
        Assert.That(pair.A.Tcp.Counters.TimeWaitsEvicted, Is.GreaterThan(0), "the table filled with TIME-WAITs, which made room");
        stop.Cancel();
    }

    /// <summary>Runs the simulation until <paramref name="done"/> and returns what the test thread allocated meanwhile.</summary>
    private static long AllocatedUntil(SimulatedPair pair, Func<bool> done)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool finished = pair.Simulation.RunUntil(done, TimeSpan.FromMinutes(1));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(finished, Is.True);
        return allocated;
    }
}
