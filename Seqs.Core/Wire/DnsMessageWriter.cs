using System.Buffers.Binary;

namespace Seqs.Wire;

/// <summary>
/// Writes a DNS message (RFC 1035 §4.1) front to back into a caller's buffer: the header, then questions, then
/// records in section order, keeping the header counts up to date. Names are written uncompressed. Each
/// <c>TryWrite</c> returns false, writing nothing, when the entry does not fit.
/// </summary>
public ref struct DnsMessageWriter
{
    private static class Field
    {
        public const int QuestionCount = 4;
        public const int AnswerCount = 6;
        public const int AuthorityCount = 8;
        public const int AdditionalCount = 10;
    }

    private readonly Span<byte> _buffer;
    private DnsSection _section;

    /// <summary>Writes the header with zero counts; <paramref name="flags"/> comes from <see cref="DnsMessage.ComposeFlags"/>.</summary>
    public DnsMessageWriter(Span<byte> buffer, ushort id, ushort flags)
    {
        if (buffer.Length < DnsMessage.HeaderLength)
            WireThrow.DestinationTooShort(nameof(buffer), DnsMessage.HeaderLength, buffer.Length);
        _buffer = buffer;
        _buffer[..DnsMessage.HeaderLength].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(_buffer, id);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], flags);
        Length = DnsMessage.HeaderLength;
        _section = DnsSection.Question;
    }

    /// <summary>Octets written so far: the message is <c>buffer[..Length]</c>.</summary>
    public int Length { get; private set; }

    /// <summary>Adds a question; <paramref name="rawClass"/> may carry the mDNS unicast-response bit.</summary>
    public bool TryWriteQuestion(scoped ReadOnlySpan<byte> name, DnsType type, ushort rawClass = (ushort)DnsClass.Internet)
    {
        if (_section != DnsSection.Question)
            throw new InvalidOperationException("Questions come before records (RFC 1035 §4.1).");
        int length = name.Length + DnsMessage.QuestionFixedLength;
        if (Length + length > _buffer.Length)
            return false;
        Span<byte> entry = _buffer.Slice(Length, length);
        name.CopyTo(entry);
        BinaryPrimitives.WriteUInt16BigEndian(entry[name.Length..], (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(entry[(name.Length + 2)..], rawClass);
        Length += length;
        Increment(Field.QuestionCount);
        return true;
    }

    /// <summary>
    /// Adds a record to <paramref name="section"/>, which must not come before the last section written to.
    /// <paramref name="rawClass"/> may carry the mDNS cache-flush bit; <paramref name="ttl"/> is in seconds.
    /// </summary>
    public bool TryWriteRecord(DnsSection section, scoped ReadOnlySpan<byte> name, DnsType type, ushort rawClass, uint ttl, scoped ReadOnlySpan<byte> rdata)
    {
        if (section == DnsSection.Question || section < _section)
            throw new ArgumentException($"Records go in answer, authority, additional order; {section} comes too late.", nameof(section));
        if (rdata.Length > ushort.MaxValue)
            WireThrow.OutOfRange(nameof(rdata), rdata.Length, "RDLENGTH is a 16-bit field.");
        int length = name.Length + DnsMessage.RecordFixedLength + rdata.Length;
        if (Length + length > _buffer.Length)
            return false;
        _section = section;
        Span<byte> entry = _buffer.Slice(Length, length);
        name.CopyTo(entry);
        Span<byte> fixedPart = entry[name.Length..];
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart, (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart[2..], rawClass);
        BinaryPrimitives.WriteUInt32BigEndian(fixedPart[4..], ttl);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart[8..], (ushort)rdata.Length);
        rdata.CopyTo(fixedPart[DnsMessage.RecordFixedLength..]);
        Length += length;
        Increment(section switch
        {
            DnsSection.Answer => Field.AnswerCount,
            DnsSection.Authority => Field.AuthorityCount,
            _ => Field.AdditionalCount,
        });
        return true;
    }

    /// <summary>Adds an A record (RFC 1035 §3.4.1).</summary>
    public bool TryWriteAddressRecord(DnsSection section, ReadOnlySpan<byte> name, ushort rawClass, uint ttl, Ipv4Address address)
    {
        Span<byte> rdata = stackalloc byte[Ipv4Address.Length];
        address.Write(rdata);
        return TryWriteRecord(section, name, DnsType.A, rawClass, ttl, rdata);
    }

    private readonly void Increment(int field) =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[field..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(_buffer[field..]) + 1));
}
