using System.Net.Sockets;
using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Tcp;

/// <summary>Two stacks on a simulated cable with seeded faults transfer data over TCP, in virtual time.</summary>
public sealed class TcpSimulationTests
{
    [Test]
    public void EchoTransfer_OnACleanLink_ReturnsEveryByte()
    {
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1) });
        Assert.That(RunEchoTransfer(pair, 100_000, seed: 1), Is.True);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public void EchoTransfer_OnALossyReorderingDuplicatingLink_ReturnsEveryByte(int seed)
    {
        var faults = new LinkFaults
        {
            Seed = seed,
            LossProbability = 0.05,
            DuplicationProbability = 0.02,
            ReorderProbability = 0.05,
            ReorderDelay = TimeSpan.FromMilliseconds(4),
            CorruptionProbability = 0.01,
            PropagationDelay = TimeSpan.FromMilliseconds(2),
        };
        using var pair = new SimulatedPair(faults);
        Assert.That(RunEchoTransfer(pair, 50_000, seed), Is.True, $"seed {seed}");
    }

    [Test]
    public void ConnectToAClosedPort_IsRefusedAtOnce()
    {
        using var pair = new SimulatedPair();
        Task<TcpConnection> connect = pair.LoopA.InvokeAsync(() => pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 4444)));
        Assert.That(pair.Simulation.RunUntil(() => connect.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        var error = (SocketException)connect.Exception!.InnerException!;
        Assert.That(error.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));
        Assert.That(pair.B.Tcp.Counters.ResetsSent, Is.EqualTo(1));
    }

    [Test]
    public void ConnectToAListenerWhoseBacklogIsFull_TimesOut()
    {
        using var pair = new SimulatedPair();
        using var listener = new TcpListener(pair.B.Tcp, 7, backlog: 1);
        pair.LoopB.Post(_ => listener.Start(), null);
        // The first connection fills the backlog (never accepted); B then drops SYNs silently while answering ARP.
        Task<TcpConnection> first = pair.LoopA.InvokeAsync(() => pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 7)));
        Assert.That(pair.Simulation.RunUntil(() => first.IsCompleted, TimeSpan.FromSeconds(5)), Is.True);
        var options = new TcpConnectionOptions { ConnectTimeout = TimeSpan.FromSeconds(10) };
        Task<TcpConnection> second = pair.LoopA.InvokeAsync(() => pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 7), options));
        Assert.That(pair.Simulation.RunUntil(() => second.IsCompleted, TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(((SocketException)second.Exception!.InnerException!).SocketErrorCode, Is.EqualTo(SocketError.TimedOut));
        Assert.That(pair.B.Tcp.Counters.SynsDropped, Is.GreaterThan(0));
    }

    [Test]
    public void ConnectToAnAddressNobodyHas_FailsAsHostUnreachableWhenArpGivesUp()
    {
        using var pair = new SimulatedPair();
        var nobody = new Ipv4EndPoint(new Ipv4Address(10, 0, 0, 99), 80);
        Task<TcpConnection> connect = pair.LoopA.InvokeAsync(() => pair.A.Tcp.ConnectAsync(nobody));
        Assert.That(pair.Simulation.RunUntil(() => connect.IsCompleted, TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(((SocketException)connect.Exception!.InnerException!).SocketErrorCode, Is.EqualTo(SocketError.HostUnreachable));
        Assert.That(pair.Simulation.Now, Is.LessThan(TimeSpan.FromSeconds(4)), "three ARP requests a second apart, not the 75 s connect timeout");
        Assert.That(pair.A.Tcp.ConnectionCount, Is.Zero);
    }

    /// <summary>
    /// A server that closes first keeps its side in TIME-WAIT: in the connection table (no compact set), where with a
    /// full table the oldest TIME-WAIT makes room, or in the compact set, where the oldest wait ends when it is full.
    /// Either way a stream of short connections is never turned away.
    /// </summary>
    [TestCase(0)]
    [TestCase(2)]
    public void ShortConnectionsClosedByTheServer_NeverFillTheTableWithTimeWait(int maxTimeWaits)
    {
        using var pair = new SimulatedPair(options: new NetStackOptions { MaxTcpConnections = 4, MaxTcpTimeWaits = maxTimeWaits });
        using var listener = new TcpListener(pair.B.Tcp, 80);
        _ = pair.LoopB.InvokeAsync(async () =>
        {
            listener.Start();
            while (true)
            {
                TcpConnection served = await listener.AcceptAsync();
                await served.WriteAsync("bye"u8.ToArray());
                served.Dispose();
            }
        });
        Task<int> client = pair.LoopA.InvokeAsync(async () =>
        {
            int completed = 0;
            var buffer = new byte[16];
            for (int i = 0; i < 20; i++)
            {
                using TcpConnection connection = await pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 80));
                int total = 0, n;
                while ((n = await connection.ReadAsync(buffer.AsMemory(total))) > 0)
                    total += n;
                if (total == 3)
                    completed++;
            }
            return completed;
        });
        Assert.That(pair.Simulation.RunUntil(() => client.IsCompleted, TimeSpan.FromMinutes(2)), Is.True);
        Assert.That(client.Result, Is.EqualTo(20));
        Assert.That(pair.B.Tcp.Counters.TimeWaitsEvicted, Is.GreaterThan(0));
    }

    [Test]
    public void ServerThatClosesFirst_ForgetsAClientThatNeverCloses()
    {
        using var pair = new SimulatedPair();
        using var listener = new TcpListener(pair.B.Tcp, 80);
        _ = pair.LoopB.InvokeAsync(async () =>
        {
            listener.Start();
            (await listener.AcceptAsync()).Dispose();
        });
        TcpConnection? client = null;
        _ = pair.LoopA.InvokeAsync(async () => client = await pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 80)));
        pair.Simulation.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(client, Is.Not.Null);
        Assert.That(pair.B.Tcp.ConnectionCount, Is.EqualTo(1), "in FIN-WAIT-2, waiting for the client's FIN");

        pair.Simulation.RunFor(TimeSpan.FromSeconds(61));

        Assert.That(pair.B.Tcp.ConnectionCount, Is.Zero, "dropped after the FIN-WAIT-2 timeout");
        Assert.That(client!.State, Is.EqualTo(TcpState.CloseWait), "the client never closed");
    }

    /// <summary>A connects to B's echo service, writes <paramref name="length"/> random bytes while reading the echo, closes.</summary>
    private static bool RunEchoTransfer(SimulatedPair pair, int length, int seed)
    {
        using var echo = new TcpEchoServer(pair.B);
        using var stop = new CancellationTokenSource();
        _ = echo.RunAsync(stop.Token);
        byte[] sent = new byte[length];
        new Random(seed).NextBytes(sent);
        EchoTransfer transfer = EchoTransfer.Run(pair, sent, chunk: 3000, options: null, TimeSpan.FromMinutes(10));
        if (transfer.Error is not null)
            throw transfer.Error;
        stop.Cancel();
        TestContext.Out.WriteLine($"seed {seed}: {transfer.ReceivedLength} of {length} bytes echoed by {pair.Simulation.Now}, A sent {pair.A.Tcp.Counters.SegmentsSent} segments");
        pair.Simulation.RunFor(TimeSpan.FromMinutes(2));
        return transfer.Complete && pair.A.Tcp.ConnectionCount == 0;
    }
}
