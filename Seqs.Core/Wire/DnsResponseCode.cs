namespace Seqs.Wire;

/// <summary>RCODE (RFC 1035 §4.1.1).</summary>
public enum DnsResponseCode : byte
{
    NoError = 0,
    FormatError = 1,
    ServerFailure = 2,

    /// <summary>NXDOMAIN: "the domain name referenced in the query does not exist".</summary>
    NameError = 3,
    NotImplemented = 4,
    Refused = 5,
}
