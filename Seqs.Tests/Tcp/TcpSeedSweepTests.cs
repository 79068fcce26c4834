using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Tcp;

/// <summary>
/// Hundreds of seeded runs: each draws its own faults (loss up to 20 %, duplication, reordering, corruption,
/// delay), sends data both ways through the echo service, and checks that every byte came back, nothing stalled,
/// and both stacks end with no connection and no timer. A failing seed is printed and replays exactly.
/// </summary>
public sealed class TcpSeedSweepTests
{
    private const int Seeds = 500;

    [Test]
    public void EchoTransfers_SurviveSeededFaults_AndLeaveNothingBehind()
    {
        var failures = new List<string>();
        for (int seed = 1; seed <= Seeds; seed++)
        {
            string? failure = Run(seed, trace: false);
            if (failure is not null)
                failures.Add($"seed {seed}: {failure}");
        }
        TestContext.Out.WriteLine($"{Seeds} seeds, {failures.Count} failed");
        SegmentTrace.Replay(failures, Run);
        Assert.That(failures, Is.Empty);
    }

    /// <summary>One run; returns why it failed, or null.</summary>
    private static string? Run(int seed, bool trace)
    {
        var random = new Random(seed);
        var faults = new LinkFaults
        {
            Seed = seed,
            LossProbability = random.NextDouble() * 0.2,
            DuplicationProbability = random.NextDouble() * 0.05,
            ReorderProbability = random.NextDouble() * 0.1,
            ReorderDelay = TimeSpan.FromMilliseconds(random.Next(1, 20)),
            CorruptionProbability = random.NextDouble() * 0.02,
            PropagationDelay = TimeSpan.FromMilliseconds(random.Next(0, 50)),
        };
        int length = random.Next(1, 40_000);
        // Every seed mixes the sender's mechanisms: SACK or not, NewReno or CUBIC.
        var options = new TcpConnectionOptions
        {
            SendBufferSize = random.Next(1000, 20_000),
            ReceiveBufferSize = random.Next(1000, 20_000),
            Sack = seed % 3 != 0,
            CongestionControl = seed % 2 == 0 ? CongestionControlAlgorithm.Cubic : CongestionControlAlgorithm.NewReno,
        };
        using var pair = new SimulatedPair(faults);
        if (trace)
            SegmentTrace.Attach(pair);
        using var echo = new TcpEchoServer(pair.B, options: options);
        using var stop = new CancellationTokenSource();
        _ = echo.RunAsync(stop.Token);
        byte[] sent = new byte[length];
        random.NextBytes(sent);
        EchoTransfer transfer = EchoTransfer.Run(pair, sent, chunk: 2500, options, TimeSpan.FromMinutes(20));
        string faultText = $"loss {faults.LossProbability:P0}, dup {faults.DuplicationProbability:P0}, reorder {faults.ReorderProbability:P0}, corrupt {faults.CorruptionProbability:P1}, delay {faults.PropagationDelay.TotalMilliseconds} ms, {length} B";
        if (transfer.Error is not null)
            return $"{transfer.Error.Message} ({faultText})";
        if (!transfer.Finished)
            return $"stalled with {transfer.ReceivedLength} of {length} bytes back ({faultText})";
        if (!transfer.Complete)
            return $"content differs ({faultText})";
        stop.Cancel();
        // TIME-WAIT (60 s) and any last retransmissions end; then nothing may be left.
        pair.Simulation.RunFor(TimeSpan.FromMinutes(5));
        if (pair.A.Tcp.ConnectionCount != 0 || pair.B.Tcp.ConnectionCount != 0)
            return $"connections left: A {pair.A.Tcp.ConnectionCount} ({StateOfFirst(pair.A)}), B {pair.B.Tcp.ConnectionCount} ({faultText})";
        return null;
    }

    private static string StateOfFirst(NetStack stack) => stack.Tcp.ConnectionCount == 0 ? "-" : "open";
}
