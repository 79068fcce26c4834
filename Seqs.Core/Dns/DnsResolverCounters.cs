namespace Seqs.Dns;

/// <summary>What a <see cref="DnsResolver"/> did, and every reason it ignored a datagram. Updated on the loop.</summary>
public sealed class DnsResolverCounters
{
    public long Lookups { get; internal set; }
    public long CacheHits { get; internal set; }
    public long QueriesSent { get; internal set; }
    public long ResponsesAccepted { get; internal set; }
    /// <summary>Servers that did not answer in time.</summary>
    public long Timeouts { get; internal set; }
    /// <summary>Answers with SERVFAIL, REFUSED, NOTIMP or FORMERR; the next server is tried.</summary>
    public long ServerFailures { get; internal set; }
    public long NameErrors { get; internal set; }
    public long TruncatedResponses { get; internal set; }

    /// <summary>Datagrams that failed to parse (<see cref="Wire.DnsMessage.TryParse"/>); ignored.</summary>
    public long Malformed { get; internal set; }
    /// <summary>Datagrams from another address or port than the server asked; ignored (RFC 5452 §9.1).</summary>
    public long WrongSource { get; internal set; }
    /// <summary>Responses whose ID is not the query's; ignored, and the wait goes on (RFC 5452 §9.1).</summary>
    public long WrongId { get; internal set; }
    /// <summary>Responses whose question is not the one asked, and queries received; ignored (RFC 5452 §9.1).</summary>
    public long QuestionMismatch { get; internal set; }
    /// <summary>Answer records about names the query did not lead to; ignored, never cached (RFC 5452 §6).</summary>
    public long UnrelatedRecords { get; internal set; }
}
