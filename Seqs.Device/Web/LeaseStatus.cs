namespace Seqs.Device.Web;

/// <summary>The DHCP lease in <c>/api/status</c>.</summary>
public sealed class LeaseStatus
{
    /// <summary>The DHCP server that granted it.</summary>
    public string? Server { get; set; }

    public long LeaseSeconds { get; set; }

    /// <summary>Seconds until the lease expires unless renewed.</summary>
    public long RemainingSeconds { get; set; }
}
