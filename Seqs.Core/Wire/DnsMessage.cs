using System.Buffers.Binary;

namespace Seqs.Wire;

/// <summary>
/// A DNS message (RFC 1035 §4.1): a 12-octet header and the question, answer, authority and additional sections.
/// <see cref="TryParse"/> walks every section once, so that after it returns true reading the records with
/// <see cref="Records"/> cannot fail: each name is well formed (<see cref="DnsName"/>) and each RDATA lies inside
/// the message. Octets past the last counted record are ignored.
/// </summary>
public readonly ref struct DnsMessage
{
    public const int HeaderLength = 12;

    /// <summary>RFC 1035 §2.3.4 / §4.2.1: UDP messages are limited to 512 octets unless EDNS (RFC 6891) says otherwise.</summary>
    public const int MaxUdpLength = 512;

    private static class Field
    {
        public const int Id = 0;
        public const int Flags = 2;
        public const int QuestionCount = 4;
        public const int AnswerCount = 6;
        public const int AuthorityCount = 8;
        public const int AdditionalCount = 10;
    }

    /// <summary>RFC 1035 §4.1.1: the bits of the second header word.</summary>
    internal static class FlagBits
    {
        public const ushort Response = 0x8000;
        public const int OpcodeShift = 11;
        public const ushort OpcodeMask = 0x0F;
        public const ushort AuthoritativeAnswer = 0x0400;
        public const ushort Truncated = 0x0200;
        public const ushort RecursionDesired = 0x0100;
        public const ushort RecursionAvailable = 0x0080;
        public const ushort ResponseCodeMask = 0x000F;
    }

    /// <summary>TYPE, CLASS, TTL and RDLENGTH after a record's name (RFC 1035 §4.1.3).</summary>
    internal const int RecordFixedLength = 10;

    /// <summary>QTYPE and QCLASS after a question's name (RFC 1035 §4.1.2).</summary>
    internal const int QuestionFixedLength = 4;

    private readonly ReadOnlySpan<byte> _bytes;

    private DnsMessage(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ReadOnlySpan<byte> Bytes => _bytes;

    public ushort Id => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Id..]);

    /// <summary>The second header word: QR, OPCODE, AA, TC, RD, RA, Z and RCODE.</summary>
    public ushort Flags => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Flags..]);

    /// <summary>QR: a response rather than a query.</summary>
    public bool IsResponse => (Flags & FlagBits.Response) != 0;

    public DnsOpcode Opcode => (DnsOpcode)((Flags >> FlagBits.OpcodeShift) & FlagBits.OpcodeMask);

    /// <summary>AA.</summary>
    public bool AuthoritativeAnswer => (Flags & FlagBits.AuthoritativeAnswer) != 0;

    /// <summary>TC: the message was cut to fit the transport (RFC 1035 §4.1.1).</summary>
    public bool Truncated => (Flags & FlagBits.Truncated) != 0;

    /// <summary>RD.</summary>
    public bool RecursionDesired => (Flags & FlagBits.RecursionDesired) != 0;

    /// <summary>RA.</summary>
    public bool RecursionAvailable => (Flags & FlagBits.RecursionAvailable) != 0;

    /// <summary>RCODE.</summary>
    public DnsResponseCode ResponseCode => (DnsResponseCode)(Flags & FlagBits.ResponseCodeMask);

    /// <summary>QDCOUNT.</summary>
    public ushort QuestionCount => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.QuestionCount..]);

    /// <summary>ANCOUNT.</summary>
    public ushort AnswerCount => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.AnswerCount..]);

    /// <summary>NSCOUNT.</summary>
    public ushort AuthorityCount => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.AuthorityCount..]);

    /// <summary>ARCOUNT.</summary>
    public ushort AdditionalCount => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.AdditionalCount..]);

    /// <summary>Questions, then records in section order.</summary>
    public DnsRecordReader Records => new(_bytes, QuestionCount, AnswerCount, AuthorityCount, AdditionalCount);

    /// <summary>
    /// Accepts a message whose counted questions and records all lie inside <paramref name="bytes"/> with
    /// well-formed names (RFC 1035 §4.1). Rejects with <see cref="WireRejection.Truncated"/> when the header or a
    /// counted entry is missing, and with the name's reason (<see cref="DnsName.TryCreate"/>) or
    /// <see cref="WireRejection.BadRecordLength"/> when an entry is malformed.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out DnsMessage message, out WireRejection rejection)
    {
        rejection = Check(bytes);
        message = rejection == WireRejection.None ? new DnsMessage(bytes) : default;
        return rejection == WireRejection.None;
    }

    /// <summary>The second header word from its parts (RFC 1035 §4.1.1).</summary>
    public static ushort ComposeFlags(bool response, DnsOpcode opcode = DnsOpcode.Query, bool authoritativeAnswer = false,
        bool truncated = false, bool recursionDesired = false, bool recursionAvailable = false, DnsResponseCode responseCode = DnsResponseCode.NoError)
    {
        int flags = ((int)opcode & FlagBits.OpcodeMask) << FlagBits.OpcodeShift | ((int)responseCode & FlagBits.ResponseCodeMask);
        if (response)
            flags |= FlagBits.Response;
        if (authoritativeAnswer)
            flags |= FlagBits.AuthoritativeAnswer;
        if (truncated)
            flags |= FlagBits.Truncated;
        if (recursionDesired)
            flags |= FlagBits.RecursionDesired;
        if (recursionAvailable)
            flags |= FlagBits.RecursionAvailable;
        return (ushort)flags;
    }

    public override string ToString()
    {
        WireRejection rejection = Check(_bytes);
        if (rejection != WireRejection.None)
            return WireText.Malformed("DNS", rejection, _bytes.Length);
        return WireText.Invariant(
            $"DNS {(IsResponse ? "response" : "query")} id 0x{Id:x4} {Opcode} {ResponseCode}{(Truncated ? " TC" : "")} qd {QuestionCount} an {AnswerCount} ns {AuthorityCount} ar {AdditionalCount}");
    }

    private static WireRejection Check(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength)
            return WireRejection.Truncated;
        var header = new DnsMessage(bytes);
        int position = HeaderLength;
        for (int i = 0; i < header.QuestionCount; i++)
        {
            if (!DnsName.TryCreate(bytes, position, out _, out position, out WireRejection rejection))
                return rejection;
            position += QuestionFixedLength;
            if (position > bytes.Length)
                return WireRejection.Truncated;
        }
        int records = header.AnswerCount + header.AuthorityCount + header.AdditionalCount;
        for (int i = 0; i < records; i++)
        {
            if (!DnsName.TryCreate(bytes, position, out _, out position, out WireRejection rejection))
                return rejection;
            if (position + RecordFixedLength > bytes.Length)
                return WireRejection.Truncated;
            int rdataLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + RecordFixedLength - 2)..]);
            position += RecordFixedLength + rdataLength;
            if (position > bytes.Length)
                return WireRejection.BadRecordLength;
        }
        return WireRejection.None;
    }
}
