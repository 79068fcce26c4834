using System.Net.Sockets;
using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

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
        Task<TcpConnection> connect = pair.LoopA.InvokeAsync(() => pair.A.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 4444)));
        Assert.That(pair.Simulation.RunUntil(() => connect.IsCompleted, TimeSpan.FromSeconds(1)), Is.True);
        var error = (SocketException)connect.Exception!.InnerException!;
        Assert.That(error.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));
        Assert.That(pair.B.Counters.TcpResetsSent, Is.EqualTo(1));
    }

    [Test]
    public void ConnectToAHostThatNeverAnswers_TimesOut()
    {
        using var pair = new SimulatedPair(new LinkFaults { LossProbability = 1.0 });
        var options = new TcpConnectionOptions { ConnectTimeout = TimeSpan.FromSeconds(10) };
        Task<TcpConnection> connect = pair.LoopA.InvokeAsync(() => pair.A.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 7), options));
        Assert.That(pair.Simulation.RunUntil(() => connect.IsCompleted, TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(((SocketException)connect.Exception!.InnerException!).SocketErrorCode, Is.EqualTo(SocketError.TimedOut));
        Assert.That(pair.A.TcpConnectionCount, Is.Zero);
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
        TestContext.Out.WriteLine($"seed {seed}: {transfer.ReceivedLength} of {length} bytes echoed by {pair.Simulation.Now}, A sent {pair.A.Counters.TcpSegmentsSent} segments");
        pair.Simulation.RunFor(TimeSpan.FromMinutes(2));
        return transfer.Complete && pair.A.TcpConnectionCount == 0;
    }
}
