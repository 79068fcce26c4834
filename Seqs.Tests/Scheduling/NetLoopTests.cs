using Seqs.Hal;
using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Scheduling;

public sealed class NetLoopTests
{
    /// <summary>Generous: these only bound waits for things that happen within milliseconds on an idle machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Test]
    public void Timers_FireInDeadlineOrderAndSameDeadlinesInSchedulingOrder()
    {
        var clock = new VirtualClock();
        using var loop = new NetLoop(clock);
        var fired = new List<string>();
        foreach ((string name, int ms) in new[] { ("c30", 30), ("a10", 10), ("b20", 20), ("a10'", 10), ("a10''", 10) })
            loop.CreateTimer(() => fired.Add(name)).Schedule(TimeSpan.FromMilliseconds(ms));

        clock.Advance(TimeSpan.FromMilliseconds(30));
        loop.RunOnce();

        Assert.That(fired, Is.EqualTo(new[] { "a10", "a10'", "a10''", "b20", "c30" }));
    }

    [Test]
    public void Timer_FiresOnlyOnceItsDeadlineIsReached()
    {
        var clock = new VirtualClock();
        using var loop = new NetLoop(clock);
        int fired = 0;
        loop.CreateTimer(() => fired++).Schedule(TimeSpan.FromMilliseconds(10));

        clock.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond * 10 - 1));
        Assert.That(loop.RunOnce(), Is.False);
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.That(loop.RunOnce(), Is.True);
        Assert.That(fired, Is.EqualTo(1));
        Assert.That(loop.NextDeadline, Is.Null);
    }

    [Test]
    public void RescheduledTimer_FiresOnlyAtItsNewDeadline()
    {
        var clock = new VirtualClock();
        using var loop = new NetLoop(clock);
        var firedAt = new List<TimeSpan>();
        NetTimer timer = loop.CreateTimer(() => firedAt.Add(loop.Now));
        timer.Schedule(TimeSpan.FromMilliseconds(10));
        timer.Schedule(TimeSpan.FromMilliseconds(25));
        Assert.That(loop.NextDeadline, Is.EqualTo(TimeSpan.FromMilliseconds(25)));

        for (int ms = 5; ms <= 50; ms += 5)
        {
            clock.AdvanceTo(TimeSpan.FromMilliseconds(ms));
            loop.RunOnce();
        }

        Assert.That(firedAt, Is.EqualTo(new[] { TimeSpan.FromMilliseconds(25) }));
    }

    [Test]
    public void CancelledTimer_NeverFires()
    {
        var clock = new VirtualClock();
        using var loop = new NetLoop(clock);
        int fired = 0;
        NetTimer cancelled = loop.CreateTimer(() => fired++);
        NetTimer other = loop.CreateTimer(() => { });
        cancelled.Schedule(TimeSpan.FromMilliseconds(10));
        other.Schedule(TimeSpan.FromMilliseconds(20));

        cancelled.Cancel();
        cancelled.Cancel();
        clock.Advance(TimeSpan.FromSeconds(1));
        loop.RunOnce();

        Assert.Multiple(() =>
        {
            Assert.That(fired, Is.Zero);
            Assert.That(cancelled.IsScheduled, Is.False);
            Assert.That(other.IsScheduled, Is.False);
        });
    }

    [Test]
    public void TimerRescheduledForNowByItsCallback_WaitsForTheNextTurn()
    {
        var clock = new VirtualClock();
        using var loop = new NetLoop(clock);
        int fired = 0;
        NetTimer timer = null!;
        timer = loop.CreateTimer(() =>
        {
            fired++;
            timer.Schedule(loop.Now);
        });
        timer.Schedule(TimeSpan.Zero);

        loop.RunOnce();
        Assert.That(fired, Is.EqualTo(1));
        loop.RunOnce();
        Assert.That(fired, Is.EqualTo(2));
    }

    [Test]
    public void ManyTimers_FireInDeadlineOrderWhateverTheSchedulingOrder()
    {
        var clock = new VirtualClock();
        using var loop = new NetLoop(clock);
        var random = new Random(5);
        var fired = new List<TimeSpan>();
        var timers = new List<NetTimer>();
        for (int i = 0; i < 500; i++)
        {
            NetTimer timer = null!;
            timer = loop.CreateTimer(() => fired.Add(timer.Deadline));
            timer.Schedule(TimeSpan.FromMilliseconds(random.Next(1000)));
            timers.Add(timer);
        }
        for (int i = 0; i < 100; i++)
            timers[random.Next(timers.Count)].Cancel();
        for (int i = 0; i < 100; i++)
            timers[random.Next(timers.Count)].Schedule(TimeSpan.FromMilliseconds(random.Next(1000)));
        int scheduled = timers.Count(t => t.IsScheduled);

        clock.Advance(TimeSpan.FromSeconds(1));
        loop.RunOnce();

        Assert.That(fired, Has.Count.EqualTo(scheduled));
        Assert.That(fired, Is.Ordered);
    }

    [Test]
    public void ThrowingCallbacks_AreReportedAndTheLoopKeepsGoing()
    {
        var clock = new VirtualClock();
        using var loop = new NetLoop(clock);
        var reported = new List<string>();
        loop.UnhandledException += (_, e) => reported.Add(e.Message);
        bool laterTimerFired = false, laterWorkRan = false;
        loop.CreateTimer(() => throw new InvalidOperationException("timer")).Schedule(TimeSpan.Zero);
        loop.CreateTimer(() => laterTimerFired = true).Schedule(TimeSpan.Zero);
        loop.Post(_ => throw new InvalidOperationException("work"), null);
        loop.Post(_ => laterWorkRan = true, null);

        Assert.That(() => loop.RunOnce(), Throws.Nothing);
        Assert.Multiple(() =>
        {
            Assert.That(reported, Is.EqualTo(new[] { "timer", "work" }));
            Assert.That(loop.UnhandledExceptionCount, Is.EqualTo(2));
            Assert.That(laterTimerFired, Is.True);
            Assert.That(laterWorkRan, Is.True);
        });
    }

    [Test]
    public async Task WorkPostedFromAnotherThread_RunsOnTheLoopWithItsSynchronizationContext()
    {
        var clock = new VirtualClock();
        using var loop = new NetLoop(clock);
        SynchronizationContext? seenContext = null;
        bool onLoop = false;

        await Task.Run(() => loop.Post(_ =>
        {
            seenContext = SynchronizationContext.Current;
            onLoop = loop.IsOnLoopThread;
        }, null));
        Assert.That(loop.NextDeadline, Is.EqualTo(loop.Now), "queued work is due now");
        loop.RunOnce();

        Assert.Multiple(() =>
        {
            Assert.That(seenContext, Is.SameAs(loop.SynchronizationContext));
            Assert.That(onLoop, Is.True);
            Assert.That(loop.IsOnLoopThread, Is.False);
        });
    }

    [Test]
    public async Task AwaitInsideInvokeAsync_ResumesOnTheLoop()
    {
        using var loop = new NetLoop(TimeProvider.System);
        using var cts = new CancellationTokenSource();
        Task running = loop.Start(cts.Token);
        int loopThread = -1, resumedThread = -2;
        bool resumedOnLoop = false;

        await loop.InvokeAsync(async () =>
        {
            loopThread = Environment.CurrentManagedThreadId;
            await Task.Delay(20);
            resumedThread = Environment.CurrentManagedThreadId;
            resumedOnLoop = loop.IsOnLoopThread && SynchronizationContext.Current == loop.SynchronizationContext;
        }).WaitAsync(Patience);
        cts.Cancel();
        await running.WaitAsync(Patience);

        Assert.That(resumedThread, Is.EqualTo(loopThread));
        Assert.That(resumedOnLoop, Is.True);
    }

    [Test]
    public void InvokeAsync_CompletesWithTheWorksException()
    {
        var clock = new VirtualClock();
        using var loop = new NetLoop(clock);
        Task work = loop.InvokeAsync(() => throw new InvalidOperationException("boom"));
        loop.RunOnce();

        Assert.That(work.IsFaulted, Is.True);
        Assert.That(work.Exception!.InnerException, Is.TypeOf<InvalidOperationException>());
    }

    [Test]
    public async Task IdleRun_SleepsInsteadOfSpinning()
    {
        using var loop = new NetLoop(TimeProvider.System);
        var nic = new VirtualNic(MacAddress.Parse("02:00:00:00:00:01"));
        var receiver = new SignallingReceiver(nic);
        loop.Attach(receiver);
        using var cts = new CancellationTokenSource();
        Task running = loop.Start(cts.Token);

        await Task.Delay(200);
        int turns = receiver.Turns;
        cts.Cancel();
        await running.WaitAsync(Patience);

        // A spinning loop would turn millions of times; a sleeping one turns once, then waits.
        Assert.That(turns, Is.InRange(1, 10));
    }

    [Test]
    public async Task SleepingRun_WakesForWorkPostedFromAnotherThread()
    {
        using var loop = new NetLoop(TimeProvider.System);
        using var cts = new CancellationTokenSource();
        Task running = loop.Start(cts.Token);
        await Task.Delay(50);

        var ran = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(_ => ran.TrySetResult(loop.IsOnLoopThread), null);

        Assert.That(await ran.Task.WaitAsync(Patience), Is.True);
        cts.Cancel();
        await running.WaitAsync(Patience);
    }

    [Test]
    public async Task SleepingRun_WakesWhenTheNicHasAFrame()
    {
        using var loop = new NetLoop(TimeProvider.System);
        var nic = new VirtualNic(MacAddress.Parse("02:00:00:00:00:01"));
        var receiver = new SignallingReceiver(nic);
        loop.Attach(receiver);
        using var cts = new CancellationTokenSource();
        Task running = loop.Start(cts.Token);
        await Task.Delay(50);

        nic.InjectReceived(new byte[60]);

        Assert.That(await receiver.FirstFrame.Task.WaitAsync(Patience), Is.True);
        cts.Cancel();
        await running.WaitAsync(Patience);
    }

    [Test]
    public async Task SleepingRun_WakesForItsNextTimer()
    {
        using var loop = new NetLoop(TimeProvider.System);
        using var cts = new CancellationTokenSource();
        Task running = loop.Start(cts.Token);
        var fired = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        TimeSpan deadline = default;

        await loop.InvokeAsync(() =>
        {
            deadline = loop.Now + TimeSpan.FromMilliseconds(50);
            loop.CreateTimer(() => fired.TrySetResult(loop.Now)).Schedule(deadline);
            return Task.CompletedTask;
        }).WaitAsync(Patience);

        Assert.That(await fired.Task.WaitAsync(Patience), Is.GreaterThanOrEqualTo(deadline));
        cts.Cancel();
        await running.WaitAsync(Patience);
    }

    [Test]
    public async Task Cancellation_StopsASleepingRun()
    {
        using var loop = new NetLoop(TimeProvider.System);
        using var cts = new CancellationTokenSource();
        Task running = loop.Start(cts.Token);
        await Task.Delay(50);

        cts.Cancel();

        await running.WaitAsync(Patience);
        Assert.That(running.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public async Task RunWithASleeper_SleepsInIt_ArmsNoParticipant_AndIsInterruptedByAPost()
    {
        using var loop = new NetLoop(TimeProvider.System);
        var nic = new VirtualNic(MacAddress.Parse("02:00:00:00:00:01"));
        var receiver = new ArmCountingReceiver(nic);
        loop.Attach(receiver);
        using var sleeper = new RecordingSleeper();
        loop.Sleeper = sleeper;
        using var cts = new CancellationTokenSource();
        Task running = loop.Start(cts.Token);
        Assert.That(await sleeper.Entered.Task.WaitAsync(Patience), Is.EqualTo(Timeout.InfiniteTimeSpan), "no timer: an unbounded sleep");

        var ran = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(_ => ran.TrySetResult(loop.IsOnLoopThread), null);

        Assert.That(await ran.Task.WaitAsync(Patience), Is.True);
        cts.Cancel();
        await running.WaitAsync(Patience);
        Assert.Multiple(() =>
        {
            Assert.That(sleeper.Interrupts, Is.GreaterThanOrEqualTo(1), "the post interrupted the sleep");
            Assert.That(receiver.Arms, Is.Zero, "the sleeper replaces the participants' wake-ups");
        });
    }

    [Test]
    public async Task RunWithASleeper_SleepsNoLongerThanTheNextTimer()
    {
        using var loop = new NetLoop(TimeProvider.System);
        using var sleeper = new RecordingSleeper();
        loop.Sleeper = sleeper;
        using var cts = new CancellationTokenSource();
        Task running = loop.Start(cts.Token);
        await sleeper.Entered.Task.WaitAsync(Patience);
        var fired = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        TimeSpan deadline = default;

        await loop.InvokeAsync(() =>
        {
            deadline = loop.Now + TimeSpan.FromSeconds(30);
            loop.CreateTimer(() => fired.TrySetResult(loop.Now)).Schedule(deadline);
            return Task.CompletedTask;
        }).WaitAsync(Patience);
        TimeSpan longest = await sleeper.NextBoundedSleep.Task.WaitAsync(Patience);
        cts.Cancel();
        await running.WaitAsync(Patience);

        Assert.That(longest, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(30)));
    }

    /// <summary>A sleeper that records its sleeps and wakes on <see cref="Interrupt"/> (or its timeout).</summary>
    private sealed class RecordingSleeper : ILoopSleeper, IDisposable
    {
        private readonly SemaphoreSlim _interrupted = new(0);
        private int _interrupts;

        public TaskCompletionSource<TimeSpan> Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<TimeSpan> NextBoundedSleep { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Interrupts => Volatile.Read(ref _interrupts);

        public void Sleep(TimeSpan timeout)
        {
            Entered.TrySetResult(timeout);
            if (timeout != Timeout.InfiniteTimeSpan)
                NextBoundedSleep.TrySetResult(timeout);
            _interrupted.Wait(timeout);
        }

        public void Interrupt()
        {
            Interlocked.Increment(ref _interrupts);
            _interrupted.Release();
        }

        public void Dispose() => _interrupted.Dispose();
    }

    /// <summary>A participant that counts how often the loop armed its wake-up.</summary>
    private sealed class ArmCountingReceiver(IEthernetNic nic) : ILoopParticipant
    {
        private int _arms;

        public int Arms => Volatile.Read(ref _arms);

        public int Receive(int maxFrames) => 0;

        public void Transmit()
        {
        }

        public void ArmWakeUp(Action wakeUp)
        {
            Interlocked.Increment(ref _arms);
            nic.ArmWakeUp(wakeUp);
        }
    }

    /// <summary>A clock that moves one millisecond every time it is read.</summary>
    private sealed class RunningClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks += TimeSpan.TicksPerMillisecond;
    }

    [Test]
    public void Now_IsTheTurnsStartForEverythingInTheTurn_AndTheClockBetweenTurns()
    {
        using var loop = new NetLoop(new RunningClock());
        var seen = new List<TimeSpan>();
        loop.Post(_ =>
        {
            seen.Add(loop.Now);
            seen.Add(loop.Now);
        }, null);
        loop.CreateTimer(() => seen.Add(loop.Now)).Schedule(TimeSpan.Zero);
        loop.RunOnce();
        TimeSpan between = loop.Now;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen, Has.Count.EqualTo(3));
            Assert.That(seen.Distinct().Count(), Is.EqualTo(1), "the timer and the posted work saw the same instant");
            Assert.That(between, Is.GreaterThan(seen[0]), "outside a turn the clock is read afresh");
        }
    }
}
