namespace Seqs.Dhcp;

/// <summary>What a <see cref="DhcpServer"/> received, answered and ignored. Updated on the loop thread.</summary>
public sealed class DhcpServerCounters
{
    public long Discovers { get; internal set; }
    public long Requests { get; internal set; }
    public long Declines { get; internal set; }
    public long Releases { get; internal set; }
    public long Informs { get; internal set; }
    public long Offers { get; internal set; }
    public long Acks { get; internal set; }
    public long Naks { get; internal set; }
    /// <summary>Messages that failed <see cref="Wire.DhcpMessage.TryParse"/>.</summary>
    public long Malformed { get; internal set; }
    /// <summary>Well-formed messages the server did not act on: replies, wrong server, no record of the client.</summary>
    public long Ignored { get; internal set; }
    /// <summary>DISCOVERs that got no offer because no address was free (RFC 2131 §4.3.1).</summary>
    public long PoolExhausted { get; internal set; }
    /// <summary>DISCOVERs from clients with no record that got no offer because too many new clients came at once (<see cref="NewClientLimit"/>).</summary>
    public long NewClientsRefused { get; internal set; }
    /// <summary>Addresses the conflict probe found in use before they were offered.</summary>
    public long Conflicts { get; internal set; }
    /// <summary>Writes to the lease store that threw; the leases stay in memory and the next change writes them all.</summary>
    public long StoreFailures { get; internal set; }
}
