namespace Seqs.Wire;

/// <summary>TCP option kinds (IANA "TCP Option Kind Numbers") that Seqs reads or writes.</summary>
public enum TcpOptionKind : byte
{
    /// <summary>End of Option List, RFC 9293 §3.2; also the padding octet.</summary>
    EndOfOptionList = 0,

    /// <summary>No-Operation, RFC 9293 §3.2; aligns the options that follow.</summary>
    NoOperation = 1,

    /// <summary>Maximum Segment Size, RFC 9293 §3.7.1; length 4.</summary>
    MaximumSegmentSize = 2,

    /// <summary>Window Scale, RFC 7323 §2.2; length 3.</summary>
    WindowScale = 3,

    /// <summary>SACK-Permitted, RFC 2018 §2; length 2.</summary>
    SackPermitted = 4,

    /// <summary>SACK, RFC 2018 §3; length 2 + 8 per block.</summary>
    Sack = 5,

    /// <summary>Timestamps, RFC 7323 §3.2; length 10.</summary>
    Timestamps = 8,
}
