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
/// <see cref="HandshakeAndClose"/> keeps one <see cref="TcpConnection"/> on each side and reuses it, as a server
/// accepting into kept connections does; <see cref="HandshakeAndClose_NewConnections"/> makes new ones each time
/// (<see cref="NetStack.ConnectAsync"/> and <see cref="TcpListener.AcceptAsync(CancellationToken)"/>).
/// </summary>
[MemoryDiagnoser]
public class TcpBenchmarks // not sealed: BenchmarkDotNet's generated runner derives from it
{
    private NetStack _client = null!;
    private NetStack _server = null!;
    private TcpListener _listener = null!;
    private TcpConnectionOptions _options = null!;
    private TcpConnection _clientConnection = null!;
    private TcpConnection _serverConnection = null!;
    private ValueTask _connected;
    private ValueTask _accepted;
    private Task<TcpConnection> _newConnected = null!;
    private ValueTask<TcpConnection> _newAccepted;
    private readonly Ipv4EndPoint _serverEndPoint = new(SimulatedPair.AddressB, 80);

    [GlobalSetup]
    public void Setup()
    {
        var stacks = new CrossoverStacks(ringFrames: 16);
        _client = stacks.A;
        _server = stacks.B;
        _options = new TcpConnectionOptions { TimeWaitDuration = TimeSpan.Zero, SendBufferSize = 2048, ReceiveBufferSize = 2048 };
        _listener = new TcpListener(_server, 80, _options);
        _clientConnection = new TcpConnection(_client, _options);
        _serverConnection = new TcpConnection(_server, _options);
        _server.Loop.Post(_ => _listener.Start(), null);
        HandshakeAndClose();
        HandshakeAndClose_NewConnections();
        HandshakeThenAbort();
    }

    [Benchmark(Baseline = true)]
    public void HandshakeAndClose()
    {
        OpenBoth();
        _client.Loop.Post(static s => ((TcpBenchmarks)s!)._clientConnection.Disconnect(), this);
        _server.Loop.Post(static s => ((TcpBenchmarks)s!)._serverConnection.Disconnect(), this);
        Turn(4);
        ThrowIfNotClosed();
    }

    [Benchmark]
    public void HandshakeAndClose_NewConnections()
    {
        _client.Loop.Post(static s =>
        {
            var b = (TcpBenchmarks)s!;
            b._newConnected = b._client.ConnectAsync(b._serverEndPoint, b._options);
        }, this);
        _server.Loop.Post(static s =>
        {
            var b = (TcpBenchmarks)s!;
            b._newAccepted = b._listener.AcceptAsync();
        }, this);
        Turn(3);
        _newConnected.Result.Dispose();
        _newAccepted.Result.Dispose();
        Turn(4);
        ThrowIfNotClosed();
    }

    /// <summary>
    /// The shape of lneto's BenchmarkTCPHandshake: SYN, SYN-ACK, ACK and accept, then both sides abort; the client's
    /// RST closes the server's side, which then has nothing left to reset. Four frames where
    /// <see cref="HandshakeAndClose"/> has seven.
    /// </summary>
    [Benchmark]
    public void HandshakeThenAbort()
    {
        OpenBoth();
        _client.Loop.Post(static s => ((TcpBenchmarks)s!).AbortAndLetGo(((TcpBenchmarks)s!)._clientConnection), this);
        _server.Loop.Post(static s => ((TcpBenchmarks)s!).AbortAndLetGo(((TcpBenchmarks)s!)._serverConnection), this);
        Turn(2);
        ThrowIfNotClosed();
    }

    /// <summary>
    /// The harness alone: the same loop turns and cross-thread posts as <see cref="HandshakeAndClose"/> with nothing to
    /// do, which is the floor under the connection benchmarks.
    /// </summary>
    [Benchmark]
    public void LoopTurnsAlone()
    {
        _client.Loop.Post(static s => { }, this);
        _server.Loop.Post(static s => { }, this);
        Turn(3);
        _client.Loop.Post(static s => { }, this);
        _server.Loop.Post(static s => { }, this);
        Turn(4);
    }

    private void OpenBoth()
    {
        _client.Loop.Post(static s =>
        {
            var b = (TcpBenchmarks)s!;
            b._connected = b._clientConnection.ConnectAsync(b._serverEndPoint);
        }, this);
        _server.Loop.Post(static s =>
        {
            var b = (TcpBenchmarks)s!;
            b._accepted = b._listener.AcceptAsync(b._serverConnection);
        }, this);
        Turn(3);
        if (!_connected.IsCompletedSuccessfully || !_accepted.IsCompletedSuccessfully)
            throw new InvalidOperationException("The connection did not open.");
    }

    private void AbortAndLetGo(TcpConnection connection)
    {
        connection.Abort();
        connection.Disconnect();
    }

    private void ThrowIfNotClosed()
    {
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
