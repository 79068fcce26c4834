using System.Net.Sockets;
using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Tcp;

/// <summary>
/// The TCP of one stack: its connections (TIME-WAIT included) and listeners, the closed control blocks and rings
/// kept for the next connections, the sequence-number key and the counters. The IPv4 layer hands it each arriving
/// segment (<see cref="OnSegment"/>); it sends through an <see cref="ITcpSegmentSink"/> and fires its connections'
/// timers on the loop. Reach it as <c>NetStack.Tcp</c>. All members are for the loop's thread unless they say
/// otherwise.
/// </summary>
public sealed partial class TcpTable
{
    private readonly ITcpSegmentSink _network;
    private readonly SequenceKey _key;
    private readonly int _maxConnections;
    private readonly int _pooledConnections;
    private readonly int _maxTimeWaits;
    private readonly List<TcpControlBlock> _connections = [];
    // Closed control blocks kept for the next connections, so opening one allocates nothing.
    private readonly Stack<TcpControlBlock> _spare = new();
    private readonly List<TcpListener> _listeners = [];
    private RingPool? _rings;
    // Made when the first connection nobody holds enters TIME-WAIT.
    private TimeWaitSet? _timeWaits;

    /// <param name="loop">The loop that runs the stack.</param>
    /// <param name="network">The IPv4 layer.</param>
    /// <param name="mss">The MSS this host announces: the MTU less the IPv4 and TCP headers (RFC 9293 §3.7.1).</param>
    /// <param name="defaultOptions">The options of connections and listeners made without their own.</param>
    /// <param name="maxConnections">Connections in the table at most, TIME-WAIT included.</param>
    /// <param name="pooledConnections">Closed control blocks kept for reuse, each with its two rings.</param>
    /// <param name="maxTimeWaits">Connections nobody holds kept in TIME-WAIT, compactly, at most.</param>
    /// <param name="seeded">The seeded generator of a simulated stack, or null for the operating system's key.</param>
    internal TcpTable(NetLoop loop, ITcpSegmentSink network, ushort mss, TcpConnectionOptions defaultOptions,
        int maxConnections, int pooledConnections, int maxTimeWaits, Random? seeded)
    {
        Loop = loop;
        _network = network;
        Mss = mss;
        DefaultOptions = defaultOptions;
        _maxConnections = maxConnections;
        _pooledConnections = pooledConnections;
        _maxTimeWaits = maxTimeWaits;
        _key = new SequenceKey(seeded);
    }

    public NetLoop Loop { get; }

    /// <summary>The options of connections and listeners made without their own (<c>NetStackOptions.Tcp</c>).</summary>
    public TcpConnectionOptions DefaultOptions { get; }

    /// <summary>The MSS this host announces: the MTU less the IPv4 and TCP headers (RFC 9293 §3.7.1).</summary>
    public ushort Mss { get; }

    /// <summary>Connections in the table: open ones, and those in TIME-WAIT that an application still holds.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Connections in TIME-WAIT that nobody holds, kept compactly outside the table (<c>NetStackOptions.MaxTcpTimeWaits</c>).</summary>
    public int TimeWaitCount => _timeWaits?.Count ?? 0;

    private TimeWaitSet TimeWaits => _timeWaits ??= new TimeWaitSet(this, _maxTimeWaits);

    /// <summary>What this TCP did; made at first use, so that a stack that never uses TCP does not carry them.</summary>
    public TcpCounters Counters => _counters ??= new();

    private TcpCounters? _counters;

    internal SynCookies Cookies => new(_key);

    // RFC 6056 §3.3.3 next_ephemeral: how far the ports of active opens have moved on.
    private int _nextEphemeral;

    /// <summary>The rings of closed connections, for the next ones: two (send and receive) per pooled control block.</summary>
    internal RingPool Rings => _rings ??= new RingPool(2 * _pooledConnections);

    /// <summary>
    /// Active open (RFC 9293 §3.10.1) on a new <see cref="TcpConnection"/>: sends a SYN to <paramref name="remote"/>
    /// (resolving it or the gateway by ARP) and completes when the connection is established. Throws
    /// <see cref="SocketException"/>: ConnectionRefused on a RST, TimedOut after
    /// <see cref="TcpConnectionOptions.ConnectTimeout"/>, NetworkUnreachable without a route. Safe from any thread.
    /// <see cref="TcpConnection.ConnectAsync"/> on a connection the caller keeps does the same without allocating.
    /// </summary>
    public Task<TcpConnection> ConnectAsync(Ipv4EndPoint remote, TcpConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!Loop.IsOnLoopThread)
            return ConnectOffLoop(remote, options, cancellationToken);
        var connection = new TcpConnection(this, options);
        ValueTask connecting = connection.ConnectAsync(remote, cancellationToken);
        return Connected(connection, connecting);

