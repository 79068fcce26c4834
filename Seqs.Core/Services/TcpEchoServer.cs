using System.Buffers;
using System.Runtime.CompilerServices;
using Seqs.Stack;
using Seqs.Tcp;

namespace Seqs.Services;

/// <summary>The echo service of RFC 862 over TCP: "any data received is sent back", until the client closes.</summary>
public sealed class TcpEchoServer(NetStack stack, ushort port = TcpEchoServer.DefaultPort, TcpConnectionOptions? options = null, int? maxConnections = null)
    : TcpServer(stack, port, options, maxConnections: maxConnections)
{
    public const ushort DefaultPort = 7;

    public long OctetsEchoed { get; private set; }

#if NET8_0_OR_GREATER
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
#endif
    protected override async ValueTask HandleAsync(TcpConnection connection, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            int n;
            while ((n = await connection.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await connection.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                OctetsEchoed += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
