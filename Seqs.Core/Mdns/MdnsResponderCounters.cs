namespace Seqs.Mdns;

/// <summary>What an <see cref="MdnsResponder"/> did. Updated on the loop.</summary>
public sealed class MdnsResponderCounters
{
    public long ProbesSent { get; internal set; }
    public long AnnouncementsSent { get; internal set; }
    public long QueriesAnswered { get; internal set; }
    /// <summary>Answers not sent because the query already listed them (known-answer suppression, RFC 6762 §7.1).</summary>
    public long KnownAnswersSuppressed { get; internal set; }
    /// <summary>Other hosts' records for our name with other data (RFC 6762 §9); each one renames or reprobes.</summary>
    public long Conflicts { get; internal set; }
    /// <summary>Simultaneous probes for our name that won the tiebreak (RFC 6762 §8.2).</summary>
    public long TiebreaksLost { get; internal set; }
    /// <summary>Datagrams that failed to parse; ignored.</summary>
    public long Malformed { get; internal set; }
    /// <summary>Messages with an OPCODE or RCODE other than zero; ignored (RFC 6762 §18.3, §18.11).</summary>
    public long Ignored { get; internal set; }
}
