namespace Seqs.Tcp;

/// <summary>
/// Who gets a place in the table when it is full. A SYN never takes one by force: with the table full it is answered
/// with a SYN cookie (<see cref="TcpListener.OnSegment"/>), which costs nothing to keep. A connection that completes a
/// handshake (a cookie's ACK) may end another to make room, what costs an attacker least to create first: a
/// TIME-WAIT, then a half-open connection, then a connection nobody holds that is only closing, and last the longest
/// idle connection of the listener that holds the most, when it holds more than the newcomer's. So spoofed SYNs, or
/// idle connections piled on one service, cannot keep another service (the web interface) out.
/// </summary>
public sealed partial class TcpTable
{
    /// <summary>Connections in the table at most, TIME-WAIT included (<c>NetStackOptions.MaxTcpConnections</c>).</summary>
    public int MaxConnections => _maxConnections;

    /// <summary>
    /// Whether another connection fits the table; when it is full, the connection closest to the end of its
    /// TIME-WAIT is ended early to make room (its only duty, absorbing stray old segments, matters least).
    /// </summary>
    internal bool HasRoomForConnection()
    {
        if (_connections.Count < _maxConnections)
            return true;
        TcpControlBlock? oldest = null;
        foreach (TcpControlBlock tcb in _connections)
        {
            if (tcb.TimeWaitEnd is TimeSpan end && (oldest is null || end < oldest.TimeWaitEnd))
                oldest = tcb;
        }
        if (oldest is null || !oldest.TryEndTimeWait())
            return false;
        Counters.TimeWaitsEvicted++;
        OnEvent(oldest);
        return true;
    }

    /// <summary>
    /// Room for a connection of <paramref name="listener"/> whose handshake just completed: a free place, or one made
    /// by ending the cheapest connection to lose (see the class summary). False when every connection is worth more.
    /// </summary>
    internal bool TryMakeRoomFor(TcpListener listener)
    {
        TcpControlBlock? victim;
        if (ConnectionsOn(listener.Port) >= listener.MaxConnections)
        {
            // At its own bound with half-open connections among them (the caller checked the established ones): the
            // oldest of those gives its place up.
            victim = LongestIdle(tcb => tcb.Listener == listener && tcb.State == TcpState.SynReceived);
        }
        else
        {
            if (HasRoomForConnection())
                return true;
            victim = OldestHalfOpen() ?? OldestOrphanClosing() ?? LongestIdleOfLargestListener(listener);
        }
        if (victim is null)
            return false;
        Counters.ConnectionsEvicted++;
        victim.Abort();
        OnEvent(victim);
        return _connections.Count < _maxConnections;
    }

    /// <summary>
    /// Connections of the listener on <paramref name="port"/> in the table, unaccepted ones included; not those in
    /// TIME-WAIT, which give their place up to any newcomer.
    /// </summary>
    /// <param name="port">The listener's port.</param>
    /// <param name="halfOpen">False to count only the connections past their handshake.</param>
    internal int ConnectionsOn(ushort port, bool halfOpen = true)
    {
        int count = 0;
        foreach (TcpControlBlock tcb in _connections)
        {
            if (tcb.Local.Port == port && !tcb.IsClosed && tcb.State != TcpState.TimeWait && (halfOpen || tcb.State != TcpState.SynReceived))
                count++;
        }
        return count;
    }

    private TcpControlBlock? OldestHalfOpen() =>
        LongestIdle(static tcb => tcb.State == TcpState.SynReceived && tcb.Listener is not null);

    private TcpControlBlock? OldestOrphanClosing() =>
        LongestIdle(static tcb => tcb.IsOrphaned && tcb.State != TcpState.TimeWait);

    /// <summary>
    /// The longest idle connection an application holds of the listener with the most connections, when it holds
    /// more than <paramref name="newcomer"/>'s once the newcomer's is counted; connections queued for an accept are
    /// left alone (their listener holds them, and a full backlog already refuses more).
    /// </summary>
    private TcpControlBlock? LongestIdleOfLargestListener(TcpListener newcomer)
    {
        TcpListener? largest = null;
        int most = ConnectionsOn(newcomer.Port) + 1;
        foreach (TcpListener listener in _listeners)
        {
            int count = ConnectionsOn(listener.Port);
            if (count > most)
            {
                largest = listener;
                most = count;
            }
        }
        return largest is null ? null : LongestIdle(tcb => tcb.Local.Port == largest.Port && tcb.Owner is not null);
    }

    private TcpControlBlock? LongestIdle(Func<TcpControlBlock, bool> qualifies)
    {
        TcpControlBlock? idlest = null;
        foreach (TcpControlBlock tcb in _connections)
        {
            if (!tcb.IsClosed && qualifies(tcb) && (idlest is null || tcb.LastReceived < idlest.LastReceived))
                idlest = tcb;
        }
        return idlest;
    }
}
