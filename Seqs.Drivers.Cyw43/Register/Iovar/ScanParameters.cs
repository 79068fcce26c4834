using System.Buffers.Binary;

namespace Seqs.Drivers.Cyw43.Register.Iovar;

/// <summary>
/// The 76-byte value of the "escan" iovar (embassy structs.rs <c>ScanParams</c>; docs/reference/cyw43439.md#scan):
/// version 1, action 1 (start), sync_id, ssid_len + ssid[32], bssid ff×6, bss_type 2 (any), scan_type (0 active, 1
/// passive), nprobes, active, passive and home times (−1: the firmware's defaults), channel_num 0 (all), one u16
/// channel.
/// </summary>
public readonly ref struct ScanParameters
{
    public const int Length = 76;

    public const uint Version = 1;

    public const ushort StartAction = 1;

    private const byte AnyBssType = 2;

    private static class Field
    {
        public const int Version = 0;
        public const int Action = 4;
        public const int SyncId = 6;
        public const int SsidLength = 8;
        public const int Ssid = 12;
        public const int Bssid = 44;
        public const int BssType = 50;
        public const int ScanType = 51;
        public const int Nprobes = 52;
        public const int ActiveTime = 56;
        public const int PassiveTime = 60;
        public const int HomeTime = 64;
        public const int ChannelNum = 68;
    }

    private readonly ReadOnlySpan<byte> _bytes;

    private ScanParameters(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ushort Action => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Field.Action..]);

    public ushort SyncId => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[Field.SyncId..]);

    /// <summary>The SSID to look for; empty for all networks.</summary>
    public ReadOnlySpan<byte> Ssid => _bytes.Slice(Field.Ssid, Math.Min((int)BinaryPrimitives.ReadUInt32LittleEndian(_bytes[Field.SsidLength..]), BssInfo.MaxSsidLength));

    public bool IsPassive => _bytes[Field.ScanType] == 1;

    public static bool TryCreate(ReadOnlySpan<byte> bytes, out ScanParameters parameters)
    {
        parameters = new ScanParameters(bytes);
        return bytes.Length >= Length && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == Version;
    }

    public static void Write(Span<byte> destination, ushort syncId, bool passive)
    {
        destination[..Length].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination[Field.Version..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[Field.Action..], StartAction);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[Field.SyncId..], syncId);
        destination.Slice(Field.Bssid, 6).Fill(0xFF);
        destination[Field.BssType] = AnyBssType;
        destination[Field.ScanType] = (byte)(passive ? 1 : 0);
        BinaryPrimitives.WriteInt32LittleEndian(destination[Field.Nprobes..], -1);
        BinaryPrimitives.WriteInt32LittleEndian(destination[Field.ActiveTime..], -1);
        BinaryPrimitives.WriteInt32LittleEndian(destination[Field.PassiveTime..], -1);
        BinaryPrimitives.WriteInt32LittleEndian(destination[Field.HomeTime..], -1);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[Field.ChannelNum..], 0);
    }
}
