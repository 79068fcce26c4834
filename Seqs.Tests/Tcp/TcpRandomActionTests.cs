using System.Net.Sockets;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Tcp;

/// <summary>
/// A property test: on a faulty link, both ends of a connection write, read, half-close and sometimes abort at
/// random. Whatever happens, every byte read is the next byte the other side wrote (nothing lost in the middle,
/// duplicated or corrupted), nothing throws out of the loop, and both stacks end with no connection.
/// </summary>
public sealed class TcpRandomActionTests
{
    private const int Seeds = 150;

    [Test]
    public void RandomActionsOnBothEnds_NeverCorruptLoseOrDuplicateAByte()
    {
        var failures = new List<string>();
        for (int seed = 1; seed <= Seeds; seed++)
        {
            string? failure = Run(seed, trace: false);
            if (failure is not null)
                failures.Add($"seed {seed}: {failure}");
        }
        TestContext.Out.WriteLine($"{Seeds} seeds, {s_bytesRead} bytes read and checked, {s_aborts} aborts");
        SegmentTrace.Replay(failures, Run);
        Assert.That(failures, Is.Empty);
        Assert.That(s_bytesRead, Is.GreaterThan(Seeds * 1000), "the runs moved data");
    }

    private static long s_bytesRead;
    private static int s_aborts;

    private static string? Run(int seed, bool trace)
    {
        var random = new Random(seed);
        var faults = new LinkFaults
        {
            Seed = seed,
            LossProbability = random.NextDouble() * 0.1,
            DuplicationProbability = random.NextDouble() * 0.05,
            ReorderProbability = random.NextDouble() * 0.1,
            CorruptionProbability = random.NextDouble() * 0.01,
            PropagationDelay = TimeSpan.FromMilliseconds(random.Next(0, 20)),
        };
        // Keep-alive finds a peer that vanished: an abort whose RST (and the reply to the challenge ACK it draws,
        // RFC 5961 §3.2) were both lost leaves the other end waiting for data forever otherwise.
        var options = new TcpConnectionOptions
        {
            SendBufferSize = random.Next(500, 8000),
            ReceiveBufferSize = random.Next(500, 8000),
            UserTimeout = TimeSpan.FromSeconds(30),
            KeepAlive = true,
            KeepAliveIdle = TimeSpan.FromSeconds(20),
            KeepAliveInterval = TimeSpan.FromSeconds(2),
            KeepAliveCount = 5,
        };
        using var pair = new SimulatedPair(faults);
        if (trace)
            SegmentTrace.Attach(pair);
        var listener = new TcpListener(pair.B.Tcp, 5000, options);
        var endA = new End(new Random(seed * 31 + 1));
        var endB = new End(new Random(seed * 31 + 2));

        bool accepted = false;
        Task server = pair.LoopB.InvokeAsync(async () =>
        {
            listener.Start();
            TcpConnection connection = await listener.AcceptAsync();
            accepted = true;
            listener.Stop();
            await endB.PlayAsync(connection, endA);
        });
        Task client = pair.LoopA.InvokeAsync(async () =>
        {
            TcpConnection connection = await pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 5000), options);
            await endA.PlayAsync(connection, endB);
        });
        pair.Simulation.RunUntil(() => server.IsCompleted && client.IsCompleted, TimeSpan.FromMinutes(10));
        pair.Simulation.RunFor(TimeSpan.FromMinutes(3));

        // A client that aborted right after its handshake, with its ACK and its RST both lost, leaves the server a
        // half-open connection that a later RST closes before it is ever accepted: nothing to accept, no failure.
        if (!server.IsCompleted && !accepted && client.IsCompleted && pair.B.Tcp.ConnectionCount == 0)
            return null;
        foreach ((string name, Task task) in new[] { ("client", client), ("server", server) })
        {
            if (!task.IsCompleted)
                return $"{name} never finished";
            if (task.Exception?.InnerException is Exception e && e is not (IOException or SocketException or ObjectDisposedException))
                return $"{name} threw {e}";
        }
        if (endA.Corrupt || endB.Corrupt)
            return "a byte arrived that the other side did not write next";
        if (pair.A.Tcp.ConnectionCount + pair.B.Tcp.ConnectionCount != 0)
            return $"connections left: A {pair.A.Tcp.ConnectionCount}, B {pair.B.Tcp.ConnectionCount}";
        if (pair.LoopA.UnhandledExceptionCount + pair.LoopB.UnhandledExceptionCount + pair.A.Counters.InternalErrors + pair.B.Counters.InternalErrors != 0)
            return "an exception escaped into the loop";
        return null;
    }

    /// <summary>One end: writes a numbered byte stream, reads the other's and checks it, and acts at random.</summary>
    private sealed class End(Random random)
    {
        private int _written;
        private int _offered;
        private int _read;

        public bool Corrupt { get; private set; }

        public async Task PlayAsync(TcpConnection connection, End peer)
        {
            Task reading = ReadAsync(connection, peer);
            try
            {
                int actions = random.Next(1, 40);
                for (int i = 0; i < actions; i++)
                {
                    int choice = random.Next(100);
                    if (choice < 2)
                    {
                        connection.Abort();
                        s_aborts++;
                        break;
                    }
                    var chunk = new byte[random.Next(1, 3000)];
                    for (int j = 0; j < chunk.Length; j++)
                        chunk[j] = (byte)(_written + j);
                    // Bytes may reach the peer before the write completes, so count them as offered first.
                    _offered = _written + chunk.Length;
                    await connection.WriteAsync(chunk);
                    _written = _offered;
                }
                connection.ShutdownSend();
            }
            catch (IOException)
            {
            }
            try
            {
                await reading;
            }
            finally
            {
                connection.Dispose();
            }
        }

        private async Task ReadAsync(TcpConnection connection, End peer)
        {
            var buffer = new byte[random.Next(1, 5000)];
            try
            {
                int n;
                while ((n = await connection.ReadAsync(buffer)) > 0)
                {
                    for (int i = 0; i < n; i++)
                    {
                        if (buffer[i] != (byte)(_read + i) || _read + i >= peer._offered)
                            Corrupt = true;
                    }
                    _read += n;
                    s_bytesRead += n;
                }
            }
            catch (IOException)
            {
            }
        }
    }
}
