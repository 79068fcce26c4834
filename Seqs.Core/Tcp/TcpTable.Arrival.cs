using System.Runtime.CompilerServices;
using Seqs.Wire;

namespace Seqs.Tcp;

public sealed partial class TcpTable
{
    private bool _segmentsInBatch;

    /// <summary>
    /// RFC 9293 §3.10.7, SEGMENT ARRIVES: the IPv4 layer's hand-off of a segment it has parsed and verified, sent to
    /// this host's unicast address. The connection it belongs to takes it; without one, a listener on its port, or
    /// else it is answered with a reset. What a connection's segments call for (ACKs, data, wake-ups) is done once at
    /// the end of the receive batch (<see cref="FlushAfterReceive"/>), so that a burst is acknowledged by one ACK,
    /// as GRO lets the Linux kernel do.
    /// </summary>
    internal void OnSegment(in TcpSegment tcp, Ipv4EndPoint local, Ipv4EndPoint remote, TimeSpan now)
    {
        Counters.SegmentsReceived++;
        Segment seg = Segment.Read(tcp);
        TcpControlBlock? connection = Find(local.Port, remote);
        if (connection is not null && connection.State == TcpState.TimeWait && seg.HasSyn
            && connection.TryEndTimeWaitFor(seg, TimestampsForNew(local.Port, seg)))
        {
            OnEvent(connection);
            connection = null;
        }
        // A connection that closed earlier in this receive batch is gone as far as new segments are concerned.
        if (connection is not null && !connection.IsClosed)
        {
            connection.OnSegment(seg, tcp.Payload, now);
            _segmentsInBatch = true;
            return;
        }
        OnSegmentWithoutConnection(seg, tcp.Payload, local, remote, now);
    }

    /// <summary>
    /// A segment no connection takes: a listener's (LISTEN, <see cref="TcpListener.OnSegment"/>), or answered with a
    /// reset. Out of line, so that its temporaries do not widen the frame <see cref="OnSegment"/> clears for every segment.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnSegmentWithoutConnection(in Segment seg, ReadOnlySpan<byte> payload, Ipv4EndPoint local, Ipv4EndPoint remote, TimeSpan now)
    {
        if (_timeWaits is not null && _timeWaits.TryTake(seg, local, remote, TimestampsForNew(local.Port, seg), now, out bool reopen) && !reopen)
            return;
        if (FindListener(local.Port) is TcpListener listener)
        {
            listener.OnSegment(seg, payload, local, remote, now);
            return;
        }
        // RFC 9293 §3.10.7.1: a segment for no connection is answered with a reset (never a reset for a reset).
        if (TcpControlBlock.ResetFor(seg) is Segment reset)
            SendReset(local, remote, reset);
    }

    /// <summary>RFC 6191: a new connection for this SYN would use timestamps (it offers them and the port's listener takes them).</summary>
    private bool TimestampsForNew(ushort port, in Segment syn) =>
        syn.HasSyn && syn.Timestamps is not null && FindListener(port) is TcpListener listener && listener.Options.Timestamps;
}
