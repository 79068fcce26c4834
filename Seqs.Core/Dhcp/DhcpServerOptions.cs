using Seqs.Wire;

namespace Seqs.Dhcp;

/// <summary>Settings of a <see cref="DhcpServer"/>: the pool, the reservations and the options it hands out.</summary>
public sealed class DhcpServerOptions
{
    /// <summary>The most addresses one pool may hold; the lease table is bounded by it plus the reservations.</summary>
    public const int MaxPoolSize = 4096;

    /// <summary>
    /// How long an offer holds its address: long enough for a client's DHCPREQUEST, including its retransmissions
    /// (udhcpc waits 3 s, RFC 2131 §4.1 suggests 4 s and then 8 s), short enough that offers nobody takes up give
    /// their addresses back quickly.
    /// </summary>
    public static readonly TimeSpan DefaultOfferHoldTime = TimeSpan.FromSeconds(10);

    /// <summary>First address of the pool, on the server's subnet.</summary>
    public Ipv4Address PoolStart { get; set; }

    /// <summary>Last address of the pool, inclusive.</summary>
    public Ipv4Address PoolEnd { get; set; }

    /// <summary>Fixed addresses by client MAC; they may lie outside the pool but must be on the subnet.</summary>
    public Dictionary<MacAddress, Ipv4Address> Reservations { get; } = [];

    /// <summary>Option 51. A client may ask for less (RFC 2131 §4.3.1), never more.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Option 58 (T1); half the lease when null (RFC 2131 §4.4.5).</summary>
    public TimeSpan? RenewalTime { get; set; }

    /// <summary>Option 59 (T2); seven eighths of the lease when null (RFC 2131 §4.4.5).</summary>
    public TimeSpan? RebindingTime { get; set; }

    /// <summary>Option 3; none when unspecified.</summary>
    public Ipv4Address Router { get; set; }

    /// <summary>Option 6.</summary>
    public IReadOnlyList<Ipv4Address> DnsServers { get; set; } = [];

    /// <summary>Option 15.</summary>
    public string? DomainName { get; set; }

    /// <summary>How long an offered address stays held for the client it was offered to; also the interval of the new-client rate limit.</summary>
    public TimeSpan OfferHoldTime { get; set; } = DefaultOfferHoldTime;

    /// <summary>
    /// How long the server listens after an ARP probe of a new address before offering it (RFC 2131 §4.3.1: the
    /// server SHOULD check the address is not in use); zero turns the check off.
    /// </summary>
    public TimeSpan ConflictProbeWait { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long an address found in use (DHCPDECLINE or a probe answer) is kept out of the pool.</summary>
    public TimeSpan DeclineHoldTime { get; set; } = TimeSpan.FromMinutes(10);

    internal int PoolSize => (int)Math.Min(PoolEnd.Value - (long)PoolStart.Value + 1, int.MaxValue);

    internal void Validate(Ipv4Cidr subnet)
    {
        if (PoolStart.IsUnspecified || PoolEnd.Value < PoolStart.Value)
            throw new ArgumentException($"The pool {PoolStart}-{PoolEnd} is empty.", nameof(PoolStart));
        if (PoolSize > MaxPoolSize)
            throw new ArgumentException($"The pool {PoolStart}-{PoolEnd} holds more than {MaxPoolSize} addresses.", nameof(PoolEnd));
        if (!subnet.Contains(PoolStart) || !subnet.Contains(PoolEnd))
            throw new ArgumentException($"The pool {PoolStart}-{PoolEnd} is not on the server's subnet {subnet}.", nameof(PoolStart));
        foreach (KeyValuePair<MacAddress, Ipv4Address> reservation in Reservations)
        {
            if (!subnet.Contains(reservation.Value))
                throw new ArgumentException($"The reservation {reservation.Value} for {reservation.Key} is not on the subnet {subnet}.", nameof(Reservations));
        }
        if (LeaseTime < TimeSpan.FromSeconds(10) || LeaseTime.TotalSeconds >= uint.MaxValue)
            throw new ArgumentException("DhcpServerOptions.LeaseTime must be 10 s or more.", nameof(LeaseTime));
        if ((RenewalTime ?? TimeSpan.Zero) >= (RebindingTime ?? LeaseTime) || (RebindingTime ?? TimeSpan.Zero) >= LeaseTime)
            throw new ArgumentException("DhcpServerOptions: need RenewalTime < RebindingTime < LeaseTime.", nameof(RenewalTime));
        if (DnsServers.Count > 16)
            throw new ArgumentException("At most 16 DNS servers.", nameof(DnsServers));
        if (DomainName is { Length: 0 or > 255 })
            throw new ArgumentException("The domain name must be 1 to 255 characters.", nameof(DomainName));
        if (OfferHoldTime <= TimeSpan.Zero || ConflictProbeWait < TimeSpan.Zero || DeclineHoldTime <= TimeSpan.Zero)
            throw new ArgumentException("DhcpServerOptions: hold times must be positive and the probe wait not negative.", nameof(OfferHoldTime));
    }
}
