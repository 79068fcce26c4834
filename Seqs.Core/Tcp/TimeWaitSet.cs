using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Tcp;

/// <summary>
/// The connections in TIME-WAIT that nobody holds, kept compactly (<see cref="TimeWaitEntry"/>) outside the
/// connection table, at most a fixed number like Linux's <c>tcp_max_tw_buckets</c>: when full, the oldest wait ends
/// early, so TIME-WAIT never crowds out live connections nor makes a SYN wait. Entries form a ring in the order they
/// entered, which is the order their waits end (all waits are as long, and a restarted one enters again at the
/// back); the set is its own entry on the loop's timer heap.
/// </summary>
internal sealed class TimeWaitSet(TcpTable table, int capacity) : LoopTimer
{
    private TimeWaitEntry[] _ring = new TimeWaitEntry[Math.Min(capacity, 16)];
    private int _head;
    private int _count;

    /// <summary>Connections waiting (entries whose wait has not ended or been taken).</summary>
    public int Count { get; private set; }

    /// <summary>Keeps <paramref name="entry"/> until its wait ends; the oldest wait ends now when the set is full.</summary>
    public void Add(in TimeWaitEntry entry)
    {
        if (_count == _ring.Length && !TryGrow())
        {
            if (_ring[_head].Until.IsSet)
            {
                table.Counters.TimeWaitsEvicted++;
                Count--;
            }
            DropHead();
        }
        _ring[(_head + _count) % _ring.Length] = entry;
        _count++;
        Count++;
        Schedule();
    }

    /// <summary>
    /// RFC 9293 §3.10.7.4 in TIME-WAIT, for a segment to a waiting 4-tuple; false when none waits. A SYN that RFC 6191
    /// lets open a new incarnation ends the wait and is left to the listener (<paramref name="reopen"/>); a
    /// retransmitted FIN is acknowledged and the wait restarts; a reset at RCV.NXT ends the wait; anything else out of
    /// order gets an ACK, as the full control block would send.
    /// </summary>
    /// <param name="timestampsForNew">Timestamps would be on for a new incarnation: the SYN offers them and the listener takes them.</param>
    public bool TryTake(in Segment seg, Ipv4EndPoint local, Ipv4EndPoint remote, bool timestampsForNew, TimeSpan now, out bool reopen)
    {
        reopen = false;
        int slot = Find(local, remote);
        if (slot < 0)
            return false;
        ref TimeWaitEntry entry = ref _ring[slot];
        if (seg.HasSyn && !seg.HasAck && !seg.HasRst)
        {
            // RFC 6191 §2: otherwise the SYN is silently dropped and the wait goes on.
            if (TcpControlBlock.AllowsNewIncarnation(seg, entry.RcvNxt, entry.Timestamps, entry.TsRecent, timestampsForNew))
            {
                End(ref entry);
                table.Counters.TimeWaitsReused++;
                reopen = true;
            }
            return true;
        }
        if (seg.HasRst)
        {
            // RFC 5961 §3.2: only a reset at exactly RCV.NXT ends the connection.
            if (seg.Seq == entry.RcvNxt)
                End(ref entry);
            return true;
        }
        // RFC 9293 §3.10.7.4: "The only thing that can arrive in this state is a retransmission of the remote FIN.
        // Acknowledge it, and restart the 2 MSL timeout."
        if (seg.HasFin && seg.Seq + seg.SequenceLength == entry.RcvNxt)
        {
            TimeWaitEntry restarted = entry;
            End(ref entry);
            restarted.Until = now + table.DefaultOptions.TimeWaitDuration;
            Add(restarted);
            Acknowledge(restarted, now);
            return true;
        }
        // An old duplicate or a stray: not acceptable in a closed window, so it is answered with an ACK; a bare ACK
        // at RCV.NXT (the peer's answer to one) is not.
        if (seg.SequenceLength > 0 || seg.Seq != entry.RcvNxt)
            Acknowledge(entry, now);
        return true;
    }

    internal override void Fire()
    {
        TimeSpan now = table.Loop.Now;
        while (_count > 0 && (!_ring[_head].Until.IsSet || _ring[_head].Until.IsDue(now)))
        {
            if (_ring[_head].Until.IsSet)
                Count--;
            DropHead();
        }
        Schedule();
    }

    /// <summary>A connection of this 4-tuple waits here.</summary>
    public bool Holds(Ipv4EndPoint local, Ipv4EndPoint remote) => Find(local, remote) >= 0;

    private int Find(Ipv4EndPoint local, Ipv4EndPoint remote)
    {
        for (int i = 0; i < _count; i++)
        {
            int slot = (_head + i) % _ring.Length;
            if (_ring[slot].IsFor(local, remote))
                return slot;
        }
        return -1;
    }

    /// <summary>The wait ends early: the slot stays in the ring, free, until it reaches the head.</summary>
    private void End(ref TimeWaitEntry entry)
    {
        entry.Until = default;
        Count--;
    }

    private void DropHead()
    {
        _ring[_head] = default;
        _head = (_head + 1) % _ring.Length;
        _count--;
    }

    /// <summary>The ring doubles up to the capacity, so that a device that sees few TIME-WAITs keeps a small one.</summary>
    private bool TryGrow()
    {
        if (_ring.Length >= capacity)
            return false;
        var grown = new TimeWaitEntry[Math.Min(capacity, _ring.Length * 2)];
        for (int i = 0; i < _count; i++)
            grown[i] = _ring[(_head + i) % _ring.Length];
        _ring = grown;
        _head = 0;
        return true;
    }

    private void Acknowledge(in TimeWaitEntry entry, TimeSpan now)
    {
        var ack = new Segment(entry.SndNxt, entry.RcvNxt, TcpFlags.Ack, entry.Window)
        {
            Timestamps = entry.Timestamps ? new TcpTimestamps(TcpControlBlock.TimestampClock(now), entry.TsRecent) : null,
        };
        table.Send(entry.Local, entry.Remote, ack);
    }

    private void Schedule()
    {
        // Free slots at the head go now; the first live entry's end is the next deadline.
        while (_count > 0 && !_ring[_head].Until.IsSet)
            DropHead();
        if (_count > 0)
            table.Loop.Schedule(this, _ring[_head].Until.At);
        else
            table.Loop.Cancel(this);
    }
}
