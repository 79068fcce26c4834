using Seqs.Stack;

namespace Seqs.Services;

/// <summary>
/// A service that runs on a stack's loop until cancelled: the shared shape of the UDP and TCP servers and of the
/// protocol services built on them.
/// </summary>
public abstract class NetService : IDisposable
{
    protected NetService(NetStack stack) => Stack = stack ?? throw new ArgumentNullException(nameof(stack));

    public NetStack Stack { get; }

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled; safe to call from any thread.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => Stack.Loop.InvokeAsync(() => ServeAsync(cancellationToken));

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The service's body, on the loop.</summary>
    protected abstract Task ServeAsync(CancellationToken cancellationToken);
}
