namespace Seqs.Stack;

/// <summary>What an <see cref="ArpCache"/> lookup found, and whether the caller must send an ARP request now.</summary>
internal enum ArpLookup
{
    Resolved,
    ResolvedSendRequest,
    Pending,
    PendingSendRequest,
    TableFull,
}
