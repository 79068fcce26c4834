using System.Buffers;
using System.Runtime.CompilerServices;
using Seqs.Stack;
using Seqs.Tcp;

namespace Seqs.Services;

/// <summary>
/// The character generator of RFC 864 over TCP: lines of 72 printable characters, each starting one character
/// further along the 95-character ASCII cycle, sent until the client closes (the server stops at the client's FIN
/// or reset).
/// </summary>
public sealed class TcpChargenServer(NetStack stack, ushort port = TcpChargenServer.DefaultPort, TcpConnectionOptions? options = null, int? maxConnections = null)
    : TcpServer(stack, port, options, maxConnections: maxConnections)
{
    public const ushort DefaultPort = 19;

    /// <summary>RFC 864: "the 95 printing ASCII characters" (space through '~'), 72 per line, then CR LF.</summary>
    public const int LineLength = 72;

    private const int PrintableCount = 95;
    private const int BlockLines = PrintableCount;

    /// <summary>One full cycle of lines: after 95 lines the pattern repeats, so it is sent from a fixed block.</summary>
    private static readonly byte[] s_block = BuildBlock();

    public long OctetsSent { get; private set; }

    /// <summary>The exact bytes chargen sends first, for checking a transfer: the pattern repeated to <paramref name="length"/>.</summary>
    public static byte[] Expected(int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
            bytes[i] = s_block[i % s_block.Length];
        return bytes;
    }

#if NET8_0_OR_GREATER
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
#endif
    protected override async ValueTask HandleAsync(TcpConnection connection, CancellationToken cancellationToken)
    {
        // The client's FIN (or any data it sends, which chargen ignores) is watched for while sending.
        ValueTask watch = WatchForEndAsync(connection, cancellationToken);
        while (!watch.IsCompleted)
        {
            await connection.WriteAsync(s_block, cancellationToken);
            OctetsSent += s_block.Length;
        }
        await watch;
    }

#if NET8_0_OR_GREATER
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
#endif
    private static async ValueTask WatchForEndAsync(TcpConnection connection, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(512);
        try
        {
            while (await connection.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (IOException)
        {
            // A reset ends the watch as a FIN does; the next write fails on its own.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] BuildBlock()
    {
        var block = new byte[BlockLines * (LineLength + 2)];
        int at = 0;
        for (int line = 0; line < BlockLines; line++)
        {
            for (int i = 0; i < LineLength; i++)
                block[at++] = (byte)(' ' + (line + i) % PrintableCount);
            block[at++] = (byte)'\r';
            block[at++] = (byte)'\n';
        }
        return block;
    }
}
