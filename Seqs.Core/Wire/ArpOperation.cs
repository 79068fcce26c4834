namespace Seqs.Wire;

/// <summary>RFC 826 ar$op values.</summary>
public enum ArpOperation : ushort
{
    Request = 1,
    Reply = 2,
}
