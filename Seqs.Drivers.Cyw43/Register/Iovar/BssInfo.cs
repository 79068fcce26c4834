using System.Buffers.Binary;
using Seqs.Wire;

namespace Seqs.Drivers.Cyw43.Register.Iovar;

/// <summary>
/// One wl_bss_info record of an ESCAN_RESULT event, little-endian with natural alignment (Linux
/// brcmfmac fwil_types.h <c>struct brcmf_bss_info_le</c>; embassy structs.rs BssInfo; docs/reference/cyw43439.md#scan):
/// version, length, BSSID, beacon period, capability, SSID, rate set, chanspec, ..., RSSI, ..., and the offset and
/// length of the information elements.
/// </summary>
public readonly ref struct BssInfo
{
    /// <summary>The fixed part of the record; the information elements usually start here.</summary>
    public const int FixedLength = 128;

    public const int MaxSsidLength = 32;

    /// <summary>IEEE 802.11 capability information, bit 4: Privacy (the network encrypts).</summary>
    public const ushort PrivacyCapability = 0x0010;

    /// <summary>IEEE 802.11 element ID of the RSN element, present for WPA2.</summary>
    public const byte RsnElementId = 48;

    /// <summary>IEEE 802.11 element ID of vendor-specific elements.</summary>
    public const byte VendorElementId = 221;

    /// <summary>Chanspec bits 7:0: the channel number (2.4 GHz, 20 MHz).</summary>
    private const ushort ChanspecChannelMask = 0x00FF;

    private static class Field
    {
        public const int Version = 0;
        public const int Length = 4;
        public const int Bssid = 8;
        public const int BeaconPeriod = 14;
        public const int Capability = 16;
        public const int SsidLength = 18;
        public const int Ssid = 19;
        public const int Chanspec = 72;
        public const int Rssi = 78;
        public const int IeOffset = 116;
        public const int IeLength = 120;
    }

    private readonly ReadOnlySpan<byte> _bytes;

    private BssInfo(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public int Length => (int)BinaryPrimitives.ReadUInt32LittleEndian(_bytes[Field.Length..]);

    public MacAddress Bssid => MacAddress.Read(_bytes[Field.Bssid..]);

    public ushort Capability => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Field.Capability..]);

    public ReadOnlySpan<byte> Ssid => _bytes.Slice(Field.Ssid, Math.Min((int)_bytes[Field.SsidLength], MaxSsidLength));

    public int Channel => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Field.Chanspec..]) & ChanspecChannelMask;

    /// <summary>Received signal strength in dBm.</summary>
    public short Rssi => BinaryPrimitives.ReadInt16LittleEndian(_bytes[Field.Rssi..]);

    /// <summary>The information elements: (ID, length, body) triples.</summary>
    public ReadOnlySpan<byte> InformationElements =>
        _bytes.Slice(BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Field.IeOffset..]), (int)BinaryPrimitives.ReadUInt32LittleEndian(_bytes[Field.IeLength..]));

    /// <summary>Whether the RSN element (WPA2) is present.</summary>
    public bool HasRsnElement => HasElement(RsnElementId, default);

    /// <summary>Whether Microsoft's WPA vendor element (ID 221, OUI 00:50:F2, type 1: WPA1) is present.</summary>
    public bool HasWpaElement => HasElement(VendorElementId, [0x00, 0x50, 0xF2, 0x01]);

    /// <summary>Whether an element with <paramref name="id"/> whose body starts with <paramref name="bodyPrefix"/> is present.</summary>
    private bool HasElement(byte id, ReadOnlySpan<byte> bodyPrefix)
    {
        ReadOnlySpan<byte> elements = InformationElements;
        while (elements.Length >= 2)
        {
            int length = elements[1];
            if (2 + length > elements.Length)
                return false;
            if (elements[0] == id && elements.Slice(2, length).StartsWith(bodyPrefix))
                return true;
            elements = elements[(2 + length)..];
        }
        return false;
    }

    /// <summary>
    /// The fixed part fits, the record's length covers it and stays within <paramref name="bytes"/>, and the
    /// elements lie inside the record. After true, no accessor throws.
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<byte> bytes, out BssInfo info)
    {
        info = new BssInfo(bytes);
        if (bytes.Length < FixedLength)
            return false;
        uint length = (uint)info.Length;
        uint ieOffset = BinaryPrimitives.ReadUInt16LittleEndian(bytes[Field.IeOffset..]);
        uint ieLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[Field.IeLength..]);
        if (length < FixedLength || length > (uint)bytes.Length || ieOffset > length || ieLength > length - ieOffset)
            return false;
        info = new BssInfo(bytes[..(int)length]);
        return true;
    }

    /// <summary>Writes a record with the given elements after the fixed part; returns its length.</summary>
    public static int Write(Span<byte> destination, MacAddress bssid, ReadOnlySpan<byte> ssid, int channel, short rssi, ushort capability, ReadOnlySpan<byte> elements)
    {
        int length = FixedLength + elements.Length;
        destination[..length].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination[Field.Version..], 109);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[Field.Length..], (uint)length);
        bssid.Write(destination[Field.Bssid..]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[Field.BeaconPeriod..], 100);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[Field.Capability..], capability);
        destination[Field.SsidLength] = (byte)ssid.Length;
        ssid.CopyTo(destination[Field.Ssid..]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[Field.Chanspec..], (ushort)channel);
        BinaryPrimitives.WriteInt16LittleEndian(destination[Field.Rssi..], rssi);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[Field.IeOffset..], FixedLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[Field.IeLength..], (uint)elements.Length);
        elements.CopyTo(destination[FixedLength..]);
        return length;
    }
}