        static async Task<TcpConnection> Connected(TcpConnection connection, ValueTask connecting)
        {
            await connecting.ConfigureAwait(true);
            return connection;
        }
    }

    /// <summary>
    /// Opens a control block in SYN-SENT toward <paramref name="remote"/> from a fresh ephemeral port and lists it;
    /// the caller attaches it and then calls <see cref="OnEvent"/> to send the SYN.
    /// </summary>
    internal TcpControlBlock OpenActive(Ipv4EndPoint remote, TcpConnectionOptions options)
    {
        if (remote.Address.IsBroadcast || remote.Address.IsMulticast || !_network.TryGetSource(remote.Address, out Ipv4Address source))
            throw new SocketException((int)SocketError.NetworkUnreachable);
        if (!HasRoomForConnection())
            throw new SocketException((int)SocketError.TooManyOpenSockets);
        // RFC 6056 §3.3.3, Algorithm 3, as Linux picks them: the ports toward one destination follow each other from a
        // keyed offset, so a port comes back to the same peer only after the whole range, long after a TIME-WAIT of
        // its last use ended on either side; it must not be a connection's, a waiting TIME-WAIT's or a listener's.
        int offset = (int)(uint)_key.Hash(new Ipv4EndPoint(source, 0), new Ipv4EndPoint(remote.Address, 0), default);
        ushort port = EphemeralPorts.PickFrom(offset + _nextEphemeral, (Table: this, Remote: remote, Source: source),
            static (s, candidate) => s.Table.Find(candidate, s.Remote) is not null || s.Table.FindListener(candidate) is not null
                || s.Table._timeWaits?.Holds(new Ipv4EndPoint(s.Source, candidate), s.Remote) == true,
            out int tried);
        _nextEphemeral += tried;
        var local = new Ipv4EndPoint(source, port);
        TcpControlBlock tcb = Take(local, remote);
        tcb.OpenActive(options, new InitialSequenceNumbers(_key).For(local, remote, Loop.Now), Mss, Loop.Now);
        List(tcb);
        return tcb;
    }

    /// <summary>RFC 9293 §3.10.7.2: the ISS of a connection a listener opens for a SYN.</summary>
    internal SeqNumber InitialSequenceNumber(Ipv4EndPoint local, Ipv4EndPoint remote) => new InitialSequenceNumbers(_key).For(local, remote, Loop.Now);

    /// <summary>A control block for a new connection: a spare one when there is one, else a new one.</summary>
    internal TcpControlBlock Take(Ipv4EndPoint local, Ipv4EndPoint remote)
    {
        if (!_spare.TryPop(out TcpControlBlock? tcb))
            tcb = new TcpControlBlock { Table = this };
        tcb.Bind(local, remote);
        return tcb;
    }

    internal void List(TcpControlBlock tcb)
    {
        tcb.Listed = true;
        _connections.Add(tcb);
    }

    /// <summary>A closed control block that no connection holds any more is kept for reuse while the pool has room.</summary>
    private void Recycle(TcpControlBlock tcb)
    {
        tcb.Retire();
        if (_spare.Count < _pooledConnections)
            _spare.Push(tcb);
    }

    /// <summary>
    /// Nobody will use <paramref name="tcb"/> any more: its <see cref="TcpConnection"/> let go of it, its connect
    /// failed, or it died before a listener handed it out. It finishes closing on its own, and returns to the pool
    /// once closed and out of the table.
    /// </summary>
    internal void Orphan(TcpControlBlock tcb)
    {
        tcb.Orphan(Loop.Now);
        tcb.TryReleaseBuffers();
        if (tcb.IsClosed && !tcb.Listed)
            Recycle(tcb);
    }

    /// <summary>A listener stopped with <paramref name="tcb"/> established but not accepted: reset it (RFC 9293 §3.10.5).</summary>
    internal void AbortUnaccepted(TcpControlBlock tcb)
    {
        tcb.Abort();
        Orphan(tcb);
        OnEvent(tcb);
    }

    internal void AddListener(TcpListener listener)
    {
        if (!Loop.IsOnLoopThread)
        {
            Loop.Post(static s =>
            {
                var (table, l) = ((TcpTable, TcpListener))s!;
                table.AddListener(l);
            }, (this, listener));
            return;
        }
        if (FindListener(listener.Port) is not null)
            throw new SocketException((int)SocketError.AddressAlreadyInUse);
        _listeners.Add(listener);
    }

    internal void RemoveListener(TcpListener listener) => _listeners.Remove(listener);

    /// <summary>ARP gave up on <paramref name="nextHop"/>: connections being opened through it fail now.</summary>
    internal void OnNextHopUnreachable(Ipv4Address nextHop)
    {
        for (int i = _connections.Count - 1; i >= 0; i--)
        {
            TcpControlBlock tcb = _connections[i];
            if (tcb.State == TcpState.SynSent && _network.TryGetNextHop(tcb.Remote.Address, out Ipv4Address hop) && hop == nextHop)
            {
                tcb.OnNextHopUnreachable();
                OnEvent(tcb);
            }
        }
    }

    /// <summary>A control block's timer fired (it is its own entry on the loop's timer heap).</summary>
    internal void OnTimer(TcpControlBlock tcb)
    {
        int retransmissions = tcb.Retransmissions;
        tcb.OnTimer(Loop.Now);
        // From the second timeout in a row, suspect the link-layer address (RFC 1122 §2.3.2.1, higher-layer advice):
        // a wrong ARP entry would otherwise black-hole the connection until the entry's lifetime ends.
        if (tcb.Retransmissions > retransmissions && tcb.Backoff >= 2
            && _network.TryGetNextHop(tcb.Remote.Address, out Ipv4Address nextHop) && !nextHop.IsUnspecified)
            _network.SuspectNextHop(nextHop);
        OnEvent(tcb);
    }

    private TcpControlBlock? Find(ushort localPort, Ipv4EndPoint remote)
    {
        for (int i = 0; i < _connections.Count; i++)
        {
            TcpControlBlock tcb = _connections[i];
            if (tcb.Local.Port == localPort && tcb.Remote == remote)
                return tcb;
        }
        return null;
    }

    private TcpListener? FindListener(ushort port)
    {
        foreach (TcpListener listener in _listeners)
        {
            if (listener.Port == port)
                return listener;
        }
        return null;
    }

    private Task<TcpConnection> ConnectOffLoop(Ipv4EndPoint remote, TcpConnectionOptions? options, CancellationToken cancellationToken) =>
        Loop.InvokeAsync(() => ConnectAsync(remote, options, cancellationToken));
}
