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
    /// <summary>
    /// Queries from a source off the interface's subnet, and responses sent to this host's address from one; ignored
    /// (RFC 6762 §5.5, §11).
    /// </summary>
    public long OffLink { get; internal set; }
    /// <summary>
    /// Multicast answers held back because the record went out less than a second ago (RFC 6762 §6); each is sent
    /// once allowed.
    /// </summary>
    public long AnswersDelayed { get; internal set; }
    /// <summary>Multicast answers asked for while one was already held back; the held one answers them all (RFC 6762 §6).</summary>
    public long AnswersCoalesced { get; internal set; }
}
