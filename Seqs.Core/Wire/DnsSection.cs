namespace Seqs.Wire;

/// <summary>The four sections of a DNS message (RFC 1035 §4.1), in wire order.</summary>
public enum DnsSection : byte
{
    Question,
    Answer,
    Authority,
    Additional,
}
