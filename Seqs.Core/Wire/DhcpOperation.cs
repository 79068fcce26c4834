namespace Seqs.Wire;

/// <summary>RFC 2131 §2 'op': the BOOTP message direction.</summary>
public enum DhcpOperation : byte
{
    BootRequest = 1,
    BootReply = 2,
}
