using Seqs.Services;
using Seqs.Simulation;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Tcp;

/// <summary>
/// Stack A writes chunks into B's TCP discard service for as long as the simulation runs: the one-way bulk
/// transfer that the throughput and allocation tests measure by what B discarded.
/// </summary>
internal sealed class BulkUpload : IDisposable
{
    private readonly TcpDiscardServer _discard;
    private readonly CancellationTokenSource _stop = new();

    public BulkUpload(SimulatedPair pair, TcpConnectionOptions options, int chunkSize)
    {
        _discard = new TcpDiscardServer(pair.B, options: options);
        _ = _discard.RunAsync(_stop.Token);
        byte[] chunk = new byte[chunkSize];
        _ = pair.LoopA.InvokeAsync(async () =>
        {
            TcpConnection connection = await pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, TcpDiscardServer.DefaultPort), options);
            while (!_stop.IsCancellationRequested)
                await connection.WriteAsync(chunk);
        });
    }

    public long OctetsDiscarded => _discard.OctetsDiscarded;

    public void Dispose()
    {
        _stop.Cancel();
        _discard.Dispose();
        _stop.Dispose();
    }
}
