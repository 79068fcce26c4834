namespace Seqs.Wire;

/// <summary>One entry of a DNS question section (RFC 1035 §4.1.2): QNAME, QTYPE, QCLASS.</summary>
public readonly ref struct DnsQuestion
{
    /// <summary>RFC 6762 §5.4: the top bit of QCLASS asks for a unicast response (the "QU" bit).</summary>
    public const ushort UnicastResponseBit = 0x8000;

    internal DnsQuestion(DnsName name, DnsType type, ushort rawClass)
    {
        Name = name;
        Type = type;
        RawClass = rawClass;
    }

    public DnsName Name { get; }

    public DnsType Type { get; }

    /// <summary>The 16-bit QCLASS field as sent, mDNS bit included.</summary>
    public ushort RawClass { get; }

    /// <summary>QCLASS without the mDNS unicast-response bit.</summary>
    public DnsClass Class => (DnsClass)(RawClass & ~UnicastResponseBit);

    /// <summary>RFC 6762 §5.4: the querier asks for a unicast response.</summary>
    public bool UnicastResponse => (RawClass & UnicastResponseBit) != 0;
}
