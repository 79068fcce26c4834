using System.Net.Sockets;
using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Tcp;

/// <summary>
/// A <see cref="TcpConnection"/> the application keeps and opens again and again, as a Socket with
/// <c>Disconnect(reuseSocket: true)</c>, and the stack's reuse of control blocks behind it.
/// </summary>
public sealed class TcpConnectionReuseTests
{
    private static readonly Ipv4EndPoint Echo = new(SimulatedPair.AddressB, TcpEchoServer.DefaultPort);

    [Test]
    public void DisconnectedConnection_ConnectsAgain_AndEachConnectionCarriesItsOwnData()
    {
        using var pair = new SimulatedPair();
        using var echo = new TcpEchoServer(pair.B);
        _ = echo.RunAsync(CancellationToken.None);
        var connection = new TcpConnection(pair.A.Tcp);
        var ports = new List<int>();
        var replies = new List<string>();
        Task run = pair.LoopA.InvokeAsync(async () =>
        {
            for (int i = 0; i < 3; i++)
            {
                await connection.ConnectAsync(Echo);
                ports.Add(connection.LocalEndPoint.Port);
                byte[] message = System.Text.Encoding.ASCII.GetBytes($"message {i}");
                await connection.WriteAsync(message);
                byte[] back = new byte[message.Length];
                int received = 0;
                while (received < back.Length)
                    received += await connection.ReadAsync(back.AsMemory(received));
                replies.Add(System.Text.Encoding.ASCII.GetString(back));
                connection.Disconnect();
            }
        });
        Assert.That(pair.Simulation.RunUntil(() => run.IsCompleted, TimeSpan.FromSeconds(10)), Is.True);
        run.GetAwaiter().GetResult();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(replies, Is.EqualTo(new[] { "message 0", "message 1", "message 2" }));
            Assert.That(ports.Distinct().Count(), Is.EqualTo(3), "each connection is a new 4-tuple (RFC 6056 ephemeral ports)");
        }
        // The old connections finish their close on their own: FIN, ACK, then TIME-WAIT on this side, kept compactly.
        pair.Simulation.RunFor(TimeSpan.FromSeconds(1));
        Assert.That((pair.A.Tcp.TimeWaitCount, pair.A.Tcp.ConnectionCount + pair.B.Tcp.ConnectionCount), Is.EqualTo((3, 0)), "three TIME-WAITs on A, nothing on B");
    }

    [Test]
    public void OpenConnection_CannotBeOpenedAgain_UntilItIsDisconnected()
    {
        using var pair = new SimulatedPair();
        using var echo = new TcpEchoServer(pair.B);
        _ = echo.RunAsync(CancellationToken.None);
        var connection = new TcpConnection(pair.A.Tcp);
        Task open = pair.LoopA.InvokeAsync(() => connection.ConnectAsync(Echo).AsTask());
        Assert.That(pair.Simulation.RunUntil(() => open.IsCompleted, TimeSpan.FromSeconds(5)), Is.True);

        Task again = pair.LoopA.InvokeAsync(() => connection.ConnectAsync(Echo).AsTask());
        Assert.That(pair.Simulation.RunUntil(() => again.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        Assert.That(again.Exception?.InnerException, Is.InstanceOf<InvalidOperationException>());

        var listener = new TcpListener(pair.A.Tcp, 8080);
        Task accept = pair.LoopA.InvokeAsync(() =>
        {
            listener.Start();
            return listener.AcceptAsync(connection).AsTask();
        });
        Assert.That(pair.Simulation.RunUntil(() => accept.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        Assert.That(accept.Exception?.InnerException, Is.InstanceOf<InvalidOperationException>());
    }

    [Test]
    public void RefusedConnect_LeavesTheConnectionFreeForTheNextAttempt()
    {
        using var pair = new SimulatedPair();
        using var echo = new TcpEchoServer(pair.B);
        _ = echo.RunAsync(CancellationToken.None);
        var connection = new TcpConnection(pair.A.Tcp);
        Task refused = pair.LoopA.InvokeAsync(() => connection.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 4444)).AsTask());
        Assert.That(pair.Simulation.RunUntil(() => refused.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        Assert.That(((SocketException)refused.Exception!.InnerException!).SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));

        Task accepted = pair.LoopA.InvokeAsync(() => connection.ConnectAsync(Echo).AsTask());
        Assert.That(pair.Simulation.RunUntil(() => accepted.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(accepted.IsCompletedSuccessfully, Is.True, accepted.Exception?.ToString());
            Assert.That(connection.State, Is.EqualTo(TcpState.Established));
        }
    }

    [Test]
    public void CancelledConnect_ThrowsOperationCanceled_AbortsTheAttempt_AndFreesTheConnection()
    {
        using var pair = new SimulatedPair();
        var connection = new TcpConnection(pair.A.Tcp);
        using var cancel = new CancellationTokenSource();
        // No host has this address: the SYN waits in SYN-SENT for ARP, which gives up only after three seconds.
        var nobody = new Ipv4EndPoint(new Ipv4Address(10, 0, 0, 99), 7);
        Task attempt = pair.LoopA.InvokeAsync(() => connection.ConnectAsync(nobody, cancel.Token).AsTask());
        pair.Simulation.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(connection.State, Is.EqualTo(TcpState.SynSent));
        cancel.Cancel();
        Assert.That(pair.Simulation.RunUntil(() => attempt.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(attempt.IsCanceled, Is.True, attempt.Exception?.ToString());
            Assert.That(pair.A.Tcp.ConnectionCount, Is.Zero, "the SYN-SENT control block is gone");
        }

        using var echo = new TcpEchoServer(pair.B);
        _ = echo.RunAsync(CancellationToken.None);
        Task next = pair.LoopA.InvokeAsync(() => connection.ConnectAsync(Echo).AsTask());
        Assert.That(pair.Simulation.RunUntil(() => next.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        Assert.That(next.IsCompletedSuccessfully, Is.True, next.Exception?.ToString());
    }

    [Test]
    public void ConnectionThatLetGo_DoesNotReachTheControlBlockTheStackReusedForAnother()
    {
        var noTimeWait = new TcpConnectionOptions { TimeWaitDuration = TimeSpan.Zero };
        using var pair = new SimulatedPair(options: new NetStackOptions { Tcp = noTimeWait });
        using var echo = new TcpEchoServer(pair.B);
        _ = echo.RunAsync(CancellationToken.None);
        var first = new TcpConnection(pair.A.Tcp);
        var second = new TcpConnection(pair.A.Tcp);
        Task firstOpen = pair.LoopA.InvokeAsync(() => first.ConnectAsync(Echo).AsTask());
        Assert.That(pair.Simulation.RunUntil(() => firstOpen.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        TcpControlBlock reused = first.Tcb!;
        pair.LoopA.Post(_ => first.Disconnect(), null);
        Assert.That(pair.Simulation.RunUntil(() => pair.A.Tcp.ConnectionCount == 0, TimeSpan.FromSeconds(5)), Is.True);

        Task secondOpen = pair.LoopA.InvokeAsync(() => second.ConnectAsync(Echo).AsTask());
        Assert.That(pair.Simulation.RunUntil(() => secondOpen.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        Task<int> staleRead = pair.LoopA.InvokeAsync(() => first.ReadAsync(new byte[8]).AsTask());
        pair.Simulation.RunFor(TimeSpan.FromMilliseconds(10));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Tcb, Is.SameAs(reused), "the stack reused the first connection's control block");
            Assert.That(first.Tcb, Is.Null);
            Assert.That(first.State, Is.EqualTo(TcpState.Closed));
            Assert.That(second.State, Is.EqualTo(TcpState.Established));
            Assert.That(staleRead.Exception?.InnerException, Is.InstanceOf<InvalidOperationException>());
        }
    }

    [Test]
    public void Disconnect_FailsAnOutstandingRead()
    {
        using var pair = new SimulatedPair();
        using var echo = new TcpEchoServer(pair.B);
        _ = echo.RunAsync(CancellationToken.None);
        var connection = new TcpConnection(pair.A.Tcp);
        Task<int> read = pair.LoopA.InvokeAsync(async () =>
        {
            await connection.ConnectAsync(Echo);
            return await connection.ReadAsync(new byte[8]);
        });
        pair.Simulation.RunFor(TimeSpan.FromMilliseconds(100));
        pair.LoopA.Post(_ => connection.Disconnect(), null);
        Assert.That(pair.Simulation.RunUntil(() => read.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        var error = read.Exception?.InnerException as IOException;
        Assert.That(error?.InnerException, Is.InstanceOf<SocketException>().With.Property(nameof(SocketException.SocketErrorCode)).EqualTo(SocketError.Shutdown));
    }

    [Test]
    public void DisposedConnection_CannotBeOpened()
    {
        using var pair = new SimulatedPair();
        var connection = new TcpConnection(pair.A.Tcp);
        connection.Dispose();
        Task open = pair.LoopA.InvokeAsync(() => connection.ConnectAsync(Echo).AsTask());
        Assert.That(pair.Simulation.RunUntil(() => open.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        Assert.That(open.Exception?.InnerException, Is.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void AcceptIntoAKeptConnection_ServesConnectionsOneAfterAnother()
    {
        using var pair = new SimulatedPair();
        var listener = new TcpListener(pair.B.Tcp, 7000);
        var served = new TcpConnection(pair.B.Tcp);
        var clients = new List<int>();
        Task server = pair.LoopB.InvokeAsync(async () =>
        {
            listener.Start();
            byte[] buffer = new byte[4];
            for (int i = 0; i < 3; i++)
            {
                await listener.AcceptAsync(served);
                clients.Add(served.RemoteEndPoint.Port);
                int n = await served.ReadAsync(buffer);
                await served.WriteAsync(buffer.AsMemory(0, n));
                served.Disconnect();
            }
        });
        var answers = new List<byte>();
        Task clientsRun = pair.LoopA.InvokeAsync(async () =>
        {
            for (byte i = 1; i <= 3; i++)
            {
                using TcpConnection client = await pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 7000));
                await client.WriteAsync(new[] { i });
                byte[] back = new byte[1];
                Assert.That(await client.ReadAsync(back), Is.EqualTo(1));
                answers.Add(back[0]);
                Assert.That(await client.ReadAsync(back), Is.Zero, "the server's Disconnect sent a FIN");
            }
        });
        Assert.That(pair.Simulation.RunUntil(() => server.IsCompleted && clientsRun.IsCompleted, TimeSpan.FromSeconds(10)), Is.True);
        clientsRun.GetAwaiter().GetResult();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answers, Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(clients.Distinct().Count(), Is.EqualTo(3));
        }
    }

    /// <summary>
    /// Connections one after another on one pair of stacks through a lossy, reordering, duplicating link, each with
    /// options drawn anew (ring sizes, SACK, timestamps, NewReno or CUBIC), so that the stack reopens control blocks
    /// that served connections unlike the next one: every transfer comes back intact, and the stacks end empty.
    /// </summary>
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void ReusedControlBlocks_UnderFaults_CarryEachConnectionIntact(int seed)
    {
        var random = new Random(seed);
        var faults = new LinkFaults
        {
            Seed = seed,
            LossProbability = 0.05,
            DuplicationProbability = 0.02,
            ReorderProbability = 0.05,
            ReorderDelay = TimeSpan.FromMilliseconds(3),
            CorruptionProbability = 0.01,
            PropagationDelay = TimeSpan.FromMilliseconds(2),
        };
        using var pair = new SimulatedPair(faults, new NetStackOptions { Tcp = { TimeWaitDuration = TimeSpan.FromMilliseconds(100) } });
        using var echo = new TcpEchoServer(pair.B);
        _ = echo.RunAsync(CancellationToken.None);
        var reused = new HashSet<TcpControlBlock>();
        int opened = 0;
        for (int i = 0; i < 25; i++)
        {
            var options = new TcpConnectionOptions
            {
                SendBufferSize = random.Next(1000, 40_000),
                ReceiveBufferSize = random.Next(1000, 40_000),
                Sack = random.Next(2) == 0,
                Timestamps = random.Next(2) == 0,
                CongestionControl = random.Next(2) == 0 ? CongestionControlAlgorithm.Cubic : CongestionControlAlgorithm.NewReno,
                TimeWaitDuration = TimeSpan.FromMilliseconds(100),
            };
            byte[] data = new byte[random.Next(1, 30_000)];
            random.NextBytes(data);
            var connection = new TcpConnection(pair.A.Tcp, options);
            var received = new MemoryStream();
            Task run = pair.LoopA.InvokeAsync(async () =>
            {
                await connection.ConnectAsync(Echo);
                opened++;
                reused.Add(connection.Tcb!);
                async Task ReadAll()
                {
                    byte[] buffer = new byte[4096];
                    int n;
                    while ((n = await connection.ReadAsync(buffer)) > 0)
                        received.Write(buffer, 0, n);
                }
                Task reading = ReadAll();
                await connection.WriteAsync(data);
                connection.ShutdownSend();
                await reading;
                connection.Disconnect();
            });
            Assert.That(pair.Simulation.RunUntil(() => run.IsCompleted, TimeSpan.FromMinutes(10)), Is.True, $"seed {seed}, connection {i} stalled");
            run.GetAwaiter().GetResult();
            Assert.That(received.ToArray().AsSpan().SequenceEqual(data), Is.True, $"seed {seed}, connection {i}: content differs");
        }
        pair.Simulation.RunFor(TimeSpan.FromMinutes(5));
        TestContext.Out.WriteLine($"{opened} connections on {reused.Count} control blocks; link lost {pair.Link.AToB.FramesLost + pair.Link.BToA.FramesLost} frames");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reused, Has.Count.LessThan(opened), "control blocks were reused");
            Assert.That(pair.A.Tcp.ConnectionCount + pair.B.Tcp.ConnectionCount, Is.Zero);
        }
    }

    [Test]
    public void ConnectionDisposedWhileAnAcceptWaitsForIt_FailsThatAccept_AndTheNextAcceptGetsThePeer()
    {
        using var pair = new SimulatedPair();
        var listener = new TcpListener(pair.B.Tcp, 7000);
        var served = new TcpConnection(pair.B.Tcp);
        Task firstAccept = pair.LoopB.InvokeAsync(() =>
        {
            listener.Start();
            return listener.AcceptAsync(served).AsTask();
        });
        pair.Simulation.RunFor(TimeSpan.FromMilliseconds(1));
        served.Dispose();
        Task<TcpConnection> client = pair.LoopA.InvokeAsync(() => pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 7000)));
        Assert.That(pair.Simulation.RunUntil(() => firstAccept.IsCompleted && client.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        Assert.That(firstAccept.Exception?.InnerException, Is.InstanceOf<ObjectDisposedException>());

        Task<TcpConnection> secondAccept = pair.LoopB.InvokeAsync(() => listener.AcceptAsync().AsTask());
        Assert.That(pair.Simulation.RunUntil(() => secondAccept.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(secondAccept.Result.State, Is.EqualTo(TcpState.Established));
            Assert.That(secondAccept.Result.RemoteEndPoint.Port, Is.EqualTo(client.Result.LocalEndPoint.Port));
        }
    }
}
