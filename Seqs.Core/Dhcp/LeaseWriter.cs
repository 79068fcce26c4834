using Seqs.Scheduling;

namespace Seqs.Dhcp;

/// <summary>
/// Writes a <see cref="DhcpServer"/>'s leases to its <see cref="ILeaseStore"/> away from the loop thread. The server
/// hands over a whole snapshot on each change; the writer waits <see cref="Delay"/> after the first change so that
/// a burst of changes costs one write, keeps only the newest snapshot, runs one write at a time on the thread pool
/// (the store makes each write atomic: <see cref="FileLeaseStore"/> writes a temporary file, flushes it to disk and
/// renames it), and on <see cref="Dispose"/> waits for a write in progress and writes what is still pending, so
/// that stopping the server loses nothing. A <see cref="MemoryLeaseStore"/> is written on the loop instead: it copies
/// and does no I/O, so there is nothing to keep off the loop, and a simulation stays deterministic (no thread of its
/// own runs the stack's code at a time of the scheduler's choosing).
/// </summary>
internal sealed class LeaseWriter : IDisposable
{
    /// <summary>How long changes are gathered before they are written: one write a second at most.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    private readonly ILeaseStore _store;
    private readonly NetLoop _loop;
    private readonly NetTimer _timer;
    private readonly Action<Exception> _failed;
    private readonly object _gate = new();
    private readonly bool _writesOnTheLoop;
    private IReadOnlyList<DhcpLease>? _pending;
    private Task _writing = Task.CompletedTask;
    private bool _timerScheduled;
    private bool _running;
    private bool _disposed;
    private int _writes;

    /// <param name="failed">Called, on the writing thread, with what a failed write threw.</param>
    public LeaseWriter(ILeaseStore store, NetLoop loop, Action<Exception> failed)
    {
        _store = store;
        _loop = loop;
        _failed = failed;
        _writesOnTheLoop = store is MemoryLeaseStore;
        _timer = loop.CreateTimer(OnTimer);
    }

    /// <summary>Writes done so far.</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>The write in progress, or a completed task; for tests, which wait on it.</summary>
    public Task Writing
    {
        get
        {
            lock (_gate)
                return _writing;
        }
    }

    /// <summary>Replaces what is to be written with <paramref name="leases"/>, written within <see cref="Delay"/>. On the loop.</summary>
    public void Submit(IReadOnlyList<DhcpLease> leases)
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _pending = leases;
        }
        ScheduleTimer();
    }

    /// <summary>Waits for the write in progress, then writes what is pending, on the calling thread.</summary>
    public void Dispose()
    {
        Task writing;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            writing = _writing;
        }
        _timer.Cancel();
        writing.Wait();
        IReadOnlyList<DhcpLease>? pending;
        lock (_gate)
        {
            pending = _pending;
            _pending = null;
        }
        if (pending is not null)
            Write(pending);
    }

    private void ScheduleTimer()
    {
        if (_timerScheduled)
            return;
        _timerScheduled = true;
        _timer.Schedule(_loop.Now + Delay);
    }

    private void OnTimer()
    {
        _timerScheduled = false;
        IReadOnlyList<DhcpLease> leases;
        lock (_gate)
        {
            // A write still running schedules the pending snapshot when it ends (see WriteOnce).
            if (_pending is null || _running || _disposed)
                return;
            leases = _pending;
            _pending = null;
            _running = true;
            if (!_writesOnTheLoop)
            {
                _writing = Task.Run(() => WriteOnce(leases));
                return;
            }
        }
        WriteOnce(leases);
    }

    private void WriteOnce(IReadOnlyList<DhcpLease> leases)
    {
        Write(leases);
        lock (_gate)
        {
            _running = false;
            if (_pending is null || _disposed)
                return;
        }
        // Changes came in while this write ran: they wait their own delay, on the loop.
        _loop.Post(_ => ScheduleTimer(), null);
    }

    private void Write(IReadOnlyList<DhcpLease> leases)
    {
        try
        {
            _store.Save(leases);
            Interlocked.Increment(ref _writes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not retried on a timer: a store that fails keeps failing (a read-only card). The next change hands
            // over a whole snapshot again.
            _failed(e);
        }
    }
}
