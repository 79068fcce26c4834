namespace Seqs.Dhcp;

/// <summary>Keeps leases in memory only: they survive a server restart within one process, not a process restart.</summary>
public sealed class MemoryLeaseStore : ILeaseStore
{
    private DhcpLease[] _leases = [];

    /// <summary>How many times the server saved.</summary>
    public int Saves { get; private set; }

    public IReadOnlyList<DhcpLease> Load() => _leases;

    public void Save(IReadOnlyList<DhcpLease> leases)
    {
        if (leases is null)
            throw new ArgumentNullException(nameof(leases));
        _leases = [.. leases];
        Saves++;
    }
}
