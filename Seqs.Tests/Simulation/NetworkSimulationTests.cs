using System.Diagnostics;
using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Simulation;

public sealed class NetworkSimulationTests
{
    private static readonly MacAddress MacA = MacAddress.Parse("02:00:00:00:00:0a");
    private static readonly MacAddress MacB = MacAddress.Parse("02:00:00:00:00:0b");

    [Test]
    public void EchoOverALink_ReturnsEachFrameOneRoundTripLater()
    {
        using var sim = new NetworkSimulation();
        var (sender, echo) = EchoPair(sim, new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(3) });
        sender.Start(TimeSpan.FromMilliseconds(10));

        sim.RunFor(TimeSpan.FromMilliseconds(45));

        Assert.Multiple(() =>
        {
            Assert.That(echo.Received.Select(r => r.Number), Is.EqualTo(new[] { 0, 1, 2, 3 }));
            Assert.That(sender.Received, Is.EqualTo(new[]
            {
                (TimeSpan.FromMilliseconds(16), 0),
                (TimeSpan.FromMilliseconds(26), 1),
                (TimeSpan.FromMilliseconds(36), 2),
            }));
            Assert.That(sim.Now, Is.EqualTo(TimeSpan.FromMilliseconds(45)));
        });
    }

    [Test]
    public void SixtySecondsOfVirtualTime_RunInWellUnderASecond()
    {
        using var sim = new NetworkSimulation();
        var (sender, echo) = EchoPair(sim, new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1), Seed = 1, LossProbability = 0.01 });
        sender.Start(TimeSpan.FromMilliseconds(10));
        var stopwatch = Stopwatch.StartNew();

        sim.RunFor(TimeSpan.FromSeconds(60));

        stopwatch.Stop();
        Assert.Multiple(() =>
        {
            Assert.That(sender.Sent, Is.EqualTo(6000));
            Assert.That(echo.ReceivedCount, Is.InRange(5800, 6000));
            // Typically tens of milliseconds; the bound leaves room for a loaded CI machine and a cold JIT.
            Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
        });
    }

    [Test]
    public void RunUntil_StopsAtTheInstantTheConditionHolds()
    {
        using var sim = new NetworkSimulation();
        var (sender, _) = EchoPair(sim, new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(3) });
        sender.Start(TimeSpan.FromMilliseconds(10));

        bool met = sim.RunUntil(() => sender.Received.Count == 2, TimeSpan.FromSeconds(10));

        Assert.That(met, Is.True);
        Assert.That(sim.Now, Is.EqualTo(TimeSpan.FromMilliseconds(26)));
    }

    [Test]
    public void RunUntil_ReturnsFalseAtTheTimeout()
    {
        using var sim = new NetworkSimulation();
        var (sender, _) = EchoPair(sim, LinkFaults.None);
        sender.Start(TimeSpan.FromMilliseconds(10));

        bool met = sim.RunUntil(() => sender.Received.Count == 1000, TimeSpan.FromSeconds(2));

        Assert.That(met, Is.False);
        Assert.That(sim.Now, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void IdleNetwork_JumpsStraightToTheEnd()
    {
        using var sim = new NetworkSimulation();
        int turns = 0;
        NetLoop loop = sim.CreateLoop();
        loop.Attach(new CountingParticipant(() => turns++));

        sim.RunFor(TimeSpan.FromDays(365));

        Assert.That(sim.Now, Is.EqualTo(TimeSpan.FromDays(365)));
        Assert.That(turns, Is.LessThan(10));
    }

    [Test]
    public void LoopsEchoingOverACableWithNoDelay_AreReportedAsLivelock()
    {
        using var sim = new NetworkSimulation(maxTurnsPerInstant: 500);
        var a = new VirtualNic(MacA);
        var b = new VirtualNic(MacB);
        sim.Connect(a, b);
        _ = new EchoResponder(sim.CreateLoop(), a);
        _ = new EchoResponder(sim.CreateLoop(), b);
        a.TryTransmit(NumberedFrame.Create(MacB, MacA, 0, 64));

        Assert.That(() => sim.RunFor(TimeSpan.FromSeconds(1)), Throws.InvalidOperationException.With.Message.Contains("Livelock"));
    }

    [Test]
    public void SameSeed_ReplaysTheSameEventsInTheSameOrder()
    {
        var faults = new LinkFaults
        {
            Seed = 2024,
            LossProbability = 0.05,
            DuplicationProbability = 0.05,
            ReorderProbability = 0.05,
            CorruptionProbability = 0.05,
            PropagationDelay = TimeSpan.FromMilliseconds(2),
            Jitter = TimeSpan.FromMilliseconds(3),
            BitsPerSecond = 10_000_000,
        };
        List<string> first = Trace(faults);
        List<string> replay = Trace(faults);
        List<string> otherSeed = Trace(faults with { Seed = 2025 });

        Assert.Multiple(() =>
        {
            Assert.That(first, Has.Count.GreaterThan(1000));
            Assert.That(replay, Is.EqualTo(first));
            Assert.That(otherSeed, Is.Not.EqualTo(first));
        });
    }

    [Test]
    public void TaskDelayOnTheLoop_ResumesOnTheLoopAtTheVirtualDeadline()
    {
        using var sim = new NetworkSimulation();
        NetLoop loop = sim.CreateLoop();
        TimeSpan? resumedAt = null;
        bool onLoop = false;

        Task work = loop.InvokeAsync(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), sim.Clock);
            resumedAt = loop.Now;
            onLoop = loop.IsOnLoopThread;
        });
        sim.RunUntil(() => work.IsCompleted, TimeSpan.FromMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(work.IsCompletedSuccessfully, Is.True);
            Assert.That(resumedAt, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(onLoop, Is.True);
        });
    }

    [Test]
    public void LoopOnAnotherClock_IsRefused()
    {
        using var sim = new NetworkSimulation();
        using var loop = new NetLoop(new VirtualClock());
        Assert.That(() => sim.AddLoop(loop), Throws.ArgumentException);
    }

    private static (PeriodicSender Sender, EchoResponder Echo) EchoPair(NetworkSimulation sim, LinkFaults faults)
    {
        var a = new VirtualNic(MacA);
        var b = new VirtualNic(MacB);
        sim.Connect(a, b, faults);
        var sender = new PeriodicSender(sim.CreateLoop(), a, MacB, TimeSpan.FromMilliseconds(10));
        var echo = new EchoResponder(sim.CreateLoop(), b);
        return (sender, echo);
    }

    /// <summary>Every delivery of a 20-second echo run with <paramref name="faults"/>, as text.</summary>
    private static List<string> Trace(LinkFaults faults)
    {
        using var sim = new NetworkSimulation();
        var a = new VirtualNic(MacA);
        var b = new VirtualNic(MacB);
        sim.Connect(a, b, faults);
        var sender = new PeriodicSender(sim.CreateLoop(), a, MacB, TimeSpan.FromMilliseconds(10), frameSize: 500);
        _ = new EchoResponder(sim.CreateLoop(), b);
        var trace = new List<string>();
        sim.FrameDelivered += (time, receiver, frame) =>
            trace.Add($"{time.Ticks} {receiver.MacAddress} {Convert.ToHexString(frame)}");
        sender.Start(TimeSpan.Zero);

        sim.RunFor(TimeSpan.FromSeconds(20));
        return trace;
    }
}
