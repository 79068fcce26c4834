using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Stack;

/// <summary>One outstanding echo request of <see cref="NetStack.PingAsync"/>, reused for later pings.</summary>
internal sealed class PingSlot
{
    public PingSlot(NetLoop loop, Action<PingSlot> onTimeout)
    {
        Timer = loop.CreateTimer(() => onTimeout(this));
    }

    public NetTimer Timer { get; }

    public bool InUse { get; set; }

    public ushort SequenceNumber { get; set; }

    public Ipv4Address Destination { get; set; }

    public TimeSpan SentAt { get; set; }

    public TaskCompletionSource<PingReply>? Completion { get; set; }

    public CancellationTokenRegistration Cancellation { get; set; }

    /// <summary>
    /// Completes the ping from a loop work item rather than from inside frame handling, so that continuations run
    /// inline at the top of the turn.
    /// </summary>
    public void CompleteLater(NetLoop loop, PingReply reply)
    {
        TaskCompletionSource<PingReply>? completion = Completion;
        Release();
        loop.Post(static s =>
        {
            var (c, r) = ((TaskCompletionSource<PingReply>, PingReply))s!;
            c.TrySetResult(r);
        }, (completion, reply));
    }

    public void Complete(PingReply reply)
    {
        TaskCompletionSource<PingReply>? completion = Completion;
        Release();
        completion?.TrySetResult(reply);
    }

    public void Cancel(CancellationToken cancellationToken)
    {
        TaskCompletionSource<PingReply>? completion = Completion;
        Release();
        completion?.TrySetCanceled(cancellationToken);
    }

    private void Release()
    {
        InUse = false;
        Completion = null;
        Timer.Cancel();
        Cancellation.Dispose();
        Cancellation = default;
    }
}
