namespace Seqs.Scheduling;

/// <summary>
/// The cooperative scheduler that owns a stack: one thread runs every protocol timer, every frame and every user
/// continuation, so the stack needs no locks. A turn (<see cref="RunOnce"/>) takes a bounded batch of frames from
/// each participant, fires the timers that are due, runs the continuations queued before the turn began, and
/// flushes what is waiting to be sent. <see cref="Run"/> repeats turns and, when a turn finds nothing to do, arms
/// the NICs' wake-ups and sleeps until the next timer or a wake-up (or sleeps in its <see cref="Sleeper"/>): an idle
/// loop uses no CPU.
/// All time comes from the injected <see cref="TimeProvider"/>; a simulation drives turns itself in virtual time.
/// </summary>
public sealed class NetLoop : IDisposable
{
    /// <summary>Frames taken from each participant per turn, so that a flood cannot starve timers and users.</summary>
    public const int DefaultReceiveBatch = 32;

    private readonly TimeProvider _time;
    private readonly TimerQueue _timers = new();
    private readonly Queue<WorkItem> _localWork = new();
    // Posts from other threads are rare (user calls made off the loop), so a locked queue that starts empty costs
    // less memory than a concurrent one.
    private readonly Queue<WorkItem> _remoteWork = new();
    private int _remoteCount;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Action _wakeUp;
    private readonly Action<Exception> _onException;
    private readonly int _receiveBatch;
    private readonly double _ticksPerTimestamp;
    private ILoopParticipant[] _participants = [];
    // The thread running a turn, or null between turns. A field rather than a thread-static: a thread-static read
    // costs a call into the runtime's thread-local storage, several times per turn.
    private Thread? _turnThread;
    private int _sleeping;
    // The time read once at the start of a turn, which everything in the turn sees (NoTurn between turns).
    private const long NoTurn = long.MinValue;
    private long _turnTicks = NoTurn;

    public NetLoop(TimeProvider timeProvider, int receiveBatch = DefaultReceiveBatch)
    {
        if (timeProvider is null)
            throw new ArgumentNullException(nameof(timeProvider));
        if (receiveBatch < 1)
            throw new ArgumentOutOfRangeException(nameof(receiveBatch), receiveBatch, "The receive batch must be at least one frame.");
        _time = timeProvider;
        _receiveBatch = receiveBatch;
        _ticksPerTimestamp = (double)TimeSpan.TicksPerSecond / timeProvider.TimestampFrequency;
        _wakeUp = WakeUp;
        _onException = OnException;
        SynchronizationContext = new NetLoopSynchronizationContext(this);
    }

    public TimeProvider TimeProvider => _time;

    /// <summary>
    /// How long <see cref="Run"/> keeps taking turns after the last one that did something before it sleeps. Zero
    /// (the default) sleeps at once, which suits a NIC whose every poll costs bus traffic (SPI). On a host NIC
    /// (TAP), where a poll is a cheap system call and traffic often resumes within microseconds, a few tens of
    /// microseconds save the thread switches of a sleep and a wake-up per burst, at the cost of that much CPU.
    /// </summary>
    public TimeSpan SpinBeforeSleep { get; set; }

    /// <summary>
    /// The NIC that holds the loop's thread while <see cref="Run"/> sleeps, or null (the default) to sleep on an event
    /// that the participants' armed wake-ups set. With a sleeper no participant is armed, so it must be the NIC of
    /// every attached participant. Set it before <see cref="Run"/>.
    /// </summary>
    public ILoopSleeper? Sleeper { get; set; }

    /// <summary>
    /// Raised on the loop's thread when a timer callback or queued work throws. The loop keeps running; without a
    /// handler the exception is dropped after being counted in <see cref="UnhandledExceptionCount"/>.
    /// </summary>
    public event EventHandler<Exception>? UnhandledException;

    public long UnhandledExceptionCount { get; private set; }

    /// <summary>The context that resumes awaits on this loop.</summary>
    public NetLoopSynchronizationContext SynchronizationContext { get; }

    /// <summary>
    /// Loop time: the injected clock's timestamp as a <see cref="TimeSpan"/>. Only differences are meaningful.
    /// During a turn it is the time the turn began, read once, as a kernel takes one timestamp for a batch of
    /// packets: what the turn does happens at one instant, and the clock is not read dozens of times per frame.
    /// </summary>
    public TimeSpan Now
    {
        get
        {
            long turn = Volatile.Read(ref _turnTicks);
            return turn != NoTurn ? new TimeSpan(turn) : ReadClock();
        }
    }

