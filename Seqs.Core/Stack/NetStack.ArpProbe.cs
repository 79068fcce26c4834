using Seqs.Wire;

namespace Seqs.Stack;

public sealed partial class NetStack
{
    /// <summary>Addresses that can be watched for conflicts at once: a DHCP client probes one, a server a few.</summary>
    public const int MaxArpWatches = 4;

    private readonly Ipv4Address[] _arpWatches = new Ipv4Address[MaxArpWatches];
    private int _arpWatchCount;

    /// <summary>
    /// Raised on the loop when ARP shows that another station uses a watched address (its ARP names the address as
    /// sender) or is probing for it (RFC 5227 §2.1.1). Arguments: the address and the other station's MAC.
    /// </summary>
    public event Action<Ipv4Address, MacAddress>? ArpConflict;

    /// <summary>
    /// Starts reporting conflicts on <paramref name="address"/> through <see cref="ArpConflict"/>. False when
    /// <see cref="MaxArpWatches"/> addresses are already watched.
    /// </summary>
    public bool WatchArp(Ipv4Address address)
    {
        int free = -1;
        for (int i = 0; i < _arpWatches.Length; i++)
        {
            if (_arpWatches[i] == address && !address.IsUnspecified)
                return true;
            if (free < 0 && _arpWatches[i].IsUnspecified)
                free = i;
        }
        if (free < 0 || address.IsUnspecified)
            return false;
        _arpWatches[free] = address;
        _arpWatchCount++;
        return true;
    }

    public void UnwatchArp(Ipv4Address address)
    {
        for (int i = 0; i < _arpWatches.Length; i++)
        {
            if (_arpWatches[i] == address && !address.IsUnspecified)
            {
                _arpWatches[i] = default;
                _arpWatchCount--;
            }
        }
    }

    /// <summary>
    /// Sends an RFC 5227 §2.1.1 ARP Probe for <paramref name="address"/>: a broadcast request with sender hardware
    /// address ours, sender IP address 0.0.0.0 (so that no cache learns a binding yet) and target IP address the
    /// candidate. Pacing the probes (PROBE_WAIT, PROBE_NUM, PROBE_MIN/MAX) is the caller's part.
    /// </summary>
    public void SendArpProbe(Ipv4Address address) =>
        SendArp(ArpOperation.Request, MacAddress.Broadcast, Ipv4Address.Any, address, MacAddress.Zero);

    /// <summary>
    /// Records <paramref name="address"/> at <paramref name="mac"/> without asking ARP: a DHCP server unicasts its
    /// reply to the client's hardware address and the offered address, which the client cannot answer ARP for yet
    /// (RFC 2131 §4.1).
    /// </summary>
    internal void AddNeighbor(Ipv4Address address, MacAddress mac)
    {
        if (_arpCache.Update(address, mac, Loop.Now, create: true))
            FlushArpPending(address, mac);
    }

    private void CheckArpWatch(ArpOperation operation, Ipv4Address sender, Ipv4Address target, MacAddress senderMac)
    {
        foreach (Ipv4Address watched in _arpWatches)
        {
            if (watched.IsUnspecified)
                continue;
            // RFC 5227 §2.1.1: any ARP whose sender is the address MUST be a conflict; a probe (sender 0.0.0.0) for
            // it from another station SHOULD be one too.
            bool probe = operation == ArpOperation.Request && sender.IsUnspecified && target == watched;
            if (sender == watched || probe)
                ArpConflict?.Invoke(watched, senderMac);
        }
    }
}
