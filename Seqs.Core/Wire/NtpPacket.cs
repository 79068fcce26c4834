using System.Buffers.Binary;

namespace Seqs.Wire;

/// <summary>
/// An NTP packet (RFC 5905 §7.3; SNTP, RFC 4330 §4): 48 octets of header and timestamps. Extension fields and a
/// MAC may follow; they are ignored.
/// </summary>
public readonly ref struct NtpPacket
{
    /// <summary>The header without extension fields or MAC.</summary>
    public const int Length = 48;

    /// <summary>NTP version 4 (RFC 5905).</summary>
    public const byte CurrentVersion = 4;

    /// <summary>The well-known NTP port (RFC 5905 §7.2).</summary>
    public const ushort Port = 123;

    private static class Field
    {
        public const int LeapVersionMode = 0;
        public const int Stratum = 1;
        public const int Poll = 2;
        public const int Precision = 3;
        public const int RootDelay = 4;
        public const int RootDispersion = 8;
        public const int ReferenceId = 12;
        public const int ReferenceTimestamp = 16;
        public const int OriginTimestamp = 24;
        public const int ReceiveTimestamp = 32;
        public const int TransmitTimestamp = 40;
    }

    private const int LeapShift = 6;
    private const int VersionShift = 3;
    private const int VersionMask = 0x07;
    private const int ModeMask = 0x07;

    /// <summary>NTP short format: 16 bits of seconds, 16 of fraction (RFC 5905 §6).</summary>
    private const double ShortFormatUnit = 1.0 / 65536;

    private readonly ReadOnlySpan<byte> _bytes;

    private NtpPacket(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>LI.</summary>
    public NtpLeapIndicator LeapIndicator => (NtpLeapIndicator)(_bytes[Field.LeapVersionMode] >> LeapShift);

    /// <summary>VN: 1 to 4 after a successful parse.</summary>
    public byte Version => (byte)((_bytes[Field.LeapVersionMode] >> VersionShift) & VersionMask);

    public NtpMode Mode => (NtpMode)(_bytes[Field.LeapVersionMode] & ModeMask);

    /// <summary>0 for a Kiss-o'-Death packet, 1 for a primary server, 2–15 for secondaries, 16 unsynchronized (RFC 5905 §7.3).</summary>
    public byte Stratum => _bytes[Field.Stratum];

    /// <summary>Maximum interval between messages, log2 seconds.</summary>
    public sbyte Poll => (sbyte)_bytes[Field.Poll];

    /// <summary>Precision of the system clock, log2 seconds.</summary>
    public sbyte Precision => (sbyte)_bytes[Field.Precision];

    /// <summary>Root delay, raw NTP short format.</summary>
    public uint RootDelayRaw => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.RootDelay..]);

    /// <summary>Root dispersion, raw NTP short format.</summary>
    public uint RootDispersionRaw => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.RootDispersion..]);

    /// <summary>Total round-trip delay to the reference clock. RFC 4330 §4 reads it as signed.</summary>
    public TimeSpan RootDelay => TimeSpan.FromSeconds((int)RootDelayRaw * ShortFormatUnit);

    /// <summary>Total dispersion to the reference clock.</summary>
    public TimeSpan RootDispersion => TimeSpan.FromSeconds((int)RootDispersionRaw * ShortFormatUnit);

    /// <summary>The reference clock's code, the server's upstream address, or a kiss code when <see cref="Stratum"/> is 0.</summary>
    public uint ReferenceId => BinaryPrimitives.ReadUInt32BigEndian(_bytes[Field.ReferenceId..]);

    /// <summary>The kiss code of a Kiss-o'-Death packet (RFC 5905 §7.4); meaningful when <see cref="Stratum"/> is 0.</summary>
    public NtpKissCode KissCode => (NtpKissCode)ReferenceId;

    public NtpTimestamp ReferenceTimestamp => Read(Field.ReferenceTimestamp);

    /// <summary>T1 in a reply: the client's transmit timestamp, echoed.</summary>
    public NtpTimestamp OriginTimestamp => Read(Field.OriginTimestamp);

    /// <summary>T2 in a reply: when the request reached the server.</summary>
    public NtpTimestamp ReceiveTimestamp => Read(Field.ReceiveTimestamp);

    /// <summary>T3 in a reply; the client's own time in a request.</summary>
    public NtpTimestamp TransmitTimestamp => Read(Field.TransmitTimestamp);

    /// <summary>
    /// Accepts 48 octets or more (RFC 5905 §7.3) with a version from 1 to 4. Whether the content makes sense
    /// (mode, stratum, timestamps) is the receiver's check (RFC 4330 §5).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out NtpPacket packet, out WireRejection rejection)
    {
        rejection = Check(bytes);
        packet = rejection == WireRejection.None ? new NtpPacket(bytes) : default;
        return rejection == WireRejection.None;
    }

    /// <summary>
    /// Writes a client request (RFC 4330 §5): version 4, mode 3, every other field zero except the transmit
    /// timestamp, which the server echoes as the origin timestamp. Returns <see cref="Length"/>.
    /// </summary>
    public static int WriteClientRequest(Span<byte> destination, NtpTimestamp transmit) =>
        Write(destination, new NtpPacketHeader(NtpLeapIndicator.NoWarning, CurrentVersion, NtpMode.Client, 0, 0, 0, 0, 0, 0),
            NtpTimestamp.Zero, NtpTimestamp.Zero, NtpTimestamp.Zero, transmit);

    /// <summary>Writes a whole packet and returns <see cref="Length"/>.</summary>
    public static int Write(Span<byte> destination, in NtpPacketHeader header, NtpTimestamp reference, NtpTimestamp origin,
        NtpTimestamp receive, NtpTimestamp transmit)
    {
        if (destination.Length < Length)
            WireThrow.DestinationTooShort(nameof(destination), Length, destination.Length);
        if (header.Version > VersionMask)
            WireThrow.OutOfRange(nameof(header), header.Version, "The NTP version is a 3-bit field.");
        destination[Field.LeapVersionMode] = (byte)(((int)header.LeapIndicator & 0x03) << LeapShift | header.Version << VersionShift | ((int)header.Mode & ModeMask));
        destination[Field.Stratum] = header.Stratum;
        destination[Field.Poll] = (byte)header.Poll;
        destination[Field.Precision] = (byte)header.Precision;
        BinaryPrimitives.WriteUInt32BigEndian(destination[Field.RootDelay..], header.RootDelay);
        BinaryPrimitives.WriteUInt32BigEndian(destination[Field.RootDispersion..], header.RootDispersion);
        BinaryPrimitives.WriteUInt32BigEndian(destination[Field.ReferenceId..], header.ReferenceId);
        BinaryPrimitives.WriteUInt64BigEndian(destination[Field.ReferenceTimestamp..], reference.Value);
        BinaryPrimitives.WriteUInt64BigEndian(destination[Field.OriginTimestamp..], origin.Value);
        BinaryPrimitives.WriteUInt64BigEndian(destination[Field.ReceiveTimestamp..], receive.Value);
        BinaryPrimitives.WriteUInt64BigEndian(destination[Field.TransmitTimestamp..], transmit.Value);
        return Length;
    }

    public override string ToString()
    {
        WireRejection rejection = Check(_bytes);
        if (rejection != WireRejection.None)
            return WireText.Malformed("NTP", rejection, _bytes.Length);
        return WireText.Invariant($"NTPv{Version} {Mode} stratum {Stratum} LI {(int)LeapIndicator} poll {Poll} xmt 0x{TransmitTimestamp.Value:x16}");
    }

    private NtpTimestamp Read(int offset) => new(BinaryPrimitives.ReadUInt64BigEndian(_bytes[offset..]));

    private static WireRejection Check(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Length)
            return WireRejection.Truncated;
        int version = (bytes[Field.LeapVersionMode] >> VersionShift) & VersionMask;
        return version is >= 1 and <= CurrentVersion ? WireRejection.None : WireRejection.BadVersion;
    }
}
