using Seqs.Services;
using Seqs.Simulation;
using Seqs.Tcp;

namespace Seqs.Tests.Tcp;

/// <summary>
/// The lossy echo in virtual time: 5 % random loss each way on a 1 ms link, a run per seed. Before RACK-TLP
/// (RFC 8985) most of its time went on retransmission timeouts after tail losses.
/// </summary>
public sealed class TcpTailLossSweepTests
{
    private const int Seeds = 8;
    private const int Length = 256 * 1024;

    /// <summary>
    /// The seeds' echo times, summed. Measured on the same seeds: 27.9 s of virtual time with RFC 6675 recovery and
    /// the tail RTO alone; the bound is a third of that.
    /// </summary>
    [Test]
    public void LossyEcho_CompletesWithinABoundThatTimeoutsAloneMiss()
    {
        TimeSpan total = TimeSpan.Zero;
        for (int seed = 1; seed <= Seeds; seed++)
        {
            TimeSpan elapsed = RunEcho(seed);
            TestContext.Out.WriteLine($"seed {seed}: {elapsed.TotalSeconds:F3} s");
            total += elapsed;
        }
        TestContext.Out.WriteLine($"total {total.TotalSeconds:F3} s");
        Assert.That(total, Is.LessThan(TimeSpan.FromSeconds(9.3)));
    }

    private static TimeSpan RunEcho(int seed)
    {
        var faults = new LinkFaults { Seed = seed, LossProbability = 0.05, PropagationDelay = TimeSpan.FromMilliseconds(1) };
        var options = new TcpConnectionOptions { SendBufferSize = 64 * 1024, ReceiveBufferSize = 64 * 1024 };
        using var pair = new SimulatedPair(faults);
        using var echo = new TcpEchoServer(pair.B, options: options);
        using var stop = new CancellationTokenSource();
        _ = echo.RunAsync(stop.Token);
        var random = new Random(seed);
        byte[] sent = new byte[Length];
        random.NextBytes(sent);
        TimeSpan start = pair.Simulation.Now;
        EchoTransfer transfer = EchoTransfer.Run(pair, sent, chunk: 16 * 1024, options, TimeSpan.FromMinutes(10));
        Assert.That(transfer.Complete, Is.True, $"seed {seed}: {transfer.ReceivedLength} of {Length} bytes back");
        stop.Cancel();
        return pair.Simulation.Now - start;
    }
}
