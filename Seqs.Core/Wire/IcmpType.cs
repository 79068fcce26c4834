namespace Seqs.Wire;

/// <summary>ICMPv4 Type values (RFC 792; IANA "ICMP Type Numbers").</summary>
public enum IcmpType : byte
{
    EchoReply = 0,
    DestinationUnreachable = 3,

    /// <summary>Deprecated by RFC 6633; a host MUST NOT send it and SHOULD ignore it.</summary>
    SourceQuench = 4,
    Redirect = 5,
    EchoRequest = 8,
    TimeExceeded = 11,
    ParameterProblem = 12,
    Timestamp = 13,
    TimestampReply = 14,
}
