using System.Net.Sockets;
using System.Security.Cryptography;
using Seqs.Services;
using Seqs.Simulation;
using Seqs.Tcp;
using Seqs.Tls;
using Seqs.Wire;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Tls;

/// <summary>
/// The write-behind of a transport that owns its connection, in virtual time: both stacks' loops run on the test
/// thread only when the test runs the simulation, so a write that completes before then completed without the loop,
/// and what the loop has not drained yet is plainly still in the buffer.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class OffLoopTransportWriteBehindTests
{
    private const ushort Port = 7000;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RealTimeBound = TimeSpan.FromSeconds(30);

    [Test]
    public void Writes_CompleteWithoutTheLoop_AndArriveWholeAndInOrder()
    {
        using var pair = new SimulatedPair();
        (OffLoopTransport transport, Receiver receiver) = Open(pair);
        using OffLoopTransport owned = transport;
        byte[] sent = RandomNumberGenerator.GetBytes(1_000_000);
        var random = new Random(5);
        int offset = 0, completedAtOnce = 0, writes = 0;

        while (offset < sent.Length)
        {
            int length = Math.Min(sent.Length - offset, random.Next(1, 20_000));
            ValueTask write = transport.WriteAsync(sent.AsMemory(offset, length));
            if (write.IsCompleted)
                completedAtOnce++;
            Complete(pair, write);
            offset += length;
            writes++;
            if (writes % 7 == 0)
                pair.Simulation.RunFor(TimeSpan.FromMilliseconds(1));
        }
        Flush(pair, transport);
        transport.Dispose();

        Assert.That(pair.Simulation.RunUntil(() => receiver.Ended, Bound), Is.True);
        Assert.That(receiver.Received, Is.EqualTo(sent), "every octet once, in the order written");
        Assert.That(completedAtOnce, Is.GreaterThan(writes / 2), "a write that fits completes without a trip to the loop");
    }

    [Test]
    public void Buffer_IsBounded_AWriteThatDoesNotFitWaitsUntilTheLoopHasSentEnough()
    {
        using var pair = new SimulatedPair();
        (OffLoopTransport transport, Receiver receiver) = Open(pair);
        using OffLoopTransport owned = transport;
        const int Record = 16 * 1024;
        byte[] sent = RandomNumberGenerator.GetBytes(Record * 6);

        // The loop does not run: four records fill the buffer, the fifth must wait.
        for (int i = 0; i < 4; i++)
            Assert.That(transport.WriteAsync(sent.AsMemory(i * Record, Record)).IsCompleted, Is.True, $"record {i} fits");
        ValueTask fifth = transport.WriteAsync(sent.AsMemory(4 * Record, Record));
        Assert.That(fifth.IsCompleted, Is.False, "the buffer holds at most 64 KiB");
        Assert.That(transport.BufferedForSending, Is.EqualTo(WriteBehindBuffer.MinimumCapacity));

        Complete(pair, fifth);
        Complete(pair, transport.WriteAsync(sent.AsMemory(5 * Record, Record)));
        Flush(pair, transport);
        Assert.That(transport.BufferedForSending, Is.Zero, "a flush completes once TCP has taken everything");
        transport.Dispose();

        Assert.That(pair.Simulation.RunUntil(() => receiver.Ended, Bound), Is.True);
        Assert.That(receiver.Received, Is.EqualTo(sent));
    }

    [Test]
    public void FlushAsync_WaitsForTheLoop_ThenCompletes()
    {
        using var pair = new SimulatedPair();
        (OffLoopTransport transport, Receiver receiver) = Open(pair);
        using OffLoopTransport owned = transport;
        byte[] sent = RandomNumberGenerator.GetBytes(40_000);

        Assert.That(transport.WriteAsync(sent).IsCompleted, Is.True);
        Task flush = transport.FlushAsync();
        Assert.That(flush.IsCompleted, Is.False, "nothing has been handed to TCP before the loop runs");
        Assert.That(pair.Simulation.RunUntil(() => transport.BufferedForSending == 0, Bound), Is.True);
        Assert.That(flush.Wait(RealTimeBound), Is.True, "the flush completes (on the thread pool) once the loop has handed everything to TCP");
        Assert.That(transport.FlushAsync().IsCompletedSuccessfully, Is.True, "with nothing buffered a flush completes at once");

        Assert.That(pair.Simulation.RunUntil(() => receiver.Received.Length == sent.Length, Bound), Is.True);
        Assert.That(receiver.Received, Is.EqualTo(sent));
    }

    [Test]
    public void ConnectionReset_FailsTheNextWriteAndFlush_AsASocketDoes()
    {
        using var pair = new SimulatedPair();
        (OffLoopTransport transport, Receiver receiver) = Open(pair);
        using OffLoopTransport owned = transport;
        Complete(pair, transport.WriteAsync(new byte[1000]));
        Assert.That(pair.Simulation.RunUntil(() => receiver.Received.Length == 1000, Bound), Is.True);

        receiver.Connection.Abort();
        pair.Simulation.RunFor(TimeSpan.FromMilliseconds(10));
        // The write after the reset is taken (the buffer does not know yet); the loop then finds the connection reset.
        Complete(pair, transport.WriteAsync(new byte[1000]));
        pair.Simulation.RunFor(TimeSpan.FromMilliseconds(10));

        IOException? write = Assert.ThrowsAsync<IOException>(async () => await transport.WriteAsync(new byte[10]));
        Assert.That(write!.InnerException, Is.InstanceOf<IOException>());
        Assert.That(write.InnerException!.InnerException, Is.InstanceOf<SocketException>().With.Property(nameof(SocketException.SocketErrorCode)).EqualTo(SocketError.ConnectionReset));
        Assert.That(async () => await transport.FlushAsync(), Throws.InstanceOf<IOException>());
        Assert.That(transport.BufferedForSending, Is.Zero, "what can no longer be sent is dropped");
    }

    [Test]
    public void ResetWhileAWriteWaits_FailsThatWrite()
    {
        using var pair = new SimulatedPair();
        // B never reads, so its window closes and the loop cannot drain the buffer.
        (OffLoopTransport transport, Receiver receiver) = Open(pair, read: false);
        using OffLoopTransport owned = transport;
        ValueTask waiting = default;
        while (waiting.IsCompleted)
        {
            waiting = transport.WriteAsync(new byte[8192]);
            pair.Simulation.RunFor(TimeSpan.FromMilliseconds(10));
        }

        receiver.Connection.Abort();
        Assert.That(pair.Simulation.RunUntil(() => waiting.IsCompleted, Bound), Is.True);
        Assert.That(async () => await waiting, Throws.InstanceOf<IOException>());
    }

    [Test]
    public void Dispose_WithWritesBuffered_SendsThemAndThenTheFin()
    {
        using var pair = new SimulatedPair();
        (OffLoopTransport transport, Receiver receiver) = Open(pair);
        byte[] sent = RandomNumberGenerator.GetBytes(WriteBehindBuffer.MinimumCapacity);
        Assert.That(transport.WriteAsync(sent).IsCompleted, Is.True);
        ValueTask waiting = transport.WriteAsync(new byte[100]);
        Assert.That(waiting.IsCompleted, Is.False);

        transport.Dispose();

        Assert.That(async () => await waiting, Throws.InstanceOf<ObjectDisposedException>(), "a write still waiting for room is refused");
        Assert.That(transport.BufferedForSending, Is.EqualTo(sent.Length), "disposing does not discard what was written");
        Assert.That(pair.Simulation.RunUntil(() => receiver.Ended, Bound), Is.True);
        Assert.That(receiver.Received, Is.EqualTo(sent), "all of it, then the FIN");
        Assert.That(receiver.Failure, Is.Null);
    }

    [Test]
    public void CancelledWrite_WaitingForRoom_SendsNoneOfIt_AndTheRetrySendsItOnce()
    {
        using var pair = new SimulatedPair();
        (OffLoopTransport transport, Receiver receiver) = Open(pair);
        using OffLoopTransport owned = transport;
        byte[] first = RandomNumberGenerator.GetBytes(WriteBehindBuffer.MinimumCapacity - 100);
        byte[] second = RandomNumberGenerator.GetBytes(5000);
        Assert.That(transport.WriteAsync(first).IsCompleted, Is.True);
        using var cancel = new CancellationTokenSource();
        ValueTask waiting = transport.WriteAsync(second, cancel.Token);
        Assert.That(waiting.IsCompleted, Is.False);

        cancel.Cancel();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(transport.BufferedForSending, Is.EqualTo(first.Length), "none of the cancelled write was taken");
        Complete(pair, transport.WriteAsync(second));
        transport.Dispose();
        Assert.That(pair.Simulation.RunUntil(() => receiver.Ended, Bound), Is.True);
        Assert.That(receiver.Received, Is.EqualTo(first.Concat(second).ToArray()), "the first write, then the retried one once");
    }

    [Test]
    public void CancelledWrite_LongerThanTheBuffer_AfterAPartWasTaken_CutsTheStream()
    {
        using var pair = new SimulatedPair();
        (OffLoopTransport transport, _) = Open(pair);
        using OffLoopTransport owned = transport;
        using var cancel = new CancellationTokenSource();
        ValueTask waiting = transport.WriteAsync(new byte[WriteBehindBuffer.MinimumCapacity * 2], cancel.Token);
        Assert.That(transport.BufferedForSending, Is.EqualTo(WriteBehindBuffer.MinimumCapacity), "a longer write is taken a buffer at a time");

        cancel.Cancel();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(async () => await transport.WriteAsync(new byte[1]), Throws.InstanceOf<IOException>().With.Message.Contains("cancelled"),
            "the peer got part of the write, so the stream cannot go on as if it had none");
    }

    [Test]
    public void UsedOnTheLoopThread_Throws()
    {
        using var pair = new SimulatedPair();
        (OffLoopTransport transport, _) = Open(pair);
        using OffLoopTransport owned = transport;
        Task<bool> refused = pair.LoopA.InvokeAsync(() =>
        {
            try
            {
                _ = transport.WriteAsync(new byte[1]);
                return Task.FromResult(false);
            }
            catch (InvalidOperationException)
            {
                return Task.FromResult(true);
            }
        });

        Assert.That(pair.Simulation.RunUntil(() => refused.IsCompleted, Bound), Is.True);
        Assert.That(refused.Result, Is.True, "SslStream encrypts right before it writes: on the loop thread that would be TLS on the loop");
    }

    [Test]
    public void WarmWrite_AndTheLoopsDrain_AllocateNothing()
    {
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromTicks(10) });
        using var discard = new TcpDiscardServer(pair.B);
        using var stop = new CancellationTokenSource();
        _ = discard.RunAsync(stop.Token);
        Task<TcpConnection> connecting = pair.LoopA.InvokeAsync(async () => await pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, TcpDiscardServer.DefaultPort)));
        Assert.That(pair.Simulation.RunUntil(() => connecting.IsCompleted, Bound), Is.True);
        using var transport = new OffLoopTransport(connecting.Result, ownsConnection: true);
        byte[] packet = new byte[1000];
        long expected = 0;
        Func<bool> discarded = () => discard.OctetsDiscarded >= expected;
        int notAtOnce = 0;
        void WriteAndDrain()
        {
            ValueTask write = transport.WriteAsync(packet);
            if (!write.IsCompleted)
                notAtOnce++;
            write.GetAwaiter().GetResult();
            expected += packet.Length;
            pair.Simulation.RunUntil(discarded, Bound);
        }
        for (int i = 0; i < 500; i++)
            WriteAndDrain();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
            WriteAndDrain();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(discard.OctetsDiscarded, Is.EqualTo(expected));
        Assert.That(notAtOnce, Is.Zero);
        Assert.That(allocated, Is.Zero, $"{allocated} B over 2000 writes of {packet.Length} octets, each drained by the loop and sent");
        stop.Cancel();
    }

    /// <summary>A connection from A to B through a transport that owns A's end; B's end read by a <see cref="Receiver"/>.</summary>
    private static (OffLoopTransport Transport, Receiver Receiver) Open(SimulatedPair pair, bool read = true)
    {
        var listener = new TcpListener(pair.B.Tcp, Port);
        Task<TcpConnection> accepting = pair.LoopB.InvokeAsync(async () =>
        {
            listener.Start();
            return await listener.AcceptAsync();
        });
        Task<TcpConnection> connecting = pair.LoopA.InvokeAsync(async () => await pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, Port)));
        Assert.That(pair.Simulation.RunUntil(() => accepting.IsCompleted && connecting.IsCompleted, Bound), Is.True);
        var receiver = new Receiver(pair, accepting.Result, read);
        return (new OffLoopTransport(connecting.Result, ownsConnection: true), receiver);
    }

    /// <summary>
    /// Flushes: the flush ends once the loop has handed everything to TCP, and its task then completes on the thread
    /// pool, so that is waited for in real time.
    /// </summary>
    private static void Flush(SimulatedPair pair, OffLoopTransport transport)
    {
        Task flush = transport.FlushAsync();
        Assert.That(pair.Simulation.RunUntil(() => transport.BufferedForSending == 0, Bound), Is.True);
        Assert.That(flush.Wait(RealTimeBound), Is.True);
    }

    /// <summary>Runs the simulation until <paramref name="operation"/> completes, then observes it (throwing its failure).</summary>
    private static void Complete(SimulatedPair pair, ValueTask operation)
    {
        Assert.That(pair.Simulation.RunUntil(() => operation.IsCompleted, Bound), Is.True, "the operation completes once the loop runs");
        operation.GetAwaiter().GetResult();
    }

    /// <summary>B's end of the connection, read on B's loop into <see cref="Received"/> until the FIN.</summary>
    private sealed class Receiver
    {
        private readonly MemoryStream _received = new();

        public Receiver(SimulatedPair pair, TcpConnection connection, bool read)
        {
            Connection = connection;
            if (read)
                _ = pair.LoopB.InvokeAsync(ReadAsync);
        }

        public TcpConnection Connection { get; }

        public byte[] Received => _received.ToArray();

        public bool Ended { get; private set; }

        public Exception? Failure { get; private set; }

        private async Task<bool> ReadAsync()
        {
            byte[] buffer = new byte[8192];
            try
            {
                int n;
                while ((n = await Connection.ReadAsync(buffer)) > 0)
                    _received.Write(buffer, 0, n);
            }
            catch (IOException e)
            {
                Failure = e;
            }
            Ended = true;
            return true;
        }
    }
}
