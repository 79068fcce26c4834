namespace Seqs.Wire;

/// <summary>
/// Kiss codes: the four ASCII characters a Kiss-o'-Death packet (stratum 0) carries in its reference ID
/// (RFC 5905 §7.4, Figure 13). Other values are possible; these are the ones a client must act on.
/// </summary>
public enum NtpKissCode : uint
{
    /// <summary>"DENY": access denied; the client must stop sending to the server.</summary>
    Deny = 0x44_45_4E_59,

    /// <summary>"RSTR": access restricted; handled like DENY.</summary>
    Restrict = 0x52_53_54_52,

    /// <summary>"RATE": too frequent; the client must reduce its polling rate.</summary>
    Rate = 0x52_41_54_45,
}
