using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Simulation;

public sealed class VirtualLinkTests
{
    private static readonly MacAddress MacA = MacAddress.Parse("02:00:00:00:00:0a");
    private static readonly MacAddress MacB = MacAddress.Parse("02:00:00:00:00:0b");

    [Test]
    public void Frame_ArrivesExactlyOnePropagationDelayAfterItWasSent()
    {
        using var sim = new NetworkSimulation();
        var a = new VirtualNic(MacA);
        var b = new VirtualNic(MacB);
        sim.Connect(a, b, new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(7.5) });
        var sender = new PeriodicSender(sim.CreateLoop(), a, MacB, TimeSpan.FromMilliseconds(10), count: 3);
        var receiver = new PeriodicSender(sim.CreateLoop(), b, MacA, TimeSpan.FromMilliseconds(10));
        sender.Start(TimeSpan.FromMilliseconds(1));

        sim.RunFor(TimeSpan.FromSeconds(1));

        Assert.That(receiver.Received, Is.EqualTo(new[]
        {
            (TimeSpan.FromMilliseconds(8.5), 0),
            (TimeSpan.FromMilliseconds(18.5), 1),
            (TimeSpan.FromMilliseconds(28.5), 2),
        }));
    }

    [Test]
    public void FramesSentTogether_SerialiseBehindEachOtherAtTheLinkRate()
    {
        const int Frames = 5, Size = 1250, BitsPerSecond = 1_000_000; // 10 ms per frame
        using var sim = new NetworkSimulation();
        var a = new VirtualNic(MacA, transmitQueueLimit: Frames);
        var b = new VirtualNic(MacB);
        sim.Connect(a, b, new LinkFaults { BitsPerSecond = BitsPerSecond, PropagationDelay = TimeSpan.FromMilliseconds(2) });
        var arrivals = new List<TimeSpan>();
        sim.FrameDelivered += (time, _, _) => arrivals.Add(time);

        sim.RunFor(TimeSpan.FromMilliseconds(3));
        for (int i = 0; i < Frames; i++)
            Assert.That(a.TryTransmit(NumberedFrame.Create(MacB, MacA, i, Size)), Is.True);
        sim.RunFor(TimeSpan.FromSeconds(1));

        TimeSpan perFrame = TimeSpan.FromSeconds((double)Size * 8 / BitsPerSecond);
        IEnumerable<TimeSpan> expected = Enumerable.Range(1, Frames)
            .Select(k => TimeSpan.FromMilliseconds(3) + TimeSpan.FromTicks(perFrame.Ticks * k) + TimeSpan.FromMilliseconds(2));
        Assert.That(arrivals, Is.EqualTo(expected));
    }

    [Test]
    public void FullLinkQueue_DropsAndCountsOverflow()
    {
        using var sim = new NetworkSimulation();
        var a = new VirtualNic(MacA, transmitQueueLimit: 100);
        var b = new VirtualNic(MacB);
        VirtualLink link = sim.Connect(a, b, new LinkFaults { BitsPerSecond = 1_000_000, QueueCapacity = 3 });

        for (int i = 0; i < 5; i++)
            a.TryTransmit(NumberedFrame.Create(MacB, MacA, i, 100));
        sim.RunFor(TimeSpan.FromSeconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(link.AToB.FramesSent, Is.EqualTo(3));
            Assert.That(link.AToB.FramesOverflowed, Is.EqualTo(2));
            Assert.That(b.FramesReceived, Is.EqualTo(3));
            Assert.That(link.AToB.QueuedFrames, Is.Zero);
        });
    }

    [Test]
    public void Loss_IsNearTheConfiguredRateAndReplaysExactlyForTheSameSeed()
    {
        var faults = new LinkFaults { Seed = 42, LossProbability = 0.1 };
        List<int> first = Stream(faults, frames: 10_000).Select(f => f.Number).ToList();
        List<int> replay = Stream(faults, frames: 10_000).Select(f => f.Number).ToList();
        List<int> otherSeed = Stream(faults with { Seed = 43 }, frames: 10_000).Select(f => f.Number).ToList();

        double lossRate = 1 - first.Count / 10_000.0;
        Assert.Multiple(() =>
        {
            Assert.That(lossRate, Is.InRange(0.09, 0.11));
            Assert.That(replay, Is.EqualTo(first));
            Assert.That(otherSeed, Is.Not.EqualTo(first));
        });
    }

    [Test]
    public void Duplication_DeliversSomeFramesTwiceAndReplays()
    {
        var faults = new LinkFaults { Seed = 7, DuplicationProbability = 0.05 };
        List<int> first = Stream(faults, frames: 2000).Select(f => f.Number).ToList();
        List<int> replay = Stream(faults, frames: 2000).Select(f => f.Number).ToList();

        int duplicates = first.Count - first.Distinct().Count();
        Assert.Multiple(() =>
        {
            Assert.That(duplicates, Is.InRange(50, 150));
            Assert.That(first.Distinct(), Is.EqualTo(Enumerable.Range(0, 2000)), "a copy follows its original; nothing else moves");
            Assert.That(replay, Is.EqualTo(first));
        });
    }

    [Test]
    public void Reordering_LetsLaterFramesOvertakeAndReplays()
    {
        var faults = new LinkFaults { Seed = 3, ReorderProbability = 0.05, ReorderDelay = TimeSpan.FromMilliseconds(3.5) };
        List<int> first = Stream(faults, frames: 2000).Select(f => f.Number).ToList();
        List<int> replay = Stream(faults, frames: 2000).Select(f => f.Number).ToList();

        int overtaken = first.Zip(first.Skip(1), (x, y) => x > y ? 1 : 0).Sum();
        Assert.Multiple(() =>
        {
            Assert.That(first.Order(), Is.EqualTo(Enumerable.Range(0, 2000)), "every frame still arrives once");
            Assert.That(overtaken, Is.InRange(50, 150));
            Assert.That(replay, Is.EqualTo(first));
        });
    }

    [Test]
    public void HeldBackFrame_ArrivesAfterTheFramesSentWithinTheReorderDelay()
    {
        var faults = new LinkFaults { Seed = 3, ReorderProbability = 0.05, ReorderDelay = TimeSpan.FromMilliseconds(3.5) };
        List<(TimeSpan Time, int Number, bool Intact)> frames = Stream(faults, frames: 2000);
        (TimeSpan time, int number, _) = frames.First(f => f.Number > 0 && frames.Any(g => g.Number == f.Number - 1 && g.Time > f.Time));

        // Sent every millisecond from t = 1 ms, so frame n goes at n + 1 ms; the held-back one lands 3.5 ms late.
        (TimeSpan heldTime, int heldNumber, _) = frames.Single(f => f.Number == number - 1);
        Assert.That(heldTime, Is.EqualTo(TimeSpan.FromMilliseconds(heldNumber + 1 + 3.5)));
        Assert.That(time, Is.EqualTo(TimeSpan.FromMilliseconds(number + 1)));
    }

    [Test]
    public void Corruption_FlipsOneBitInSomeFramesAndReplays()
    {
        var faults = new LinkFaults { Seed = 11, CorruptionProbability = 0.02 };
        List<(TimeSpan Time, int Number, bool Intact)> first = Stream(faults, frames: 5000);
        List<(TimeSpan Time, int Number, bool Intact)> replay = Stream(faults, frames: 5000);

        Assert.Multiple(() =>
        {
            Assert.That(first.Count(f => !f.Intact), Is.InRange(50, 150));
            Assert.That(replay, Is.EqualTo(first));
        });
    }

    [Test]
    public void CorruptedFrame_DiffersFromTheOriginalInExactlyOneBit()
    {
        using var sim = new NetworkSimulation();
        var a = new VirtualNic(MacA);
        var b = new VirtualNic(MacB);
        sim.Connect(a, b, new LinkFaults { Seed = 5, CorruptionProbability = 1 });
        byte[] sent = NumberedFrame.Create(MacB, MacA, 9, 300);
        byte[]? received = null;
        sim.FrameDelivered += (_, _, frame) => received = frame.ToArray();

        a.TryTransmit(sent);
        sim.RunFor(TimeSpan.Zero);

        Assert.That(received, Is.Not.Null);
        int differingBits = sent.Zip(received!, (x, y) => System.Numerics.BitOperations.PopCount((uint)(x ^ y))).Sum();
        Assert.That(differingBits, Is.EqualTo(1));
    }

    [Test]
    public void Jitter_DelaysWithinItsBoundWithoutReordering()
    {
        var faults = new LinkFaults { Seed = 1, PropagationDelay = TimeSpan.FromMilliseconds(5), Jitter = TimeSpan.FromMilliseconds(4) };
        List<(TimeSpan Time, int Number, bool Intact)> frames = Stream(faults, frames: 1000);
        List<TimeSpan> delays = frames.Select(f => f.Time - TimeSpan.FromMilliseconds(f.Number + 1)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(frames.Select(f => f.Number), Is.EqualTo(Enumerable.Range(0, 1000)));
            Assert.That(delays, Has.All.InRange(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(9)));
            Assert.That(delays.Distinct().Count(), Is.GreaterThan(100));
        });
    }

    [Test]
    public void InvalidFaults_AreRejectedWhenConnecting()
    {
        using var sim = new NetworkSimulation();
        Assert.That(
            () => sim.Connect(new VirtualNic(MacA), new VirtualNic(MacB), new LinkFaults { LossProbability = 1.5 }),
            Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    /// <summary>Sends <paramref name="frames"/> frames A→B, one per millisecond from t = 1 ms, and returns what reached B.</summary>
    private static List<(TimeSpan Time, int Number, bool Intact)> Stream(LinkFaults faults, int frames)
    {
        using var sim = new NetworkSimulation();
        var a = new VirtualNic(MacA);
        var b = new VirtualNic(MacB);
        sim.Connect(a, b, faults);
        NetLoop loopA = sim.CreateLoop(), loopB = sim.CreateLoop();
        var sender = new PeriodicSender(loopA, a, MacB, TimeSpan.FromMilliseconds(1), count: frames);
        _ = new PeriodicSender(loopB, b, MacA, TimeSpan.FromMilliseconds(1));
        var arrivals = new List<(TimeSpan, int, bool)>();
        sim.FrameDelivered += (time, receiver, frame) =>
        {
            if (receiver == b)
                arrivals.Add((time, NumberedFrame.ReadNumber(frame), NumberedFrame.IsIntact(frame)));
        };
        sender.Start(TimeSpan.FromMilliseconds(1));

        sim.RunFor(TimeSpan.FromMilliseconds(frames + 100));

        Assert.That(sender.Sent, Is.EqualTo(frames));
        return arrivals;
    }
}
