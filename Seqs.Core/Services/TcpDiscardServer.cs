using System.Buffers;
using System.Runtime.CompilerServices;
using Seqs.Stack;
using Seqs.Tcp;

namespace Seqs.Services;

/// <summary>The discard service of RFC 863 over TCP: "any data received is thrown away", until the client closes.</summary>
public sealed class TcpDiscardServer(NetStack stack, ushort port = TcpDiscardServer.DefaultPort, TcpConnectionOptions? options = null, int? maxConnections = null)
    : TcpServer(stack, port, options, maxConnections: maxConnections)
{
    public const ushort DefaultPort = 9;

    public long OctetsDiscarded { get; private set; }

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
                OctetsDiscarded += n;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
