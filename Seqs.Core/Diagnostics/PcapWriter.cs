using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Seqs.Diagnostics;

/// <summary>
/// Writes Ethernet frames in the classic libpcap file format (pcap-savefile(5); draft-ietf-opsawg-pcap): version 2.4,
/// microsecond timestamps, LINKTYPE_ETHERNET, little-endian. Wireshark, tshark and tcpdump read the result.
/// Not thread-safe. Owns the stream unless constructed with <c>leaveOpen: true</c>.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    /// <summary>The magic number of a microsecond-resolution file, written in the file's byte order.</summary>
    public const uint MagicNumber = 0xA1B2C3D4;

    /// <summary>The longest frame prefix stored, in bytes; longer frames keep their original length in the record.</summary>
    public const int SnapLength = 65535;

    private const ushort VersionMajor = 2;
    private const ushort VersionMinor = 4;
    private const uint LinkTypeEthernet = 1; // tcpdump.org link-layer header types: LINKTYPE_ETHERNET
    private const long UnixEpochTicks = 621_355_968_000_000_000; // DateTimeOffset.UnixEpoch.UtcTicks
    private const long TicksPerMicrosecond = 10;

    private static class FileHeader
    {
        public const int Magic = 0, VersionMajor = 4, VersionMinor = 6, ThisZone = 8, SigFigs = 12, SnapLength = 16, LinkType = 20;
        public const int Length = 24;
    }

    private static class RecordHeader
    {
        public const int Seconds = 0, Microseconds = 4, IncludedLength = 8, OriginalLength = 12;
        public const int Length = 16;
    }

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _recordHeader = new byte[RecordHeader.Length];
    private bool _disposed;

    /// <summary>Writes the file header to <paramref name="stream"/> at once.</summary>
    public PcapWriter(Stream stream, bool leaveOpen = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _leaveOpen = leaveOpen;
        Span<byte> header = stackalloc byte[FileHeader.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(header[FileHeader.Magic..], MagicNumber);
        BinaryPrimitives.WriteUInt16LittleEndian(header[FileHeader.VersionMajor..], VersionMajor);
        BinaryPrimitives.WriteUInt16LittleEndian(header[FileHeader.VersionMinor..], VersionMinor);
        BinaryPrimitives.WriteInt32LittleEndian(header[FileHeader.ThisZone..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[FileHeader.SigFigs..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[FileHeader.SnapLength..], SnapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[FileHeader.LinkType..], LinkTypeEthernet);
        _stream.Write(header);
    }

    /// <summary>Creates (or truncates) the file at <paramref name="path"/>; other processes may read it while it is written.</summary>
    public static PcapWriter Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), leaveOpen: false);

    public long FramesWritten { get; private set; }

    /// <summary>Appends one frame, without its FCS, stamped with <paramref name="timestamp"/> (stored as UTC, to the microsecond).</summary>
    public void Write(ReadOnlySpan<byte> frame, DateTimeOffset timestamp)
    {
        if (_disposed)
            ThrowDisposed();
        long microseconds = (timestamp.UtcTicks - UnixEpochTicks) / TicksPerMicrosecond;
        if (microseconds < 0)
            ThrowBeforeEpoch(timestamp);
        int included = Math.Min(frame.Length, SnapLength);
        Span<byte> header = _recordHeader;
        BinaryPrimitives.WriteUInt32LittleEndian(header[RecordHeader.Seconds..], (uint)(microseconds / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(header[RecordHeader.Microseconds..], (uint)(microseconds % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(header[RecordHeader.IncludedLength..], (uint)included);
        BinaryPrimitives.WriteUInt32LittleEndian(header[RecordHeader.OriginalLength..], (uint)frame.Length);
        _stream.Write(_recordHeader, 0, RecordHeader.Length);
        _stream.Write(frame[..included]);
        FramesWritten++;
    }

    public void Flush()
    {
        if (_disposed)
            ThrowDisposed();
        _stream.Flush();
    }

    /// <summary>Flushes, then disposes the stream unless the writer was made with <c>leaveOpen: true</c>.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _stream.Flush();
        if (!_leaveOpen)
            _stream.Dispose();
    }

    [DoesNotReturn]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(PcapWriter));

    [DoesNotReturn]
    private static void ThrowBeforeEpoch(DateTimeOffset timestamp) =>
        throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "A pcap timestamp cannot be earlier than 1970-01-01T00:00:00Z.");
}
