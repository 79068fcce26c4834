using Seqs.Wire;

namespace Seqs.Tcp;

/// <summary>
/// What the table does after something happened to a connection (a segment, a timer, the application), in named
/// steps: send what is pending, re-arm the timer, promote an established connection to its listener's accept
/// queue, wake the owner, move a TIME-WAIT nobody holds to the compact set, and retire the block once it is closed. The control block marks itself as having work
/// (<see cref="TcpControlBlock.HasWork"/>); the table only clears it once done. The owner is only signalled: its
/// completion runs later on the loop, before the transmit phase, and pulls from the control block itself.
/// </summary>
public sealed partial class TcpTable
{
    /// <summary>Runs every step for <paramref name="tcb"/> now.</summary>
    internal void OnEvent(TcpControlBlock tcb)
    {
        RunSteps(tcb, deferAck: false);
        RetireIfClosed(tcb);
    }

    /// <summary>
    /// Steps 1 to 4, and the rings of a block the application let go of go back as soon as it needs them no more.
    /// With <paramref name="deferAck"/>, an ACK that <see cref="TcpControlBlock.MayDeferAck"/> waits for the transmit
    /// phase: the block keeps its work, and its timer is re-armed after sending.
    /// </summary>
    private void RunSteps(TcpControlBlock tcb, bool deferAck)
    {
        if (!deferAck || !tcb.MayDeferAck)
        {
            SendPending(tcb);
            RearmTimer(tcb);
        }
        PromoteToAcceptQueue(tcb);
        WakeOwner(tcb);
        CompactTimeWait(tcb);
        if (tcb.IsOrphaned)
            tcb.TryReleaseBuffers();
    }

    /// <summary>
    /// A connection in TIME-WAIT that nobody holds goes on waiting in the compact set, and its control block is
    /// retired like a closed one (unless the stack keeps no TIME-WAITs apart).
    /// </summary>
    private void CompactTimeWait(TcpControlBlock tcb)
    {
        if (tcb.State != TcpState.TimeWait || !tcb.IsOrphaned || _maxTimeWaits == 0)
            return;
        TimeWaits.Add(tcb.ToTimeWait());
        tcb.TryEndTimeWait();
    }

    /// <summary>
    /// The end of a receive batch: connections that received segments send what they have and wake their owners,
    /// whose completions run in this turn's queued work. The ACK of a FIN waits for the transmit phase, after that
    /// work (<see cref="TcpControlBlock.MayDeferAck"/>), so that an application that closes at once sends one FIN,ACK.
    /// </summary>
    internal void FlushAfterReceive()
    {
        if (!_segmentsInBatch)
            return;
        _segmentsInBatch = false;
        FlushConnectionsWithWork(deferAcks: true);
    }

    /// <summary>The loop's transmit phase: connections that received segments or that the application touched send what they now can.</summary>
    internal void FlushConnectionsWithWork(bool deferAcks = false)
    {
        bool closed = false;
        for (int i = 0; i < _connections.Count; i++)
        {
            TcpControlBlock tcb = _connections[i];
            if (!tcb.HasWork)
                continue;
            RunSteps(tcb, deferAcks);
            closed |= tcb.IsClosed;
        }
        if (closed)
            RetireClosed();
    }

    /// <summary>
    /// Step 1: the segments the block has, for as long as the NIC takes them; the rest goes in a later transmit
    /// phase, and the block keeps its work until then.
    /// </summary>
    private void SendPending(TcpControlBlock tcb)
    {
        // Data sits after the options the next data segment carries (timestamps, SACK blocks), so the payload is
        // copied once, to its final place.
        // With segmentation offload a segment longer than one MSS is cut by the NIC into segments of the MSS less the
        // options, the data each of them carries.
        int dataOptions;
        while (!_network.IsBackedUp
            && tcb.TryBuildSegment(Loop.Now, _network.SegmentBuffer[(TcpSegment.MinHeaderLength + (dataOptions = tcb.DataOptionsLength))..], out Segment segment, _network.HasSegmentationOffload))
            Send(tcb.Local, tcb.Remote, segment, tcb.SendMss - dataOptions);
        if (!_network.IsBackedUp || !tcb.WantsToSend)
            tcb.ClearWork();
    }

    /// <summary>Step 2: the block's entry on the loop's timer heap follows its next deadline.</summary>
    private void RearmTimer(TcpControlBlock tcb)
    {
        if (tcb.NextDeadline is TimeSpan deadline)
            Loop.Schedule(tcb, deadline);
        else
            Loop.Cancel(tcb);
    }

    /// <summary>
    /// Step 3: a passive open that reached ESTABLISHED goes to its listener's accept queue; one that died half-open
    /// (reset, or its SYN,ACK never answered) leaves the SYN queue, and nobody will accept it, so it is reused.
    /// </summary>
    private void PromoteToAcceptQueue(TcpControlBlock tcb)
    {
        if (tcb.Listener is not TcpListener listener)
            return;
        if (tcb.State is not (TcpState.SynReceived or TcpState.Closed))
        {
            tcb.Listener = null;
            listener.OnEstablished(tcb);
        }
        else if (tcb.IsClosed)
        {
            tcb.Listener = null;
            listener.OnHalfOpenClosed();
            Orphan(tcb);
        }
    }

    /// <summary>Step 4: after a change the application may wait for, its connection is signalled; it pulls on its own.</summary>
    private static void WakeOwner(TcpControlBlock tcb)
    {
        if (tcb.TakeOwnerWake())
            tcb.Owner?.Signal();
    }

    /// <summary>Step 5, for one block: a closed block leaves the table.</summary>
    private void RetireIfClosed(TcpControlBlock tcb)
    {
        if (!tcb.IsClosed || !tcb.Listed)
            return;
        _connections.Remove(tcb);
        Unlist(tcb);
    }

    /// <summary>Step 5, after a walk of the table: the closed blocks leave it, the others keep their order.</summary>
    private void RetireClosed()
    {
        int kept = 0;
        for (int i = 0; i < _connections.Count; i++)
        {
            TcpControlBlock tcb = _connections[i];
            if (tcb.IsClosed)
                Unlist(tcb);
            else
                _connections[kept++] = tcb;
        }
        _connections.RemoveRange(kept, _connections.Count - kept);
    }

    private void Unlist(TcpControlBlock tcb)
    {
        Loop.Cancel(tcb);
        tcb.Listed = false;
        if (tcb.IsOrphaned)
            Recycle(tcb);
    }
}
