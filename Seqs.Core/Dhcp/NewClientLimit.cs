using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Dhcp;

/// <summary>
/// How fast a <see cref="DhcpServer"/> takes on clients it has no record of. A DISCOVER with a client identifier
/// never seen costs nothing to forge, and each offer holds an address for the offer hold time, so a flood of them
/// would hold the whole pool without a single lease being made. Two buckets bound that: one shared by every new
/// client, a quarter of the pool per offer hold time, so offers to new clients hold at most half the pool at any
/// moment (the burst plus one refill); and one per hardware address, <see cref="BurstPerHardwareAddress"/> and then
/// one per offer hold time, so that one host flooding with random client identifiers leaves the shared bucket to
/// everyone else. Clients the server knows (a lease or offer of any state, a reservation) are never limited.
/// </summary>
internal sealed class NewClientLimit
{
    /// <summary>New client identifiers one hardware address may bring at once: a host with a second client (a VM, a dual boot).</summary>
    public const int BurstPerHardwareAddress = 2;

    /// <summary>Hardware addresses followed at once; the least recently seen gives its slot to a new one.</summary>
    public const int TrackedHardwareAddresses = 16;

    private readonly TokenBucket _shared;
    private readonly TokenBucket[] _buckets = new TokenBucket[TrackedHardwareAddresses];
    private readonly MacAddress[] _owners = new MacAddress[TrackedHardwareAddresses];
    private readonly TimeSpan[] _lastSeen = new TimeSpan[TrackedHardwareAddresses];
    private int _tracked;

    public NewClientLimit(int poolSize, TimeSpan interval)
    {
        _shared = TokenBucket.PerInterval(Math.Max(1, poolSize / 4), interval);
        for (int i = 0; i < _buckets.Length; i++)
            _buckets[i] = new TokenBucket(1 / interval.TotalSeconds, BurstPerHardwareAddress);
    }

    /// <summary>Takes a token for a new client from <paramref name="hardwareAddress"/>; false when it must wait.</summary>
    public bool TryAdmit(MacAddress hardwareAddress, TimeSpan now)
    {
        TokenBucket own = BucketOf(hardwareAddress, now);
        if (!own.CanTake(now) || !_shared.TryTake(now))
            return false;
        own.TryTake(now);
        return true;
    }

    private TokenBucket BucketOf(MacAddress hardwareAddress, TimeSpan now)
    {
        int oldest = 0;
        for (int i = 0; i < _tracked; i++)
        {
            if (_owners[i] == hardwareAddress)
            {
                _lastSeen[i] = now;
                return _buckets[i];
            }
            if (_lastSeen[i] < _lastSeen[oldest])
                oldest = i;
        }
        int slot = _tracked < _owners.Length ? _tracked++ : oldest;
        _owners[slot] = hardwareAddress;
        _lastSeen[slot] = now;
        _buckets[slot].Reset(now);
        return _buckets[slot];
    }
}
