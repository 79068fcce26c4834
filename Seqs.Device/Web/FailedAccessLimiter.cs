using System.Net;

namespace Seqs.Device.Web;

/// <summary>
/// Slows down token guessing: each address may fail <see cref="Burst"/> times, and then once per
/// <see cref="RefillInterval"/> (a token bucket per address). The table keeps at most <see cref="Capacity"/>
/// addresses, forgetting the one quiet for longest, so a flood of sources cannot grow it.
/// </summary>
internal sealed class FailedAccessLimiter
{
    public const int Burst = 5;
    public const int Capacity = 64;
    public static readonly TimeSpan RefillInterval = TimeSpan.FromSeconds(10);

    private readonly Dictionary<IPAddress, (double Allowance, TimeSpan Updated)> _addresses = [];

    /// <summary>True when <paramref name="address"/> has used up its failures; <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsLimited(IPAddress address, TimeSpan now, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_addresses.TryGetValue(address, out var entry))
            return false;
        double allowance = Refill(entry, now);
        if (allowance >= 1)
            return false;
        retryAfter = RefillInterval * (1 - allowance);
        return true;
    }

    public void RecordFailure(IPAddress address, TimeSpan now)
    {
        double allowance = _addresses.TryGetValue(address, out var entry) ? Refill(entry, now) : Burst;
        if (entry == default && _addresses.Count >= Capacity)
            _addresses.Remove(_addresses.MinBy(e => e.Value.Updated).Key);
        _addresses[address] = (Math.Max(0, allowance - 1), now);
    }

    private static double Refill((double Allowance, TimeSpan Updated) entry, TimeSpan now) =>
        Math.Min(Burst, entry.Allowance + (now - entry.Updated) / RefillInterval);
}
