using System.Runtime.CompilerServices;
using Seqs.Scheduling;
using Seqs.Stack;
using Seqs.Tcp;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Services;

/// <summary>
/// A TCP service on one port that serves every connection it accepts at the same time, each in its own
/// asynchronous handler on the stack's loop. Handlers are kept for the next connections, each with its
/// <see cref="TcpConnection"/> (accepted into again and again) and its asynchronous state, so that a server under a
/// connection-per-request load allocates nothing per connection once it has served as many at once as it sees.
/// </summary>
public abstract class TcpServer : NetService
{
    private readonly TcpListener _listener;
    // Handlers that served a connection and wait for the next one; at most as many as the listener's backlog.
    private readonly Stack<ConnectionHandler> _idleHandlers = new();

    /// <param name="maxConnections">The connections served at once at most (<see cref="TcpListener.MaxConnections"/>).</param>
    protected TcpServer(NetStack stack, ushort port, TcpConnectionOptions? options = null, int backlog = 16, int? maxConnections = null)
        : base(stack)
    {
        _listener = new TcpListener(stack.Tcp, port, options, backlog, maxConnections);
    }

    public ushort Port => _listener.Port;

    /// <summary>The options of the connections it accepts.</summary>
    public TcpConnectionOptions Options => _listener.Options;

    /// <summary>The connections served at once at most; more are refused at the SYN.</summary>
    public int MaxConnections => _listener.MaxConnections;

    /// <summary>
    /// A connection on which the client sent nothing (not even an acknowledgment) for this long is reset; null (the
    /// default) for none. A service that answers anyone (echo, discard) sets one, so idle connections cannot pile up.
    /// </summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>
    /// A connection is reset this long after it was accepted, whatever it does; null (the default) for no limit. A
    /// service that sends for as long as the client reads (chargen) sets one.
    /// </summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Connections reset because they stayed idle for <see cref="IdleTimeout"/> or lasted <see cref="MaxDuration"/>.</summary>
    public long TimedOutConnections { get; private set; }

    /// <summary>
    /// The size of a per-connection buffer for copying received data: the receive buffer's size (256 octets to
    /// 64 KiB), so that one read can take all that has arrived.
    /// </summary>
    protected int CopyBufferSize => Math.Clamp(_listener.Options.ReceiveBufferSize, 256, 64 << 10);

    /// <summary>Connections accepted so far.</summary>
    public long Connections { get; private set; }

    /// <summary>Connections whose handler ended with an error (reset, timeout).</summary>
    public long FailedConnections { get; private set; }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _listener.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>
    /// Serves one connection on the loop; the connection is closed gracefully afterwards. Implementations on
    /// net10.0 use <see cref="PoolingAsyncValueTaskMethodBuilder"/> (the services of this library do), so that serving
    /// a connection allocates no state of its own.
    /// </summary>
    protected abstract ValueTask HandleAsync(TcpConnection connection, CancellationToken cancellationToken);

    protected sealed override async Task ServeAsync(CancellationToken cancellationToken)
    {
        _listener.Start();
        try
        {
            while (true)
            {
                ConnectionHandler handler = _idleHandlers.Count > 0 ? _idleHandlers.Pop() : new ConnectionHandler(this, cancellationToken);
                try
                {
                    await _listener.AcceptAsync(handler.Connection, cancellationToken);
                }
                catch
                {
                    // Stopping: the handler waits for its next connection with the same token, so it ends too.
                    _idleHandlers.Push(handler);
                    throw;
                }
                Connections++;
                handler.Serve();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _listener.Stop();
        }
    }

#if NET8_0_OR_GREATER
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
#endif
    private async ValueTask ServeConnectionAsync(TcpConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            // Not back through the loop's context: that would cost a post and an allocation per connection, and
            // the handler ends on the loop anyway, where its awaits resume.
            await HandleAsync(connection, cancellationToken).ConfigureAwait(false);
            ThrowIfOffLoop();
        }
        catch (IOException)
        {
            FailedConnections++;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server is stopping: the connection closes gracefully (a FIN after what was queued) rather than
            // with a reset.
        }
        finally
        {
            connection.Disconnect();
        }
    }

    private void ThrowIfOffLoop()
    {
        if (!Stack.Loop.IsOnLoopThread)
            throw new InvalidOperationException($"{GetType().Name}.HandleAsync ended off the loop's thread: its last await must resume on the loop (ConfigureAwait(true), the default).");
    }

    /// <summary>
    /// One handler: a connection to accept into and a loop that serves it each time <see cref="Serve"/> is called,
    /// then waits among the idle handlers for the next. It ends, disposing its connection, when the server stops or
    /// when the idle handlers are already as many as the backlog.
    /// </summary>
    private sealed class ConnectionHandler
    {
        private readonly TcpServer _server;
        private readonly LoopCompletion<int> _next;
        // Made only for a server with a time limit, and kept with the handler for its next connections.
        private readonly NetTimer? _limit;
        private TimeSpan _accepted;

        public ConnectionHandler(TcpServer server, CancellationToken stopping)
        {
            _server = server;
            _next = new LoopCompletion<int>(server.Stack.Loop);
            Connection = new TcpConnection(server.Stack.Tcp, server._listener.Options);
            if (server.IdleTimeout is not null || server.MaxDuration is not null)
                _limit = server.Stack.Loop.CreateTimer(OnLimit);
            _ = RunAsync(stopping);
        }

        public TcpConnection Connection { get; }

        private NetLoop Loop => _server.Stack.Loop;

        /// <summary>
        /// Serves the connection just accepted into <see cref="Connection"/>. The handler runs at once, until its
        /// first wait, as a new asynchronous handler would; the caller is loop work, where that is safe.
        /// </summary>
        public void Serve()
        {
            _accepted = Loop.Now;
            if (_limit is not null)
                ScheduleLimit(Loop.Now);
            _next.SetResultNow(0);
        }

        /// <summary>The limit is checked when the connection could first have outlived one: idle since its last segment, or at its end.</summary>
        private void ScheduleLimit(TimeSpan lastReceived)
        {
            TimeSpan due = TimeSpan.MaxValue;
            if (_server.IdleTimeout is TimeSpan idle)
                due = lastReceived + idle;
            if (_server.MaxDuration is TimeSpan duration && _accepted + duration < due)
                due = _accepted + duration;
            _limit!.Schedule(due);
        }

        private void OnLimit()
        {
            if (Connection.Tcb is not TcpControlBlock tcb)
                return;
            TimeSpan now = Loop.Now;
            bool idle = _server.IdleTimeout is TimeSpan timeout && now - tcb.LastReceived >= timeout;
            bool over = _server.MaxDuration is TimeSpan duration && now - _accepted >= duration;
            if (!idle && !over)
            {
                ScheduleLimit(tcb.LastReceived);
                return;
            }
            _server.TimedOutConnections++;
            Connection.Abort();
        }

        private async Task RunAsync(CancellationToken stopping)
        {
            using (Connection)
            {
                try
                {
                    while (true)
                    {
                        await _next.ArmWithoutResult(stopping);
                        await _server.ServeConnectionAsync(Connection, stopping).ConfigureAwait(false);
                        _limit?.Cancel();
                        if (stopping.IsCancellationRequested || _server._idleHandlers.Count >= _server._listener.Backlog)
                            return;
                        _server._idleHandlers.Push(this);
                    }
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                }
            }
        }
    }
}
