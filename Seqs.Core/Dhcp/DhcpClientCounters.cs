namespace Seqs.Dhcp;

/// <summary>What a <see cref="DhcpClient"/> sent, received and ignored. Updated on the loop thread.</summary>
public sealed class DhcpClientCounters
{
    public long MessagesSent { get; internal set; }
    public long MessagesReceived { get; internal set; }
    /// <summary>Messages that failed <see cref="Wire.DhcpMessage.TryParse"/> or did not fit the receive buffer.</summary>
    public long Malformed { get; internal set; }
    /// <summary>Replies for another transaction ('xid') or another client ('chaddr').</summary>
    public long WrongTransaction { get; internal set; }
    /// <summary>Well-formed replies that do not fit the state, or carry an unusable address or no server identifier.</summary>
    public long Unexpected { get; internal set; }
    /// <summary>Sends the stack refused (no route, for instance).</summary>
    public long SendFailures { get; internal set; }
    public long Offers { get; internal set; }
    public long Acks { get; internal set; }
    public long Naks { get; internal set; }
    /// <summary>DHCPDECLINEs sent after the ARP probe found the address in use.</summary>
    public long Declines { get; internal set; }
    public long Renewals { get; internal set; }
    /// <summary>Leases that ran out (or were refused by DHCPNAK) while in use.</summary>
    public long LeasesLost { get; internal set; }
}