    private TimeSpan ReadClock()
    {
        long timestamp = _time.GetTimestamp();
        return _ticksPerTimestamp == 1.0 ? new TimeSpan(timestamp) : new TimeSpan((long)(timestamp * _ticksPerTimestamp));
    }

    /// <summary>True on the thread that is running a turn of this loop.</summary>
    public bool IsOnLoopThread => _turnThread == Thread.CurrentThread;

    /// <summary>
    /// When the loop next has something to do: now if work is queued, else the earliest timer; null when only a
    /// frame or a post can give it work.
    /// </summary>
    public TimeSpan? NextDeadline => HasQueuedWork ? Now : _timers.NextDeadline;

    private bool HasQueuedWork => _localWork.Count > 0 || Volatile.Read(ref _remoteCount) > 0;

    public void Attach(ILoopParticipant participant)
    {
        if (participant is null)
            throw new ArgumentNullException(nameof(participant));
        _participants = [.. _participants, participant];
    }

    /// <summary>Creates a timer whose callback runs on this loop. Create timers once and reschedule them.</summary>
    public NetTimer CreateTimer(Action callback)
    {
        if (callback is null)
            throw new ArgumentNullException(nameof(callback));
        return _timers.Create(callback);
    }

    /// <summary>Schedules (or moves) a timer the stack embeds in one of its objects.</summary>
    internal void Schedule(LoopTimer timer, TimeSpan deadline) => _timers.Schedule(timer, deadline);

    internal void Cancel(LoopTimer timer) => _timers.Remove(timer);

    /// <summary>Queues work to run on the loop; safe from any thread. Work posted from the loop runs next turn.</summary>
    public void Post(SendOrPostCallback callback, object? state)
    {
        if (IsOnLoopThread)
        {
            _localWork.Enqueue(new WorkItem(callback, state));
            return;
        }
        lock (_remoteWork)
        {
            _remoteWork.Enqueue(new WorkItem(callback, state));
            Interlocked.Increment(ref _remoteCount);
        }
        WakeUp();
    }

    /// <summary>Runs <paramref name="work"/> on the loop and completes when it does; safe from any thread.</summary>
    public Task InvokeAsync(Func<Task> work)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        return InvokeAsync(async () =>
        {
            await work().ConfigureAwait(true);
            return true;
        });
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the loop and completes with its result; safe from any thread. Awaits inside
    /// <paramref name="work"/> resume on the loop.
    /// </summary>
    public Task<T> InvokeAsync<T>(Func<Task<T>> work)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(static s =>
        {
            var (w, c) = ((Func<Task<T>>, TaskCompletionSource<T>))s!;
            Task<T> task;
            try
            {
                task = w() ?? throw new InvalidOperationException("InvokeAsync work returned a null Task.");
            }
            catch (Exception e)
            {
                c.TrySetException(e);
                return;
            }
            task.ContinueWith(static (t, cs) =>
            {
                var tcs = (TaskCompletionSource<T>)cs!;
                if (t.IsFaulted)
                    tcs.TrySetException(t.Exception!.InnerExceptions);
                else if (t.IsCanceled)
                    tcs.TrySetCanceled();
                else
                    tcs.TrySetResult(t.Result);
            }, c, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }, (work, completion));
        return completion.Task;
    }

    /// <summary>
    /// Runs one turn on the calling thread, which becomes the loop's thread for its duration. Returns true when the
    /// turn did something (a frame, a timer, a continuation), false when the loop was idle.
    /// </summary>
    public bool RunOnce()
    {
        Thread? previousThread = _turnThread;
        SynchronizationContext? previousContext = System.Threading.SynchronizationContext.Current;
        long previousTurn = _turnTicks;
        _turnThread = Thread.CurrentThread;
        if (previousContext != SynchronizationContext)
            System.Threading.SynchronizationContext.SetSynchronizationContext(SynchronizationContext);
        try
        {
            TimeSpan now = ReadClock();
            Volatile.Write(ref _turnTicks, now.Ticks);
            ILoopParticipant[] participants = _participants;
            int work = 0;
            foreach (ILoopParticipant participant in participants)
                work += participant.Receive(_receiveBatch);
            work += _timers.RunDue(now, _onException);
            work += RunQueuedWork();
            foreach (ILoopParticipant participant in participants)
                participant.Transmit();
            return work > 0;
        }
        finally
        {
            Volatile.Write(ref _turnTicks, previousTurn);
            if (previousContext != SynchronizationContext)
                System.Threading.SynchronizationContext.SetSynchronizationContext(previousContext);
            _turnThread = previousThread;
        }
    }

