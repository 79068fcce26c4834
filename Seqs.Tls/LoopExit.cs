using System.Runtime.CompilerServices;
using Seqs.Scheduling;

namespace Seqs.Tls;

/// <summary>
/// Awaited to leave a stack's loop thread: completes at once off the loop, and on the loop moves the rest of the
/// method to the thread pool (not back through the loop's <see cref="SynchronizationContext"/>, as
/// <see cref="Task.Yield"/> would). Every NetLoop installs its <see cref="NetLoopSynchronizationContext"/> on its
/// thread while it runs, so that context says which thread is a loop's.
/// </summary>
internal readonly struct LoopExit : ICriticalNotifyCompletion
{
    /// <summary>True on the thread of any running <see cref="NetLoop"/>.</summary>
    public static bool IsOnLoop => SynchronizationContext.Current is NetLoopSynchronizationContext;

    public LoopExit GetAwaiter() => this;

    public bool IsCompleted => !IsOnLoop;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) => ThreadPool.QueueUserWorkItem(static c => c(), continuation, preferLocal: false);

    public void UnsafeOnCompleted(Action continuation) => ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
}
