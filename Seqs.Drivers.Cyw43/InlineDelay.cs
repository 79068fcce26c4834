namespace Seqs.Drivers.Cyw43;

/// <summary>
/// A delay on a <see cref="TimeProvider"/> whose awaiting code resumes on the thread that fires the timer, not on
/// the thread pool (<c>Task.Delay</c> with a TimeProvider resumes asynchronously). On a device that is the timer
/// thread; in a simulation it is the thread that advances the virtual clock, so a driver's polls, backoffs and
/// rejoins run at exact virtual instants and a test replays them the same way every time.
/// </summary>
internal sealed class InlineDelay
{
    private readonly TaskCompletionSource<bool> _completion = new();
    private ITimer? _timer;
    private CancellationTokenRegistration _cancellation;

    private InlineDelay()
    {
    }

    public static Task Start(TimeProvider time, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled(cancellationToken);
        var wait = new InlineDelay();
        ITimer timer = time.CreateTimer(static s => ((InlineDelay)s!).Finish(canceled: false), wait, delay, Timeout.InfiniteTimeSpan);
        Volatile.Write(ref wait._timer, timer);
        if (cancellationToken.CanBeCanceled)
            wait._cancellation = cancellationToken.Register(static s => ((InlineDelay)s!).Finish(canceled: true), wait);
        if (wait._completion.Task.IsCompleted)
            wait.Release();
        return wait._completion.Task;
    }

    private void Finish(bool canceled)
    {
        // The runtime resumes an awaiter inline only where no SynchronizationContext is current; a test runner's
        // thread that advances a virtual clock has one, which would send the rest of the driver to the thread pool.
        SynchronizationContext? context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            bool finished = canceled ? _completion.TrySetCanceled() : _completion.TrySetResult(true);
            if (finished)
                Release();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private void Release()
    {
        Interlocked.Exchange(ref _timer, null)?.Dispose();
        _cancellation.Dispose();
    }
}
