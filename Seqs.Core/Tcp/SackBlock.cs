namespace Seqs.Tcp;

/// <summary>
/// One SACK block (RFC 2018 §3): a contiguous run of received octets, from its left edge to its right edge, the
/// sequence number just after the last octet.
/// </summary>
public readonly record struct SackBlock(SeqNumber Left, SeqNumber Right)
{
    public override string ToString() => $"{Left}-{Right}";
}
