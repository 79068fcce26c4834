using Seqs.Diagnostics;
using Seqs.Simulation;

namespace Seqs.Tests.Diagnostics;

/// <summary>The per-call-site log limit, in virtual time: five lines a minute, the rest counted and reported.</summary>
public sealed class LogGateTests
{
    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);

    [Test]
    public void FirstFiveLinesOfAMinute_Pass_AndTheRestAreHeldBack()
    {
        var gate = new LogGate();

        bool[] passed = [.. Enumerable.Range(0, 8).Select(i => gate.TryEnter(At(i), out _))];

        Assert.That(passed, Is.EqualTo(new[] { true, true, true, true, true, false, false, false }));
    }

    [Test]
    public void FirstLineOfTheNextMinute_SaysHowManyWereHeldBack_AndTheCountStartsOver()
    {
        var gate = new LogGate();
        for (int i = 0; i < 100; i++)
            gate.TryEnter(At(i * 0.5), out _);

        bool held = gate.TryEnter(At(59.9), out _);
        bool passed = gate.TryEnter(At(60), out int suppressed);
        gate.TryEnter(At(61), out int nextSuppressed);

        Assert.That(held, Is.False);
        Assert.That(passed, Is.True);
        Assert.That(suppressed, Is.EqualTo(96));
        Assert.That(LogGate.Note(suppressed), Is.EqualTo(" (96 suppressed)"));
        Assert.That(nextSuppressed, Is.Zero);
        Assert.That(LogGate.Note(nextSuppressed), Is.Empty);
    }

    [Test]
    public void InformationGate_LetsTwentyLinesAMinuteThrough()
    {
        var gate = new LogGate(LogGate.InformationLinesPerMinute);

        int passed = Enumerable.Range(0, 100).Count(i => gate.TryEnter(At(i * 0.1), out _));

        Assert.That(passed, Is.EqualTo(20));
    }

    [Test]
    public void TimeFromTheInjectedClock_OpensTheNextMinute()
    {
        var clock = new VirtualClock();
        var gate = new LogGate(linesPerMinute: 1);
        gate.TryEnter(clock, out _);
        bool sameMinute = gate.TryEnter(clock, out _);

        clock.Advance(LogGate.Window);

        Assert.That(sameMinute, Is.False);
        Assert.That(gate.TryEnter(clock, out int suppressed), Is.True);
        Assert.That(suppressed, Is.EqualTo(1));
    }

    [Test]
    public void TryEnter_AllocatesNothing()
    {
        var gate = new LogGate();
        gate.TryEnter(At(0), out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
            gate.TryEnter(At(i * 0.01), out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
    }
}
