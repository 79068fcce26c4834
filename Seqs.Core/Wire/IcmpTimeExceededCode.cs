namespace Seqs.Wire;

/// <summary>Codes of ICMP Time Exceeded (RFC 792).</summary>
public enum IcmpTimeExceededCode : byte
{
    TimeToLiveExceededInTransit = 0,
    FragmentReassemblyTimeExceeded = 1,
}
