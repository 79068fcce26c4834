using Seqs.Scheduling;
using Seqs.Simulation;

namespace Seqs.Tests.Simulation;

public sealed class VirtualClockTests
{
    [Test]
    public void NewClock_StartsAtZeroAtItsEpoch()
    {
        var clock = new VirtualClock();
        Assert.Multiple(() =>
        {
            Assert.That(clock.Elapsed, Is.EqualTo(TimeSpan.Zero));
            Assert.That(clock.GetTimestamp(), Is.Zero);
            Assert.That(clock.GetUtcNow(), Is.EqualTo(VirtualClock.DefaultEpoch));
        });
    }

    [Test]
    public void Advance_MovesTimestampsAndWallClockTogether()
    {
        var epoch = new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new VirtualClock(epoch);
        clock.Advance(TimeSpan.FromMilliseconds(1500));
        clock.AdvanceTo(TimeSpan.FromSeconds(2));
        Assert.Multiple(() =>
        {
            Assert.That(clock.Elapsed, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(clock.GetElapsedTime(0), Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(clock.GetUtcNow(), Is.EqualTo(epoch.AddSeconds(2)));
        });
    }

    [Test]
    public void NetLoopNow_EqualsElapsedExactly()
    {
        var clock = new VirtualClock();
        using var loop = new NetLoop(clock);
        clock.Advance(new TimeSpan(123_456_789));
        Assert.That(loop.Now, Is.EqualTo(clock.Elapsed));
    }

    [Test]
    public void GoingBackwards_Throws()
    {
        var clock = new VirtualClock();
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Multiple(() =>
        {
            Assert.That(() => clock.AdvanceTo(TimeSpan.FromMilliseconds(999)), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => clock.Advance(TimeSpan.FromTicks(-1)), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void Timer_FiresAtItsDueTimeWithTheClockReadingThatTime()
    {
        var clock = new VirtualClock();
        var firedAt = new List<TimeSpan>();
        using ITimer timer = clock.CreateTimer(_ => firedAt.Add(clock.Elapsed), null, TimeSpan.FromMilliseconds(30), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromMilliseconds(29));
        Assert.That(firedAt, Is.Empty);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(firedAt, Is.EqualTo(new[] { TimeSpan.FromMilliseconds(30) }));
        Assert.That(clock.Elapsed, Is.EqualTo(TimeSpan.FromMilliseconds(1029)));
    }

    [Test]
    public void PeriodicTimer_FiresOncePerPeriodUntilDisposed()
    {
        var clock = new VirtualClock();
        var firedAt = new List<TimeSpan>();
        ITimer timer = clock.CreateTimer(_ => firedAt.Add(clock.Elapsed), null, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(25));

        clock.Advance(TimeSpan.FromMilliseconds(60));
        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.That(firedAt, Is.EqualTo(new[] { 10, 35, 60 }.Select(ms => TimeSpan.FromMilliseconds(ms))));
        Assert.That(clock.NextTimerDue, Is.Null);
    }

    [Test]
    public void TimersDueTogether_FireInCreationOrder()
    {
        var clock = new VirtualClock();
        var order = new List<string>();
        using ITimer late = clock.CreateTimer(_ => order.Add("late"), null, TimeSpan.FromMilliseconds(20), Timeout.InfiniteTimeSpan);
        using ITimer first = clock.CreateTimer(_ => order.Add("first"), null, TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);
        using ITimer second = clock.CreateTimer(_ => order.Add("second"), null, TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromMilliseconds(20));

        Assert.That(order, Is.EqualTo(new[] { "first", "second", "late" }));
    }

    [Test]
    public void ChangedTimer_FiresAtTheNewTimeOnly()
    {
        var clock = new VirtualClock();
        var firedAt = new List<TimeSpan>();
        using ITimer timer = clock.CreateTimer(_ => firedAt.Add(clock.Elapsed), null, TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);

        Assert.That(timer.Change(TimeSpan.FromMilliseconds(50), Timeout.InfiniteTimeSpan), Is.True);
        clock.Advance(TimeSpan.FromMilliseconds(100));

        Assert.That(firedAt, Is.EqualTo(new[] { TimeSpan.FromMilliseconds(50) }));
    }

    [Test]
    public void TaskDelay_CompletesWhenVirtualTimeReachesIt()
    {
        var clock = new VirtualClock();
        Task delay = Task.Delay(TimeSpan.FromSeconds(5), clock);

        clock.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.That(delay.IsCompleted, Is.False);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(delay.IsCompletedSuccessfully, Is.True);
    }
}
