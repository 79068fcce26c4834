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
    // The rounds HandshakeAndClose took to open and to close, which LoopTurnsAlone repeats without the connection.
    private int _openRounds;
    private int _closeRounds;

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
        _openRounds = OpenBoth();
        _closeRounds = CloseBoth();
        HandshakeAndClose_NewConnections();
        HandshakeThenAbort();
    }

    [Benchmark(Baseline = true)]
    public void HandshakeAndClose()
    {
        OpenBoth();
        CloseBoth();
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
        TurnUntil(static b => b._newConnected.IsCompleted && b._newAccepted.IsCompleted);
        _newConnected.Result.Dispose();
        _newAccepted.Result.Dispose();
        TurnUntilClosed();
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
        TurnUntilClosed();
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
        Turn(_openRounds);
        _client.Loop.Post(static s => { }, this);
        _server.Loop.Post(static s => { }, this);
        Turn(_closeRounds);
    }

    /// <summary>Opens the kept connections; returns the rounds of turns it took.</summary>
    private int OpenBoth()
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
        int rounds = TurnUntil(static b => b._connected.IsCompleted && b._accepted.IsCompleted);
        if (!_connected.IsCompletedSuccessfully || !_accepted.IsCompletedSuccessfully)
            throw new InvalidOperationException("The connection did not open.");
        return rounds;
    }

    /// <summary>Closes the kept connections on both sides; returns the rounds of turns it took.</summary>
    private int CloseBoth()
    {
        _client.Loop.Post(static s => ((TcpBenchmarks)s!)._clientConnection.Disconnect(), this);
        _server.Loop.Post(static s => ((TcpBenchmarks)s!)._serverConnection.Disconnect(), this);
        return TurnUntilClosed();
    }

    private void AbortAndLetGo(TcpConnection connection)
    {
        connection.Abort();
        connection.Disconnect();
    }

    private int TurnUntilClosed() => TurnUntil(static b => b._client.TcpConnectionCount + b._server.TcpConnectionCount == 0);

    /// <summary>Takes rounds of turns, one on each stack, until <paramref name="done"/>; returns how many it took.</summary>
    private int TurnUntil(Func<TcpBenchmarks, bool> done)
    {
        for (int rounds = 1; rounds <= MaxRounds; rounds++)
        {
            _client.Loop.RunOnce();
            _server.Loop.RunOnce();
            if (done(this))
                return rounds;
        }
        throw new InvalidOperationException($"Not done after {MaxRounds} rounds of turns.");
    }

    private const int MaxRounds = 16;

    private void Turn(int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            _client.Loop.RunOnce();
            _server.Loop.RunOnce();
        }
    }
}
