using System.Buffers.Binary;

namespace Seqs.Wire;

/// <summary>An RFC 826 ARP packet for Ethernet hardware and IPv4 protocol addresses, the only pairing Seqs resolves.</summary>
public readonly ref struct ArpPacket
{
    /// <summary>8 fixed octets plus two 6-octet hardware and two 4-octet protocol addresses.</summary>
    public const int Length = 28;

    /// <summary>RFC 826 ar$hrd for Ethernet (IANA "Hardware Types").</summary>
    public const ushort EthernetHardwareType = 1;

    private static class Field
    {
        public const int HardwareType = 0;
        public const int ProtocolType = 2;
        public const int HardwareAddressLength = 4;
        public const int ProtocolAddressLength = 5;
        public const int Operation = 6;
        public const int SenderHardwareAddress = 8;
        public const int SenderProtocolAddress = 14;
        public const int TargetHardwareAddress = 18;
        public const int TargetProtocolAddress = 24;
    }

    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>Unchecked view, for packets Seqs has just written.</summary>
    internal ArpPacket(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>ar$hrd; always 1 (Ethernet) after a successful parse.</summary>
    public ushort HardwareType => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.HardwareType..]);

    /// <summary>ar$pro; always 0x0800 (IPv4) after a successful parse.</summary>
    public EtherType ProtocolType => (EtherType)BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.ProtocolType..]);

    /// <summary>ar$hln, in octets.</summary>
    public byte HardwareAddressLength => _bytes[Field.HardwareAddressLength];

    /// <summary>ar$pln, in octets.</summary>
    public byte ProtocolAddressLength => _bytes[Field.ProtocolAddressLength];

    public ArpOperation Operation => (ArpOperation)BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Operation..]);

    /// <summary>ar$sha.</summary>
    public MacAddress SenderHardwareAddress => MacAddress.Read(_bytes[Field.SenderHardwareAddress..]);

    /// <summary>ar$spa.</summary>
    public Ipv4Address SenderProtocolAddress => Ipv4Address.Read(_bytes[Field.SenderProtocolAddress..]);

    /// <summary>ar$tha; RFC 826 leaves it unspecified in a request (Linux sends zeros).</summary>
    public MacAddress TargetHardwareAddress => MacAddress.Read(_bytes[Field.TargetHardwareAddress..]);

    /// <summary>ar$tpa.</summary>
    public Ipv4Address TargetProtocolAddress => Ipv4Address.Read(_bytes[Field.TargetProtocolAddress..]);

    /// <summary>
    /// Accepts an Ethernet/IPv4 request or reply. Octets past <see cref="Length"/> (Ethernet padding) are ignored.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out ArpPacket packet, out WireRejection rejection)
    {
        rejection = Check(bytes);
        packet = rejection == WireRejection.None ? new ArpPacket(bytes) : default;
        return rejection == WireRejection.None;
    }

    /// <summary>Writes an Ethernet/IPv4 ARP packet and returns <see cref="Length"/>.</summary>
    public static int Write(Span<byte> destination, ArpOperation operation, MacAddress senderHardware,
        Ipv4Address senderProtocol, MacAddress targetHardware, Ipv4Address targetProtocol)
    {
        if (destination.Length < Length)
            WireThrow.DestinationTooShort(nameof(destination), Length, destination.Length);
        BinaryPrimitives.WriteUInt16BigEndian(destination[Field.HardwareType..], EthernetHardwareType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[Field.ProtocolType..], (ushort)EtherType.Ipv4);
        destination[Field.HardwareAddressLength] = MacAddress.Length;
        destination[Field.ProtocolAddressLength] = Ipv4Address.Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination[Field.Operation..], (ushort)operation);
        senderHardware.Write(destination[Field.SenderHardwareAddress..]);
        senderProtocol.Write(destination[Field.SenderProtocolAddress..]);
        targetHardware.Write(destination[Field.TargetHardwareAddress..]);
        targetProtocol.Write(destination[Field.TargetProtocolAddress..]);
        return Length;
    }

    public override string ToString()
    {
        WireRejection rejection = Check(_bytes);
        if (rejection != WireRejection.None)
            return WireText.Malformed("ARP", rejection, _bytes.Length);
        return Operation == ArpOperation.Request
            ? WireText.Invariant($"ARP request who-has {TargetProtocolAddress} tell {SenderProtocolAddress} ({SenderHardwareAddress})")
            : WireText.Invariant($"ARP reply {SenderProtocolAddress} is-at {SenderHardwareAddress} to {TargetProtocolAddress} ({TargetHardwareAddress})");
    }

    private static WireRejection Check(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Length)
            return WireRejection.Truncated;
        var packet = new ArpPacket(bytes);
        if (packet.HardwareType != EthernetHardwareType)
            return WireRejection.UnsupportedHardwareType;
        if (packet.ProtocolType != EtherType.Ipv4)
            return WireRejection.UnsupportedProtocolType;
        if (packet.HardwareAddressLength != MacAddress.Length || packet.ProtocolAddressLength != Ipv4Address.Length)
            return WireRejection.BadAddressLength;
        if (packet.Operation is not (ArpOperation.Request or ArpOperation.Reply))
            return WireRejection.UnknownOperation;
        return WireRejection.None;
    }
}
