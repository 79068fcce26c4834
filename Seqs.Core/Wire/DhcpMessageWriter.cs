using System.Buffers.Binary;
using Field = Seqs.Wire.DhcpMessage.Field;

namespace Seqs.Wire;

/// <summary>
/// Builds a DHCP message (RFC 2131 §2) in a caller's buffer: the constructor writes the fixed fields, the magic
/// cookie and the Message Type option; options follow in the order they are written; <see cref="Finish"/> adds
/// End and the padding. Writing past the buffer is misuse and throws.
/// </summary>
public ref struct DhcpMessageWriter
{
    /// <summary>
    /// The BOOTP message size (RFC 951: 236 octets and a 64-octet vendor area). Messages are padded to it because
    /// some servers and relays still drop shorter ones (RFC 1542 §2.1).
    /// </summary>
    public const int MinimumLength = 300;

    private readonly Span<byte> _buffer;
    private int _length;

    public DhcpMessageWriter(Span<byte> buffer, DhcpOperation operation, DhcpMessageType type, uint transactionId, MacAddress clientHardwareAddress)
    {
        if (buffer.Length < MinimumLength)
            WireThrow.DestinationTooShort(nameof(buffer), MinimumLength, buffer.Length);
        _buffer = buffer;
        buffer[..DhcpMessage.MinLength].Clear();
        buffer[Field.Operation] = (byte)operation;
        buffer[Field.HardwareType] = DhcpMessage.EthernetHardwareType;
        buffer[Field.HardwareAddressLength] = MacAddress.Length;
        BinaryPrimitives.WriteUInt32BigEndian(buffer[Field.TransactionId..], transactionId);
        clientHardwareAddress.Write(buffer[Field.ClientHardwareAddress..]);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[Field.MagicCookie..], DhcpMessage.MagicCookie);
        _length = Field.Options;
        WriteByte(DhcpOptionCode.DhcpMessageType, (byte)type);
    }

    /// <summary>Octets written so far, without End and padding.</summary>
    public readonly int Length => _length;

    public readonly void SetSeconds(ushort seconds) => BinaryPrimitives.WriteUInt16BigEndian(_buffer[Field.Seconds..], seconds);

    public readonly void SetFlags(ushort flags) => BinaryPrimitives.WriteUInt16BigEndian(_buffer[Field.Flags..], flags);

    public readonly void SetClientAddress(Ipv4Address address) => address.Write(_buffer[Field.ClientAddress..]);

    public readonly void SetYourAddress(Ipv4Address address) => address.Write(_buffer[Field.YourAddress..]);

    public readonly void SetServerAddress(Ipv4Address address) => address.Write(_buffer[Field.ServerAddress..]);

    public readonly void SetRelayAgentAddress(Ipv4Address address) => address.Write(_buffer[Field.RelayAgentAddress..]);

    /// <summary>Writes an option with <paramref name="value"/> (at most 255 octets, RFC 2132 §2).</summary>
    public void Write(DhcpOptionCode code, scoped ReadOnlySpan<byte> value)
    {
        Span<byte> option = Reserve(code, value.Length);
        value.CopyTo(option);
    }

    public void WriteByte(DhcpOptionCode code, byte value) => Reserve(code, 1)[0] = value;

    public void WriteUInt16(DhcpOptionCode code, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(code, 2), value);

    public void WriteUInt32(DhcpOptionCode code, uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(code, 4), value);

    public void WriteAddress(DhcpOptionCode code, Ipv4Address address) => address.Write(Reserve(code, Ipv4Address.Length));

    /// <summary>An address-list option such as <see cref="DhcpOptionCode.DomainNameServer"/>; nothing when the list is empty.</summary>
    public void WriteAddresses(DhcpOptionCode code, scoped ReadOnlySpan<Ipv4Address> addresses)
    {
        if (addresses.IsEmpty)
            return;
        Span<byte> option = Reserve(code, addresses.Length * Ipv4Address.Length);
        for (int i = 0; i < addresses.Length; i++)
            addresses[i].Write(option[(i * Ipv4Address.Length)..]);
    }

    /// <summary>Writes End, pads with zeros to <see cref="MinimumLength"/>, and returns the message length.</summary>
    public int Finish()
    {
        if (_length + 1 > _buffer.Length)
            WireThrow.DestinationTooShort("buffer", _length + 1, _buffer.Length);
        _buffer[_length++] = (byte)DhcpOptionCode.End;
        if (_length < MinimumLength)
        {
            _buffer[_length..MinimumLength].Clear();
            _length = MinimumLength;
        }
        return _length;
    }

    private Span<byte> Reserve(DhcpOptionCode code, int length)
    {
        if ((uint)length > byte.MaxValue)
            WireThrow.OutOfRange(nameof(length), length, "A DHCP option holds at most 255 octets.");
        // One octet stays free for End.
        int end = _length + 2 + length;
        if (end + 1 > _buffer.Length)
            WireThrow.DestinationTooShort("buffer", end + 1, _buffer.Length);
        _buffer[_length] = (byte)code;
        _buffer[_length + 1] = (byte)length;
        Span<byte> value = _buffer.Slice(_length + 2, length);
        _length = end;
        return value;
    }
}
