using System.Buffers.Binary;

namespace Seqs.Wire;

/// <summary>
/// An Ethernet II frame as the NIC hands it over: destination, source, EtherType, payload, no FCS
/// (IEEE 802.3 §3.1.1, RFC 894). An IEEE 802.1Q tag after the source address is recognised and parsed.
/// </summary>
public readonly ref struct EthernetFrame
{
    /// <summary>Destination, source and EtherType: 14 octets.</summary>
    public const int HeaderLength = 14;

    /// <summary>An untagged header plus the 4-octet IEEE 802.1Q tag.</summary>
    public const int TaggedHeaderLength = 18;

    private static class Field
    {
        public const int Destination = 0;
        public const int Source = 6;
        public const int EtherType = 12;
        public const int Payload = 14;

        // IEEE 802.1Q §9.6: TPID 0x8100 sits where the EtherType would be, then the TCI, then the inner EtherType.
        public const int TagControl = 14;
        public const int InnerEtherType = 16;
        public const int TaggedPayload = 18;
    }

    private const ushort VlanIdMask = 0x0FFF;

    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>Unchecked view, for frames Seqs has just written.</summary>
    internal EthernetFrame(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public MacAddress Destination => MacAddress.Read(_bytes[Field.Destination..]);

    public MacAddress Source => MacAddress.Read(_bytes[Field.Source..]);

    /// <summary>The EtherType of the payload: the inner one when an 802.1Q tag is present.</summary>
    public EtherType EtherType => (EtherType)BinaryPrimitives.ReadUInt16BigEndian(
        _bytes[(HasVlanTag ? Field.InnerEtherType : Field.EtherType)..]);

    /// <summary>True when the outer EtherType is the 802.1Q TPID 0x8100.</summary>
    public bool HasVlanTag => IsTagged(_bytes);

    /// <summary>The 12-bit VLAN identifier (VID) of the 802.1Q tag; 0 when untagged (VID 0 also means priority-only).</summary>
    public ushort VlanId => HasVlanTag ? (ushort)(TagControl & VlanIdMask) : (ushort)0;

    /// <summary>The 3-bit Priority Code Point of the 802.1Q tag; 0 when untagged.</summary>
    public byte VlanPriority => HasVlanTag ? (byte)(TagControl >> 13) : (byte)0;

    /// <summary>
    /// The length of this frame's header: <see cref="HeaderLength"/> (14), or <see cref="TaggedHeaderLength"/> (18)
    /// with an 802.1Q tag. (C# cannot give a property the name of the <see cref="HeaderLength"/> constant.)
    /// </summary>
    public int PayloadOffset => HasVlanTag ? TaggedHeaderLength : HeaderLength;

    /// <summary>The octets after the header, including any padding up to the 60-octet minimum frame.</summary>
    public ReadOnlySpan<byte> Payload => _bytes[PayloadOffset..];

    private ushort TagControl => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.TagControl..]);

    /// <summary>Accepts any frame that holds its header; the EtherType is the stack's to judge.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out EthernetFrame frame, out WireRejection rejection)
    {
        rejection = Check(bytes);
        frame = rejection == WireRejection.None ? new EthernetFrame(bytes) : default;
        return rejection == WireRejection.None;
    }

    /// <summary>Writes an untagged header and returns <see cref="HeaderLength"/>.</summary>
    public static int WriteHeader(Span<byte> frame, MacAddress destination, MacAddress source, EtherType etherType)
    {
        if (frame.Length < HeaderLength)
            WireThrow.DestinationTooShort(nameof(frame), HeaderLength, frame.Length);
        destination.Write(frame[Field.Destination..]);
        source.Write(frame[Field.Source..]);
        BinaryPrimitives.WriteUInt16BigEndian(frame[Field.EtherType..], (ushort)etherType);
        return HeaderLength;
    }

    /// <summary>Writes a header with an 802.1Q tag (priority 0, DEI 0) and returns <see cref="TaggedHeaderLength"/>.</summary>
    public static int WriteHeader(Span<byte> frame, MacAddress destination, MacAddress source, EtherType etherType, ushort vlanId)
    {
        if (frame.Length < TaggedHeaderLength)
            WireThrow.DestinationTooShort(nameof(frame), TaggedHeaderLength, frame.Length);
        if (vlanId > VlanIdMask)
            WireThrow.OutOfRange(nameof(vlanId), vlanId, "An 802.1Q VLAN identifier is 12 bits.");
        destination.Write(frame[Field.Destination..]);
        source.Write(frame[Field.Source..]);
        BinaryPrimitives.WriteUInt16BigEndian(frame[Field.EtherType..], (ushort)EtherType.Vlan);
        BinaryPrimitives.WriteUInt16BigEndian(frame[Field.TagControl..], vlanId);
        BinaryPrimitives.WriteUInt16BigEndian(frame[Field.InnerEtherType..], (ushort)etherType);
        return TaggedHeaderLength;
    }

    public override string ToString()
    {
        WireRejection rejection = Check(_bytes);
        if (rejection != WireRejection.None)
            return WireText.Malformed("Ethernet", rejection, _bytes.Length);
        string tag = HasVlanTag ? WireText.Invariant($" vlan {VlanId}") : "";
        return WireText.Invariant($"Ethernet {Source} > {Destination}{tag} {WireText.Name(EtherType)} payload {Payload.Length}");
    }

    private static bool IsTagged(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= HeaderLength
        && BinaryPrimitives.ReadUInt16BigEndian(bytes[Field.EtherType..]) == (ushort)EtherType.Vlan;

    private static WireRejection Check(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength)
            return WireRejection.Truncated;
        if (IsTagged(bytes) && bytes.Length < TaggedHeaderLength)
            return WireRejection.Truncated;
        return WireRejection.None;
    }
}
