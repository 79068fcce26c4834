using System.Buffers.Binary;

namespace Seqs.Wire;

/// <summary>One resource record of a parsed DNS message (RFC 1035 §4.1.3): NAME, TYPE, CLASS, TTL, RDATA.</summary>
public readonly ref struct DnsRecord
{
    /// <summary>RFC 6762 §10.2: the top bit of CLASS in an mDNS response marks a unique record ("cache-flush").</summary>
    public const ushort CacheFlushBit = 0x8000;

    private readonly ReadOnlySpan<byte> _message;

    internal DnsRecord(ReadOnlySpan<byte> message, DnsSection section, DnsName name, DnsType type, ushort rawClass, uint rawTtl, int rdataOffset, int rdataLength)
    {
        _message = message;
        Section = section;
        Name = name;
        Type = type;
        RawClass = rawClass;
        RawTtl = rawTtl;
        RDataOffset = rdataOffset;
        RDataLength = rdataLength;
    }

    public DnsSection Section { get; }

    /// <summary>The owner name.</summary>
    public DnsName Name { get; }

    public DnsType Type { get; }

    /// <summary>The 16-bit CLASS field as sent, mDNS bit included.</summary>
    public ushort RawClass { get; }

    /// <summary>CLASS without the mDNS cache-flush bit.</summary>
    public DnsClass Class => (DnsClass)(RawClass & ~CacheFlushBit);

    /// <summary>RFC 6762 §10.2: the sender claims this record set as unique.</summary>
    public bool CacheFlush => (RawClass & CacheFlushBit) != 0;

    /// <summary>The 32-bit TTL field as sent.</summary>
    public uint RawTtl { get; }

    /// <summary>Seconds the record may be cached. RFC 2181 §8: a TTL with the top bit set is treated as zero.</summary>
    public uint Ttl => RawTtl > int.MaxValue ? 0 : RawTtl;

    /// <summary>Where RDATA starts in the message; names inside it may point anywhere before.</summary>
    public int RDataOffset { get; }

    public int RDataLength { get; }

    public ReadOnlySpan<byte> RData => _message.Slice(RDataOffset, RDataLength);

    /// <summary>The address of an A record (RFC 1035 §3.4.1): false for another type or an RDLENGTH other than 4.</summary>
    public bool TryGetIpv4Address(out Ipv4Address address)
    {
        bool ok = Type == DnsType.A && Class == DnsClass.Internet && RDataLength == Ipv4Address.Length;
        address = ok ? Ipv4Address.Read(RData) : default;
        return ok;
    }

    /// <summary>The address of an AAAA record (RFC 3596 §2.2) into 16 octets: false for another type or an RDLENGTH other than 16.</summary>
    public bool TryGetIpv6Address(Span<byte> address)
    {
        const int Ipv6Length = 16;
        if (Type != DnsType.Aaaa || Class != DnsClass.Internet || RDataLength != Ipv6Length || address.Length < Ipv6Length)
            return false;
        RData.CopyTo(address);
        return true;
    }

    /// <summary>
    /// The name a CNAME, NS or PTR record holds (RFC 1035 §3.3.1, §3.3.11, §3.3.12); false for another type or a
    /// name that is malformed or does not end exactly at the end of RDATA.
    /// </summary>
    public bool TryGetTargetName(out DnsName target)
    {
        if (Type is DnsType.Cname or DnsType.NS or DnsType.Ptr
            && DnsName.TryCreate(_message[..(RDataOffset + RDataLength)], RDataOffset, out target, out int end, out _)
            && end == RDataOffset + RDataLength)
            return true;
        target = default;
        return false;
    }

    /// <summary>
    /// RFC 2308 §5: how long a negative answer may be cached, from the SOA record in its authority section: the
    /// smaller of the record's TTL and its MINIMUM field (RFC 1035 §3.3.13), in seconds. False for another type or
    /// malformed RDATA.
    /// </summary>
    public bool TryGetNegativeTtl(out uint seconds)
    {
        // MNAME and RNAME, then SERIAL, REFRESH, RETRY, EXPIRE and MINIMUM, 32 bits each.
        const int FixedFields = 20;
        const int Minimum = 16;
        seconds = 0;
        if (Type != DnsType.Soa)
            return false;
        ReadOnlySpan<byte> bounded = _message[..(RDataOffset + RDataLength)];
        if (!DnsName.TryCreate(bounded, RDataOffset, out _, out int afterMName, out _)
            || !DnsName.TryCreate(bounded, afterMName, out _, out int afterRName, out _)
            || afterRName + FixedFields != RDataOffset + RDataLength)
            return false;
        uint minimum = BinaryPrimitives.ReadUInt32BigEndian(_message[(afterRName + Minimum)..]);
        seconds = Math.Min(Ttl, minimum > int.MaxValue ? 0 : minimum);
        return true;
    }

    public override string ToString() =>
        WireText.Invariant($"{Name.ToString()} {Ttl} {(Class == DnsClass.Internet ? "IN" : ((ushort)Class).ToString(System.Globalization.CultureInfo.InvariantCulture))} {Type} rdlength {RDataLength}");
}
