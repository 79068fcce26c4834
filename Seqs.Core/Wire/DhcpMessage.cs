using System.Buffers.Binary;

namespace Seqs.Wire;

/// <summary>
/// A DHCP message (RFC 2131 §2, Figure 1): the BOOTP fixed fields, the magic cookie and the options (RFC 2132),
/// with options also read from 'file' and 'sname' when the Option Overload option says so (RFC 2131 §4.1: options,
/// then file, then sname). When an option code appears more than once, the first occurrence is the one read;
/// RFC 3396 concatenation of split options is not done.
/// </summary>
public readonly ref struct DhcpMessage
{
    /// <summary>RFC 2131 §2: op to file, 236 octets, before the options field.</summary>
    public const int FixedLength = 236;

    /// <summary>The fixed fields and the magic cookie: the shortest message with an options field.</summary>
    public const int MinLength = FixedLength + 4;

    /// <summary>RFC 2131 §3: "the first four octets of the 'options' field ... 99, 130, 83 and 99".</summary>
    public const uint MagicCookie = 0x63_82_53_63;

    /// <summary>RFC 2131 §2: the leftmost bit of 'flags' asks the server to broadcast its reply.</summary>
    public const ushort BroadcastFlag = 0x8000;

    /// <summary>RFC 2131 §4.1: servers listen on 67, clients on 68.</summary>
    public const ushort ServerPort = 67;

    public const ushort ClientPort = 68;

    /// <summary>RFC 2131 §2: every client must accept messages of this size: 236 + a 312-octet options field + UDP/IP headers.</summary>
    public const int MinimumMaximumMessageSize = 576;

    /// <summary>RFC 1700 "Hardware Type": 1 is Ethernet.</summary>
    public const byte EthernetHardwareType = 1;

    internal static class Field
    {
        public const int Operation = 0;
        public const int HardwareType = 1;
        public const int HardwareAddressLength = 2;
        public const int Hops = 3;
        public const int TransactionId = 4;
        public const int Seconds = 8;
        public const int Flags = 10;
        public const int ClientAddress = 12;
        public const int YourAddress = 16;
        public const int ServerAddress = 20;
        public const int RelayAgentAddress = 24;
        public const int ClientHardwareAddress = 28;
        public const int ServerName = 44;
        public const int ServerNameLength = 64;
        public const int BootFileName = 108;
        public const int BootFileNameLength = 128;
        public const int MagicCookie = 236;
        public const int Options = 240;
    }

    private const byte OverloadFile = 1;
    private const byte OverloadServerName = 2;

    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>Unchecked view, for messages Seqs has just written.</summary>
    internal DhcpMessage(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>'op'.</summary>
    public DhcpOperation Operation => (DhcpOperation)_bytes[Field.Operation];

    /// <summary>'htype'; always 1 (Ethernet) after a successful parse.</summary>
    public byte HardwareType => _bytes[Field.HardwareType];

    /// <summary>'hlen'; always 6 after a successful parse.</summary>
    public byte HardwareAddressLength => _bytes[Field.HardwareAddressLength];

    public byte Hops => _bytes[Field.Hops];

    /// <summary>'xid'.</summary>
    public uint TransactionId => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.TransactionId..]);

    /// <summary>'secs': seconds since the client began acquiring or renewing.</summary>
    public ushort Seconds => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Seconds..]);

    public ushort Flags => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Flags..]);

    /// <summary>The BROADCAST bit of 'flags' (RFC 2131 §4.1).</summary>
    public bool IsBroadcast => (Flags & BroadcastFlag) != 0;

    /// <summary>'ciaddr': set only by a client in BOUND, RENEWING or REBINDING (RFC 2131 §2).</summary>
    public Ipv4Address ClientAddress => Ipv4Address.Read(_bytes[Field.ClientAddress..]);

    /// <summary>'yiaddr': the address the server gives the client.</summary>
    public Ipv4Address YourAddress => Ipv4Address.Read(_bytes[Field.YourAddress..]);

    /// <summary>'siaddr': the next server to use in bootstrap (not the server identifier).</summary>
    public Ipv4Address ServerAddress => Ipv4Address.Read(_bytes[Field.ServerAddress..]);

    /// <summary>'giaddr'.</summary>
    public Ipv4Address RelayAgentAddress => Ipv4Address.Read(_bytes[Field.RelayAgentAddress..]);

    /// <summary>The first six octets of 'chaddr'.</summary>
    public MacAddress ClientHardwareAddress => MacAddress.Read(_bytes[Field.ClientHardwareAddress..]);

    /// <summary>'sname', 64 octets.</summary>
    public ReadOnlySpan<byte> ServerName => _bytes.Slice(Field.ServerName, Field.ServerNameLength);

    /// <summary>'file', 128 octets.</summary>
    public ReadOnlySpan<byte> BootFileName => _bytes.Slice(Field.BootFileName, Field.BootFileNameLength);

    /// <summary>The options field after the magic cookie.</summary>
    public ReadOnlySpan<byte> Options => _bytes[Field.Options..];

    /// <summary>Option 53; always present and valid after a successful parse.</summary>
    public DhcpMessageType MessageType =>
        TryGetOption(DhcpOptionCode.DhcpMessageType, out ReadOnlySpan<byte> value) && value.Length == 1 ? (DhcpMessageType)value[0] : 0;

    /// <summary>
    /// Parses a message and checks every option's length against its field and, for the options Seqs reads, against
    /// RFC 2132. After true, no accessor throws and the typed option getters only fail when the option is absent.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out DhcpMessage message, out WireRejection rejection)
    {
        rejection = Check(bytes);
        message = rejection == WireRejection.None ? new DhcpMessage(bytes) : default;
        return rejection == WireRejection.None;
    }

    /// <summary>The value of the first option <paramref name="code"/>, looked up in options, then file, then sname.</summary>
    public bool TryGetOption(DhcpOptionCode code, out ReadOnlySpan<byte> value)
    {
        ReadOnlySpan<byte> options = Options;
        if (Find(options, code, out value))
            return true;
        byte overload = Find(options, DhcpOptionCode.OptionOverload, out ReadOnlySpan<byte> o) && o.Length == 1 ? o[0] : (byte)0;
        if ((overload & OverloadFile) != 0 && Find(BootFileName, code, out value))
            return true;
        return (overload & OverloadServerName) != 0 && Find(ServerName, code, out value);
    }

    public bool HasOption(DhcpOptionCode code) => TryGetOption(code, out _);

    /// <summary>A 4-octet address option such as <see cref="DhcpOptionCode.ServerIdentifier"/>.</summary>
    public bool TryGetAddress(DhcpOptionCode code, out Ipv4Address address)
    {
        bool found = TryGetOption(code, out ReadOnlySpan<byte> value) && value.Length == Ipv4Address.Length;
        address = found ? Ipv4Address.Read(value) : default;
        return found;
    }

    /// <summary>A 4-octet number option such as <see cref="DhcpOptionCode.IpAddressLeaseTime"/> (seconds).</summary>
    public bool TryGetUInt32(DhcpOptionCode code, out uint number)
    {
        bool found = TryGetOption(code, out ReadOnlySpan<byte> value) && value.Length == 4;
        number = found ? BinaryPrimitives.ReadUInt32BigEndian(value) : 0;
        return found;
    }

    /// <summary>A 2-octet number option such as <see cref="DhcpOptionCode.MaximumMessageSize"/>.</summary>
    public bool TryGetUInt16(DhcpOptionCode code, out ushort number)
    {
        bool found = TryGetOption(code, out ReadOnlySpan<byte> value) && value.Length == 2;
        number = found ? BinaryPrimitives.ReadUInt16BigEndian(value) : (ushort)0;
        return found;
    }

    public override string ToString()
    {
        WireRejection rejection = Check(_bytes);
        if (rejection != WireRejection.None)
            return WireText.Malformed("DHCP", rejection, _bytes.Length);
        return WireText.Invariant($"DHCP {MessageType} xid 0x{TransactionId:x8} chaddr {ClientHardwareAddress} ciaddr {ClientAddress} yiaddr {YourAddress}");
    }

    private static bool Find(ReadOnlySpan<byte> field, DhcpOptionCode code, out ReadOnlySpan<byte> value)
    {
        int i = 0;
        // Check has verified the structure, but a field read through overload is walked defensively all the same.
        while (i < field.Length)
        {
            var current = (DhcpOptionCode)field[i];
            if (current == DhcpOptionCode.End)
                break;
            if (current == DhcpOptionCode.Pad)
            {
                i++;
                continue;
            }
            if (i + 1 >= field.Length || i + 2 + field[i + 1] > field.Length)
                break;
            int length = field[i + 1];
            if (current == code)
            {
                value = field.Slice(i + 2, length);
                return true;
            }
            i += 2 + length;
        }
        value = default;
        return false;
    }

    private static WireRejection Check(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < MinLength)
            return WireRejection.Truncated;
        if (BinaryPrimitives.ReadUInt32BigEndian(bytes[Field.MagicCookie..]) != MagicCookie)
            return WireRejection.BadMagicCookie;
        if (bytes[Field.HardwareType] != EthernetHardwareType || bytes[Field.HardwareAddressLength] != MacAddress.Length)
            return WireRejection.UnsupportedHardwareAddress;
        ReadOnlySpan<byte> options = bytes[Field.Options..];
        WireRejection rejection = CheckField(options, endRequired: true, out byte overload);
        if (rejection != WireRejection.None)
            return rejection;
        // RFC 2132 §9.3: overloaded fields hold options too; they end with End or with the field.
        if ((overload & OverloadFile) != 0)
            rejection = CheckField(bytes.Slice(Field.BootFileName, Field.BootFileNameLength), endRequired: false, out _);
        if (rejection == WireRejection.None && (overload & OverloadServerName) != 0)
            rejection = CheckField(bytes.Slice(Field.ServerName, Field.ServerNameLength), endRequired: false, out _);
        if (rejection != WireRejection.None)
            return rejection;
        var message = new DhcpMessage(bytes);
        DhcpMessageType type = message.MessageType;
        if (type is < DhcpMessageType.Discover or > DhcpMessageType.Inform)
            return WireRejection.BadMessageType;
        bool reply = type is DhcpMessageType.Offer or DhcpMessageType.Ack or DhcpMessageType.Nak;
        if (message.Operation != (reply ? DhcpOperation.BootReply : DhcpOperation.BootRequest))
            return WireRejection.BadMessageType;
        return WireRejection.None;
    }

    /// <summary>RFC 2132 §2: walks one field of options, checking each length against the field and the code.</summary>
    private static WireRejection CheckField(ReadOnlySpan<byte> field, bool endRequired, out byte overload)
    {
        overload = 0;
        int i = 0;
        while (i < field.Length)
        {
            var code = (DhcpOptionCode)field[i];
            if (code == DhcpOptionCode.End)
                return WireRejection.None;
            if (code == DhcpOptionCode.Pad)
            {
                i++;
                continue;
            }
            // Beyond i + 1 is the length octet; the value must end inside the field.
            if (i + 1 >= field.Length)
                return WireRejection.BadDhcpOption;
            int length = field[i + 1];
            if (i + 2 + length > field.Length || !IsValidLength(code, length))
                return WireRejection.BadDhcpOption;
            if (code == DhcpOptionCode.OptionOverload)
            {
                overload = field[i + 2];
                if (overload is < 1 or > 3)
                    return WireRejection.BadDhcpOption;
            }
            i += 2 + length;
        }
        return endRequired ? WireRejection.MissingEndOption : WireRejection.None;
    }

    private static bool IsValidLength(DhcpOptionCode code, int length) => code switch
    {
        DhcpOptionCode.SubnetMask or DhcpOptionCode.BroadcastAddress or DhcpOptionCode.RequestedIpAddress
            or DhcpOptionCode.IpAddressLeaseTime or DhcpOptionCode.ServerIdentifier or DhcpOptionCode.RenewalTime
            or DhcpOptionCode.RebindingTime => length == 4,
        DhcpOptionCode.OptionOverload or DhcpOptionCode.DhcpMessageType => length == 1,
        DhcpOptionCode.MaximumMessageSize => length == 2,
        DhcpOptionCode.Router or DhcpOptionCode.DomainNameServer => length >= 4 && length % 4 == 0,
        DhcpOptionCode.ClientIdentifier => length >= 2,
        DhcpOptionCode.HostName or DhcpOptionCode.DomainName or DhcpOptionCode.ParameterRequestList => length >= 1,
        _ => true,
    };
}
