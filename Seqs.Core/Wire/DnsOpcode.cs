namespace Seqs.Wire;

/// <summary>OPCODE (RFC 1035 §4.1.1; IANA "DNS OpCodes").</summary>
public enum DnsOpcode : byte
{
    Query = 0,
    InverseQuery = 1,
    Status = 2,
    Notify = 4,
    Update = 5,
}
