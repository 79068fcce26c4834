using System.Threading.Tasks.Sources;

namespace Seqs.Scheduling;

/// <summary>
/// A reusable awaitable for one outstanding operation at a time on a <see cref="NetLoop"/> (a socket's receive,
/// a connection's read or write). Completions are posted as loop work, never run inside frame handling, and the
/// continuation then runs inline on the loop: code awaiting on the loop resumes in the same turn, deterministic
/// in simulation and free of allocation once warm. Only code running on the loop may await it directly.
/// </summary>
internal sealed class LoopCompletion<T> : IValueTaskSource<T>, IValueTaskSource
{
    private static readonly SendOrPostCallback s_complete = static s => ((LoopCompletion<T>)s!).Complete();
    private static readonly Action<object?> s_canceled = static s => ((LoopCompletion<T>)s!).OnCanceled();

    private readonly NetLoop _loop;
    private ManualResetValueTaskSourceCore<T> _core = new() { RunContinuationsAsynchronously = false };
    private bool _armed;
    private bool _completionPosted;
    private T _result = default!;
    private Exception? _error;
    private CancellationToken _token;
    private CancellationTokenRegistration _registration;

    public LoopCompletion(NetLoop loop) => _loop = loop;

    /// <summary>An operation is outstanding: armed and not yet observed by its awaiter.</summary>
    public bool IsBusy => _armed || _completionPosted;

    /// <summary>Armed and waiting for <see cref="SetResult"/> or <see cref="SetException"/>.</summary>
    public bool IsArmed => _armed;

    public ValueTask<T> Arm(CancellationToken cancellationToken) => new(this, ArmCore(cancellationToken));

    /// <summary>Arms for an operation whose awaiter wants no result (a write).</summary>
    public ValueTask ArmWithoutResult(CancellationToken cancellationToken) => new(this, ArmCore(cancellationToken));

    private short ArmCore(CancellationToken cancellationToken)
    {
        if (IsBusy)
            throw new InvalidOperationException("Another operation of this kind is already outstanding.");
        _core.Reset();
        _armed = true;
        _token = cancellationToken;
        if (cancellationToken.CanBeCanceled)
            _registration = cancellationToken.Register(s_canceled, this);
        return _core.Version;
    }

    public void SetResult(T result) => Post(result, null);

    public void SetException(Exception error) => Post(default!, error);

    /// <summary>
    /// Completes at once: the awaiter's continuation runs inline, before this returns. Only for loop work that is not
    /// in the middle of the stack's own processing (a connection's work after a signal), where running application
    /// code is safe; elsewhere use <see cref="SetResult"/>, which posts.
    /// </summary>
    public void SetResultNow(T result)
    {
        if (Disarm())
            _core.SetResult(result);
    }

    /// <summary>Fails at once; see <see cref="SetResultNow"/>.</summary>
    public void SetExceptionNow(Exception error)
    {
        if (Disarm())
            _core.SetException(error);
    }

    private bool Disarm()
    {
        if (!_armed)
            return false;
        _armed = false;
        _registration.Dispose();
        _registration = default;
        _token = default;
        return true;
    }

    private void Post(T result, Exception? error)
    {
        if (!Disarm())
            return;
        _result = result;
        _error = error;
        _completionPosted = true;
        _loop.Post(s_complete, this);
    }

    private void Complete()
    {
        _completionPosted = false;
        Exception? error = _error;
        T result = _result;
        _error = null;
        _result = default!;
        if (error is null)
            _core.SetResult(result);
        else
            _core.SetException(error);
    }

    private void OnCanceled() => _loop.Post(static s =>
    {
        var completion = (LoopCompletion<T>)s!;
        if (completion._armed && completion._token.IsCancellationRequested)
            completion.SetException(new OperationCanceledException(completion._token));
    }, this);

    public T GetResult(short token) => _core.GetResult(token);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    // Completions always run on the loop and only loop code awaits directly, so the continuation is already on
    // the right context; posting it again through the captured context would allocate.
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags & ~ValueTaskSourceOnCompletedFlags.UseSchedulingContext);
}
