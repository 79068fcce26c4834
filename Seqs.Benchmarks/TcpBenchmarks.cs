using BenchmarkDotNet.Attributes;
using Seqs.Scheduling;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Benchmarks;

/// <summary>
/// A whole TCP connection between two in-process stacks on a <see cref="CrossoverNic"/> pair: SYN, SYN-ACK, ACK,
/// accept, both sides close, FINs and ACKs, until neither stack holds the connection (TIME-WAIT set to zero).
/// </summary>
[MemoryDiagnoser]
public class TcpBenchmarks // not sealed: BenchmarkDotNet's generated runner derives from it
{
    private NetStack _client = null!;
    private NetStack _server = null!;
    private TcpListener _listener = null!;
    private TcpConnectionOptions _options = null!;
    private readonly Ipv4EndPoint _serverEndPoint = new(SimulatedPair.AddressB, 80);

    [GlobalSetup]
    public void Setup()
    {
        var stacks = new CrossoverStacks(ringFrames: 16);
        _client = stacks.A;
        _server = stacks.B;
        _options = new TcpConnectionOptions { TimeWaitDuration = TimeSpan.Zero, SendBufferSize = 2048, ReceiveBufferSize = 2048 };
        _listener = new TcpListener(_server, 80, _options);
        _server.Loop.Post(_ => _listener.Start(), null);
        HandshakeAndClose();
    }

    [Benchmark]
    public void HandshakeAndClose()
    {
        Task<TcpConnection> connect = null!;
        ValueTask<TcpConnection> accept = default;
        _client.Loop.Post(_ => connect = _client.ConnectAsync(_serverEndPoint, _options), null);
        _server.Loop.Post(_ => accept = _listener.AcceptAsync(), null);
        Turn(3);
        connect.Result.Dispose();
        accept.Result.Dispose();
        Turn(4);
        if (_client.TcpConnectionCount + _server.TcpConnectionCount != 0)
            throw new InvalidOperationException("The connection did not close.");
    }

    private void Turn(int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            _client.Loop.RunOnce();
            _server.Loop.RunOnce();
        }
    }
}
