using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Seqs.Diagnostics;
using Seqs.Services;
using Seqs.Stack;
using Seqs.Tcp;

namespace Seqs.Device.Tools;

/// <summary>
/// An iperf 2 compatible TCP server (port 5001) for throughput measurements in the field: it discards what an
/// <c>iperf -c</c> client sends, and for <c>iperf -c … -R</c> sends data back for as long as the client asked.
/// The client measures and reports either way; the server logs one line per test.
/// </summary>
/// <remarks>
/// iperf 2 (2.1.x) opens a test with its settings in network byte order: <c>client_hdr_v1</c> (flags, numThreads,
/// mPort, mBufLen, mWinBand, mAmount: six 32-bit fields) and, when flags has HEADER_EXTEND (0x40000000),
/// <c>client_hdrext</c> (type, length, then the 16-bit upper flags, whose HEADER_REVERSE is 0x0400). A negative
/// mAmount is the test's duration in units of 10 ms, a positive one a byte count. Without a header (iperf 2.0
/// clients), everything is data.
/// </remarks>
internal sealed partial class IperfServer(NetStack stack, ILogger log, TcpConnectionOptions? options = null, int? maxConnections = null)
    : TcpServer(stack, DefaultPort, options, maxConnections: maxConnections)
{
    public const ushort DefaultPort = 5001;

    private const int FlagsOffset = 0, AmountOffset = 20, UpperFlagsOffset = 32;
    private const int ExtendedHeaderPrefix = 36;
    private const uint HeaderExtend = 0x40000000;
    private const ushort HeaderReverse = 0x0400;

    /// <summary>The longest reverse test served, whatever the client asks: a field tool, not a load generator.</summary>
    private static readonly TimeSpan MaxReverseDuration = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan AmountUnit = TimeSpan.FromMilliseconds(10);

    // Shared by the server's connections: what is read is thrown away, and what is sent is zeros. 64 KiB, the most one
    // read takes from the stack's receive buffer (TcpServer.CopyBufferSize), so a large window is drained in few reads.
    private readonly byte[] _discard = new byte[64 * 1024];
    private readonly byte[] _payload = new byte[64 * 1024];
    private LogGate _servedLog = new(LogGate.InformationLinesPerMinute);

    /// <summary>Tests served, both directions.</summary>
    public long Tests { get; private set; }

    protected override async ValueTask HandleAsync(TcpConnection connection, CancellationToken cancellationToken)
    {
        byte[] header = new byte[ExtendedHeaderPrefix];
        int got = 0;
        int read;
        while (got < header.Length && (read = await connection.ReadAsync(header.AsMemory(got), cancellationToken).ConfigureAwait(true)) > 0)
            got += read;
        Tests++;
        TimeSpan started = Stack.Loop.Now;
        if (got == header.Length && IsReverse(header, out long amount))
        {
            long sent = await SendAsync(connection, amount, cancellationToken).ConfigureAwait(true);
            connection.ShutdownSend();
            LogServed("sent", sent, started, connection);
            return;
        }
        long received = got;
        while ((read = await connection.ReadAsync(_discard, cancellationToken).ConfigureAwait(true)) > 0)
            received += read;
        connection.ShutdownSend();
        LogServed("received", received, started, connection);
    }

    private void LogServed(string direction, long bytes, TimeSpan started, TcpConnection connection)
    {
        if (_servedLog.TryEnter(Stack.Loop.Now, out int suppressed))
            Log.Served(log, direction, bytes, Rate(bytes, Stack.Loop.Now - started), connection.RemoteEndPoint.ToString(), LogGate.Note(suppressed));
    }

    private static bool IsReverse(ReadOnlySpan<byte> header, out long amount)
    {
        uint flags = BinaryPrimitives.ReadUInt32BigEndian(header[FlagsOffset..]);
        amount = BinaryPrimitives.ReadInt32BigEndian(header[AmountOffset..]);
        return (flags & HeaderExtend) != 0 && (BinaryPrimitives.ReadUInt16BigEndian(header[UpperFlagsOffset..]) & HeaderReverse) != 0;
    }

    /// <summary>Sends for the time (negative <paramref name="amount"/>) or the bytes (positive) the client asked for.</summary>
    private async Task<long> SendAsync(TcpConnection connection, long amount, CancellationToken cancellationToken)
    {
        TimeSpan duration = amount < 0 ? AmountUnit * -amount : MaxReverseDuration;
        TimeSpan end = Stack.Loop.Now + (duration < MaxReverseDuration ? duration : MaxReverseDuration);
        long limit = amount > 0 ? amount : long.MaxValue;
        long sent = 0;
        while (sent < limit && Stack.Loop.Now < end)
        {
            int chunk = (int)Math.Min(_payload.Length, limit - sent);
            await connection.WriteAsync(_payload.AsMemory(0, chunk), cancellationToken).ConfigureAwait(true);
            sent += chunk;
        }
        return sent;
    }

    private static double Rate(long bytes, TimeSpan elapsed) => elapsed > TimeSpan.Zero ? bytes * 8 / elapsed.TotalSeconds / 1e6 : 0;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "iperf: {Direction} {Bytes} bytes, {MegabitsPerSecond:F1} Mbit/s, with {Client}{Suppressed}")]
        public static partial void Served(ILogger logger, string direction, long bytes, double megabitsPerSecond, string client, string suppressed);
    }
}
