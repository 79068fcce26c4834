namespace Seqs.Scheduling;

/// <summary>
/// Installed on the loop's thread while a turn runs, so that <c>await</c> in code running on the loop resumes on
/// the loop. Posts from any thread are queued to the loop and wake it; <see cref="Send"/> is not supported, because
/// blocking a thread on the loop is how deadlocks start.
/// </summary>
public sealed class NetLoopSynchronizationContext : SynchronizationContext
{
    private readonly NetLoop _loop;

    internal NetLoopSynchronizationContext(NetLoop loop) => _loop = loop;

    public override void Post(SendOrPostCallback d, object? state) => _loop.Post(d, state);

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("NetLoop does not support synchronous Send; use Post or await.");

    public override SynchronizationContext CreateCopy() => this;
}
