using System.Buffers.Binary;
using Seqs.Wire;

namespace Seqs.Drivers.Cyw43.Register.Events;

/// <summary>
/// A firmware event as it arrives on the SDPCM event channel after the BDC header (embassy
/// structs.rs <c>EventPacket</c>; docs/reference/cyw43439.md#event-frames): an Ethernet header with ethertype 0x886C,
/// the Broadcom header (subtype 0x8001, length, version, OUI 00:10:18, user subtype 1), the 48-byte wl_event_msg in
/// big-endian order, then <see cref="DataLength"/> bytes of event data, which are little-endian.
/// </summary>
public readonly ref struct WlanEventFrame
{
    /// <summary>The Broadcom ethertype of event frames.</summary>
    public const ushort EtherType = 0x886C;

    public const ushort BcmSubtype = 0x8001;

    public const ushort BcmUserSubtype = 1;

    /// <summary>The Ethernet, Broadcom and wl_event_msg headers before the event data.</summary>
    public const int HeaderLength = Field.Data;

    /// <summary>wl_event_msg flags bit 0: the link is up (LINK events).</summary>
    public const ushort LinkFlag = 0x0001;

    private static ReadOnlySpan<byte> BroadcomOui => [0x00, 0x10, 0x18];

    private static class Field
    {
        public const int EtherType = 12;
        public const int BcmSubtype = 14;
        public const int BcmLength = 16;
        public const int BcmVersion = 18;
        public const int BcmOui = 19;
        public const int BcmUserSubtype = 22;
        public const int Version = 24;
        public const int Flags = 26;
        public const int EventType = 28;
        public const int Status = 32;
        public const int Reason = 36;
        public const int AuthType = 40;
        public const int DataLength = 44;
        public const int Address = 48;
        public const int InterfaceName = 54;
        public const int InterfaceIndex = 70;
        public const int BssConfigIndex = 71;
        public const int Data = 72;
    }

    private readonly ReadOnlySpan<byte> _bytes;

    private WlanEventFrame(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ushort Flags => BinaryPrimitives.ReadUInt16BigEndian(_bytes[Field.Flags..]);

    /// <summary>The LINK event's flags bit 0.</summary>
    public bool IsLinkUp => (Flags & LinkFlag) != 0;

    public WlanEventType EventType => (WlanEventType)BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.EventType..]);

    public uint Status => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.Status..]);

    public uint Reason => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.Reason..]);

    public uint AuthType => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.AuthType..]);

    public int DataLength => (int)BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.DataLength..]);

    /// <summary>The station or access point the event is about.</summary>
    public MacAddress Address => MacAddress.Read(_bytes[Field.Address..]);

    public int InterfaceIndex => _bytes[Field.InterfaceIndex];

    /// <summary>The event data, little-endian, <see cref="DataLength"/> bytes.</summary>
    public ReadOnlySpan<byte> Data => _bytes.Slice(Field.Data, DataLength);

    /// <summary>
    /// The ethertype, the Broadcom subtype, OUI and user subtype match, and the event data fits in
    /// <paramref name="bytes"/>. Anything else on the event channel is not an event. After true, no accessor throws.
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<byte> bytes, out WlanEventFrame frame)
    {
        frame = new WlanEventFrame(bytes);
        return bytes.Length >= HeaderLength
            && BinaryPrimitives.ReadUInt16BigEndian(bytes[Field.EtherType..]) == EtherType
            && BinaryPrimitives.ReadUInt16BigEndian(bytes[Field.BcmSubtype..]) == BcmSubtype
            && bytes.Slice(Field.BcmOui, 3).SequenceEqual(BroadcomOui)
            && BinaryPrimitives.ReadUInt16BigEndian(bytes[Field.BcmUserSubtype..]) == BcmUserSubtype
            && (uint)frame.DataLength <= (uint)(bytes.Length - HeaderLength);
    }

    /// <summary>Writes an event from <paramref name="source"/> to <paramref name="destination"/>; returns its length.</summary>
    public static int Write(Span<byte> destination, MacAddress to, MacAddress source, WlanEventType type, uint status, uint reason,
        ushort flags, MacAddress address, ReadOnlySpan<byte> data)
    {
        int length = HeaderLength + data.Length;
        destination[..length].Clear();
        to.Write(destination);
        source.Write(destination[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[Field.EtherType..], EtherType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[Field.BcmSubtype..], BcmSubtype);
        BinaryPrimitives.WriteUInt16BigEndian(destination[Field.BcmLength..], (ushort)(length - Field.BcmSubtype)); // not read by the driver
        destination[Field.BcmVersion] = 0;
        BroadcomOui.CopyTo(destination[Field.BcmOui..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[Field.BcmUserSubtype..], BcmUserSubtype);
        BinaryPrimitives.WriteUInt16BigEndian(destination[Field.Version..], 2);
        BinaryPrimitives.WriteUInt16BigEndian(destination[Field.Flags..], flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[Field.EventType..], (uint)type);
        BinaryPrimitives.WriteUInt32BigEndian(destination[Field.Status..], status);
        BinaryPrimitives.WriteUInt32BigEndian(destination[Field.Reason..], reason);
        BinaryPrimitives.WriteUInt32BigEndian(destination[Field.DataLength..], (uint)data.Length);
        address.Write(destination[Field.Address..]);
        "wlan0"u8.CopyTo(destination[Field.InterfaceName..]);
        data.CopyTo(destination[Field.Data..]);
        return length;
    }

    public override string ToString() =>
        _bytes.Length < HeaderLength ? "event (truncated)" : $"event {EventType} status {Status} reason {Reason} flags {Flags:X4}h data {DataLength} B";
}
