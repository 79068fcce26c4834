namespace Seqs.Dhcp;

/// <summary>Where a <see cref="DhcpServer"/> keeps its leases across restarts.</summary>
public interface ILeaseStore
{
    /// <summary>The leases saved last; empty when there are none. Called once, when the server starts.</summary>
    IReadOnlyList<DhcpLease> Load();

    /// <summary>
    /// Replaces the stored leases with <paramref name="leases"/>, all or nothing. Called off the loop thread, one
    /// call at a time.
    /// </summary>
    void Save(IReadOnlyList<DhcpLease> leases);
}
