namespace Seqs.Ntp;

/// <summary>What an <see cref="NtpClient"/> did, and why it rejected replies. Updated on the loop.</summary>
public sealed class NtpClientCounters
{
    private readonly long[] _rejected = new long[(int)NtpReplyRejection.UnknownKissCode + 1];

    public long RequestsSent { get; internal set; }
    public long RepliesAccepted { get; internal set; }
    /// <summary>Requests that got no acceptable reply within <see cref="NtpClientOptions.ResponseTimeout"/>.</summary>
    public long Timeouts { get; internal set; }
    public long KissOfDeath { get; internal set; }
    /// <summary>Polls that ended with at least one good sample and set the clock.</summary>
    public long Synchronizations { get; internal set; }
    /// <summary>Polls that ended with no good sample.</summary>
    public long FailedPolls { get; internal set; }

    /// <summary>Datagrams rejected for any reason.</summary>
    public long Rejected { get; private set; }

    public long RejectedBy(NtpReplyRejection reason) => (uint)reason < (uint)_rejected.Length ? _rejected[(int)reason] : 0;

    internal void Reject(NtpReplyRejection reason)
    {
        Rejected++;
        _rejected[(int)reason]++;
    }
}
