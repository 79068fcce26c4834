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
/// accept, both sides close (FIN, FIN,ACK, ACK), until neither stack holds the connection (TIME-WAIT set to zero).
/// <see cref="HandshakeAndClose"/> keeps one <see cref="TcpConnection"/> on each side and reuses it, as a server
/// accepting into kept connections does; <see cref="HandshakeAndClose_NewConnections"/> makes new ones each time
/// (<see cref="NetStack.ConnectAsync"/> and <see cref="TcpListener.AcceptAsync(CancellationToken)"/>). Each
/// operation takes rounds of turns, one on each loop, until the connection is open or gone.
/// </summary>
[MemoryDiagnoser]
public class TcpBenchmarks // not sealed: BenchmarkDotNet's generated runner derives from it
{
    private const int MaxRounds = 16;

    private NetStack _client = null!;
    private NetStack _server = null!;
    private KeptPair _full = null!;
    private KeptPair _mssOnly = null!;
    private Task<TcpConnection> _newConnected = null!;
    private ValueTask<TcpConnection> _newAccepted;
    // The rounds HandshakeAndClose takes to open and to close, which LoopTurnsAlone repeats without the connection.
    private int _openRounds;
    private int _closeRounds;

    [GlobalSetup]
    public void Setup()
    {
        var stacks = new CrossoverStacks(ringFrames: 16);
        _client = stacks.A;
        _server = stacks.B;
        _full = new KeptPair(this, 80, new TcpConnectionOptions { TimeWaitDuration = TimeSpan.Zero, SendBufferSize = 2048, ReceiveBufferSize = 2048 });
        _mssOnly = new KeptPair(this, 81, new TcpConnectionOptions
        {
            TimeWaitDuration = TimeSpan.Zero,
            SendBufferSize = 2048,
            ReceiveBufferSize = 2048,
            Timestamps = false,
            WindowScaling = false,
            Sack = false,
        });
        HandshakeAndClose();
        _openRounds = _full.Open();
        _closeRounds = _full.Close();
        HandshakeAndClose_NewConnections();
        HandshakeThenAbort();
        HandshakeThenAbort_MssOnly();
    }

    [Benchmark(Baseline = true)]
    public void HandshakeAndClose()
    {
        _full.Open();
        _full.Close();
    }

    [Benchmark]
    public void HandshakeAndClose_NewConnections()
    {
        _client.Loop.Post(static s =>
        {
            var b = (TcpBenchmarks)s!;
            b._newConnected = b._client.Tcp.ConnectAsync(b._full.ServerEndPoint, b._full.Options);
        }, this);
        _server.Loop.Post(static s =>
        {
            var b = (TcpBenchmarks)s!;
            b._newAccepted = b._full.Listener.AcceptAsync();
        }, this);
        TurnUntil(this, static b => b._newConnected.IsCompleted && b._newAccepted.IsCompleted);
        _newConnected.Result.Dispose();
        _newAccepted.Result.Dispose();
        TurnUntilClosed();
    }

    /// <summary>
    /// The shape of lneto's BenchmarkTCPHandshake: SYN, SYN-ACK, ACK and accept, then both sides abort. The client's
    /// RST (RFC 9293 §3.10.5: ABORT in ESTABLISHED sends one) closes the server's side, which then has nothing left to
    /// reset: four frames, where lneto's abort sends nothing and has three (lneto BenchmarkTCPHandshake;
    /// docs/reference/seqs-and-lneto.md#performance).
    /// </summary>
    [Benchmark]
    public void HandshakeThenAbort() => _full.OpenThenAbort();

    /// <summary>
    /// <see cref="HandshakeThenAbort"/> with timestamps, window scaling and SACK off, so that the SYNs carry only the
    /// MSS option and the other segments none, as lneto's do: the same frames as lneto's benchmark, plus the RST.
    /// </summary>
    [Benchmark]
    public void HandshakeThenAbort_MssOnly() => _mssOnly.OpenThenAbort();

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

    private int TurnUntilClosed() => TurnUntil(this, static b => b._client.Tcp.ConnectionCount + b._server.Tcp.ConnectionCount == 0);

    /// <summary>Takes rounds of turns, one on each stack, until <paramref name="done"/>; returns how many it took.</summary>
    private int TurnUntil<TState>(TState state, Func<TState, bool> done)
    {
        for (int rounds = 1; rounds <= MaxRounds; rounds++)
        {
            _client.Loop.RunOnce();
            _server.Loop.RunOnce();
            if (done(state))
                return rounds;
        }
        throw new InvalidOperationException($"Not done after {MaxRounds} rounds of turns.");
    }

    private void Turn(int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            _client.Loop.RunOnce();
            _server.Loop.RunOnce();
        }
    }

    /// <summary>A listener and one kept <see cref="TcpConnection"/> on each side, opened and closed again and again.</summary>
    private sealed class KeptPair
    {
        private readonly TcpBenchmarks _bench;
        private readonly TcpConnection _clientConnection;
        private readonly TcpConnection _serverConnection;
        private ValueTask _connected;
        private ValueTask _accepted;

        public KeptPair(TcpBenchmarks bench, ushort port, TcpConnectionOptions options)
        {
            _bench = bench;
            Options = options;
            ServerEndPoint = new Ipv4EndPoint(SimulatedPair.AddressB, port);
            Listener = new TcpListener(bench._server.Tcp, port, options);
            _clientConnection = new TcpConnection(bench._client.Tcp, options);
            _serverConnection = new TcpConnection(bench._server.Tcp, options);
            bench._server.Loop.Post(static s => ((TcpListener)s!).Start(), Listener);
        }

        public TcpConnectionOptions Options { get; }

        public Ipv4EndPoint ServerEndPoint { get; }

        public TcpListener Listener { get; }

        /// <summary>Opens both connections; returns the rounds of turns it took.</summary>
        public int Open()
        {
            _bench._client.Loop.Post(static s =>
            {
                var p = (KeptPair)s!;
                p._connected = p._clientConnection.ConnectAsync(p.ServerEndPoint);
            }, this);
            _bench._server.Loop.Post(static s =>
            {
                var p = (KeptPair)s!;
                p._accepted = p.Listener.AcceptAsync(p._serverConnection);
            }, this);
            int rounds = _bench.TurnUntil(this, static p => p._connected.IsCompleted && p._accepted.IsCompleted);
            if (!_connected.IsCompletedSuccessfully || !_accepted.IsCompletedSuccessfully)
                throw new InvalidOperationException("The connection did not open.");
            return rounds;
        }

        /// <summary>Both sides close; returns the rounds of turns until neither stack holds the connection.</summary>
        public int Close()
        {
            _bench._client.Loop.Post(static s => ((KeptPair)s!)._clientConnection.Disconnect(), this);
            _bench._server.Loop.Post(static s => ((KeptPair)s!)._serverConnection.Disconnect(), this);
            return _bench.TurnUntilClosed();
        }

        public void OpenThenAbort()
        {
            Open();
            _bench._client.Loop.Post(static s => AbortAndLetGo(((KeptPair)s!)._clientConnection), this);
            _bench._server.Loop.Post(static s => AbortAndLetGo(((KeptPair)s!)._serverConnection), this);
            _bench.TurnUntilClosed();
        }

        private static void AbortAndLetGo(TcpConnection connection)
        {
            connection.Abort();
            connection.Disconnect();
        }
    }
}
