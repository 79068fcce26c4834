using System.Buffers.Binary;

namespace Seqs.Wire;

/// <summary>
/// Reads the entries of a parsed <see cref="DnsMessage"/> in wire order: questions with
/// <see cref="TryReadQuestion"/>, then records with <see cref="TryReadRecord"/> (which skips questions not read).
/// The message was checked when it was parsed, so reading cannot fail.
/// </summary>
public ref struct DnsRecordReader
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly int _answers;
    private readonly int _authorities;
    private int _questionsLeft;
    private int _recordsRead;
    private readonly int _records;
    private int _position;

    internal DnsRecordReader(ReadOnlySpan<byte> message, int questions, int answers, int authorities, int additionals)
    {
        _message = message;
        _questionsLeft = questions;
        _answers = answers;
        _authorities = authorities;
        _records = answers + authorities + additionals;
        _recordsRead = 0;
        _position = DnsMessage.HeaderLength;
    }

    /// <summary>The next question; false when all have been read.</summary>
    public bool TryReadQuestion(out DnsQuestion question)
    {
        if (_questionsLeft == 0)
        {
            question = default;
            return false;
        }
        _questionsLeft--;
        var name = DnsName.Unchecked(_message, _position);
        _position = SkipName(_position);
        var type = (DnsType)BinaryPrimitives.ReadUInt16BigEndian(_message[_position..]);
        ushort rawClass = BinaryPrimitives.ReadUInt16BigEndian(_message[(_position + 2)..]);
        _position += DnsMessage.QuestionFixedLength;
        question = new DnsQuestion(name, type, rawClass);
        return true;
    }

    /// <summary>The next answer, authority or additional record; false when all have been read.</summary>
    public bool TryReadRecord(out DnsRecord record)
    {
        while (TryReadQuestion(out _))
        {
        }
        if (_recordsRead == _records)
        {
            record = default;
            return false;
        }
        DnsSection section = _recordsRead < _answers ? DnsSection.Answer
            : _recordsRead < _answers + _authorities ? DnsSection.Authority
            : DnsSection.Additional;
        _recordsRead++;
        var name = DnsName.Unchecked(_message, _position);
        int position = SkipName(_position);
        var type = (DnsType)BinaryPrimitives.ReadUInt16BigEndian(_message[position..]);
        ushort rawClass = BinaryPrimitives.ReadUInt16BigEndian(_message[(position + 2)..]);
        uint ttl = BinaryPrimitives.ReadUInt32BigEndian(_message[(position + 4)..]);
        int rdataLength = BinaryPrimitives.ReadUInt16BigEndian(_message[(position + 8)..]);
        int rdataOffset = position + DnsMessage.RecordFixedLength;
        _position = rdataOffset + rdataLength;
        record = new DnsRecord(_message, section, name, type, rawClass, ttl, rdataOffset, rdataLength);
        return true;
    }

    private readonly int SkipName(int position)
    {
        DnsName.TryCreate(_message, position, out _, out int end, out _);
        return end;
    }
}