    /// <summary>
    /// Runs turns on the calling thread until <paramref name="cancellationToken"/> is cancelled, sleeping whenever a
    /// turn finds nothing to do.
    /// </summary>
    public void Run(CancellationToken cancellationToken)
    {
        using CancellationTokenRegistration registration = cancellationToken.Register(static s => ((NetLoop)s!).WakeUp(), this);
        // The context stays installed between turns, so that each turn finds it in place.
        SynchronizationContext? previousContext = System.Threading.SynchronizationContext.Current;
        System.Threading.SynchronizationContext.SetSynchronizationContext(SynchronizationContext);
        try
        {
            RunTurns(cancellationToken);
        }
        finally
        {
            System.Threading.SynchronizationContext.SetSynchronizationContext(previousContext);
        }
    }

    private void RunTurns(CancellationToken cancellationToken)
    {
        long lastWork = _time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (RunOnce())
            {
                lastWork = _time.GetTimestamp();
                continue;
            }
            if (SpinBeforeSleep > TimeSpan.Zero && _time.GetElapsedTime(lastWork) < SpinBeforeSleep)
            {
                Thread.SpinWait(20);
                continue;
            }
            Interlocked.Exchange(ref _sleeping, 1);
            ILoopSleeper? sleeper = Sleeper;
            if (sleeper is null)
            {
                _wake.Reset();
                foreach (ILoopParticipant participant in _participants)
                    participant.ArmWakeUp(_wakeUp);
            }
            // A post after this check finds _sleeping set and wakes the sleep (WakeUp), so none is slept through.
            if (!HasQueuedWork && !cancellationToken.IsCancellationRequested)
            {
                if (sleeper is null)
                    _wake.Wait(SleepTime());
                else
                    sleeper.Sleep(SleepTime());
            }
            Interlocked.Exchange(ref _sleeping, 0);
        }
    }

    /// <summary>Starts <see cref="Run"/> on a dedicated background thread; the task completes when it stops.</summary>
    public Task Start(CancellationToken cancellationToken)
    {
        var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(cancellationToken);
                stopped.TrySetResult(true);
            }
            catch (Exception e)
            {
                stopped.TrySetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "Seqs NetLoop",
        };
        thread.Start();
        return stopped.Task;
    }

    public void Dispose() => _wake.Dispose();

    private TimeSpan SleepTime()
    {
        TimeSpan? deadline = _timers.NextDeadline;
        if (deadline is null)
            return Timeout.InfiniteTimeSpan;
        TimeSpan wait = deadline.Value - Now;
        if (wait < TimeSpan.Zero)
            return TimeSpan.Zero;
        // Round up so that the loop wakes at or after the deadline rather than one spin early.
        long ms = (wait.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        return TimeSpan.FromMilliseconds(Math.Min(ms, int.MaxValue - 1));
    }

    private int RunQueuedWork()
    {
        int ran = 0;
        int local = _localWork.Count;
        for (int i = 0; i < local; i++)
        {
            Invoke(_localWork.Dequeue());
            ran++;
        }
        int remote = Volatile.Read(ref _remoteCount);
        for (int i = 0; i < remote; i++)
        {
            WorkItem item;
            lock (_remoteWork)
            {
                item = _remoteWork.Dequeue();
                Interlocked.Decrement(ref _remoteCount);
            }
            Invoke(item);
            ran++;
        }
        return ran;
    }

    private void Invoke(WorkItem item)
    {
        try
        {
            item.Invoke();
        }
        catch (Exception e)
        {
            OnException(e);
        }
    }

    private void OnException(Exception exception)
    {
        UnhandledExceptionCount++;
        UnhandledException?.Invoke(this, exception);
    }

    private void WakeUp()
    {
        if (Volatile.Read(ref _sleeping) == 0)
            return;
        if (Sleeper is { } sleeper)
            sleeper.Interrupt();
        else
            _wake.Set();
    }

    private readonly struct WorkItem(SendOrPostCallback callback, object? state)
    {
        public void Invoke() => callback(state);
    }
}
