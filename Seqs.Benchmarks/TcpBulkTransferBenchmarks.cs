using BenchmarkDotNet.Attributes;
using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Benchmarks;

/// <summary>
/// Bulk TCP transfer between two in-process stacks over a zero-cost <see cref="CrossoverNic"/> pair: one operation
/// moves <see cref="Length"/> octets of payload from the client's writes to the server's reads, through full-size
/// segments with timestamps, window scaling and SACK negotiated, 256 KiB buffers and delayed ACKs. Throughput is
/// payload in GB/s (multiply by 8 for Gbit/s); Allocated is per operation, so per segment it is that over
/// Length / 1448.
/// </summary>
[MemoryDiagnoser]
[ThroughputColumn]
public class TcpBulkTransferBenchmarks // not sealed: BenchmarkDotNet's generated runner derives from it
{
    private NetStack _client = null!;
    private NetStack _server = null!;
    private long _received;

    [Params(1 << 20)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var stacks = new CrossoverStacks(ringFrames: 64);
        _client = stacks.A;
        _server = stacks.B;
        var options = new TcpConnectionOptions { SendBufferSize = 256 << 10, ReceiveBufferSize = 256 << 10 };
        var listener = new TcpListener(_server.Tcp, 5001, options);
        byte[] chunk = new byte[64 << 10];
        byte[] sink = new byte[64 << 10];
        _server.Loop.Post(_ => _ = ReadForeverAsync(listener, sink), null);
        _client.Loop.Post(_ => _ = WriteForeverAsync(_client, options, chunk), null);
        Transfer();
    }

    [Benchmark]
    public void Transfer()
    {
        long target = _received + Length;
        while (_received < target)
        {
            _client.Loop.RunOnce();
            _server.Loop.RunOnce();
        }
    }

    private async Task ReadForeverAsync(TcpListener listener, byte[] sink)
    {
        listener.Start();
        TcpConnection connection = await listener.AcceptAsync();
        int n;
        while ((n = await connection.ReadAsync(sink)) > 0)
            _received += n;
    }

    private static async Task WriteForeverAsync(NetStack client, TcpConnectionOptions options, byte[] chunk)
    {
        TcpConnection connection = await client.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 5001), options);
        while (true)
            await connection.WriteAsync(chunk);
    }
}
