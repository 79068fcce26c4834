using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Tcp;

/// <summary>
/// What ties a control block to the table that runs it and the application that uses it: the 4-tuple (RFC 9293
/// §3.3.1 keeps the socket numbers in the TCB), the table, the listener it came from until it is accepted, and the
/// <see cref="TcpConnection"/> attached to it. The block is its own entry on the loop's timer heap (its
/// <see cref="NextDeadline"/>), as Linux embeds a socket's timers in it, which saves a timer object per connection.
/// The table reuses a control block once it is closed and no connection is attached; <see cref="Generation"/> then
/// moves on, so a <see cref="TcpConnection"/> that still holds it can tell that it is no longer its own.
/// </summary>
internal sealed partial class TcpControlBlock : LoopTimer
{
    public Ipv4EndPoint Local { get; private set; }

    public Ipv4EndPoint Remote { get; private set; }

    /// <summary>The table that runs this block, whose loop fires its timer; null for a block driven alone (tests).</summary>
    public TcpTable? Table { get; init; }

    /// <summary>Where the block's rings come from and go back to: the table's, or none for a block driven alone.</summary>
    private RingPool Rings => Table?.Rings ?? RingPool.None;

    /// <summary>The listener of a passive open until the connection is established (or dies first); then null.</summary>
    public TcpListener? Listener { get; set; }

    /// <summary>The application's connection while it is attached; null once it is disposed or disconnected.</summary>
    public TcpConnection? Owner { get; set; }

    /// <summary>
    /// Something changed (a segment arrived, the application wrote, read, closed or let go) that may call for a
    /// segment or a wake-up: the block sets this itself; the table clears it with <see cref="ClearWork"/> once it
    /// has sent what the block had.
    /// </summary>
    public bool HasWork { get; private set; }

    /// <summary>The block is in its table's connection list.</summary>
    public bool Listed { get; set; }

    /// <summary>Counts the connections this block has served; a holder that kept an older value holds a stale block.</summary>
    public int Generation { get; private set; }

    /// <summary>The application let go of the connection: it reads no more, and the block lives on only to close.</summary>
    public bool IsOrphaned => _orphaned;

    internal override void Fire() => Table?.OnTimer(this);

    public void ClearWork() => HasWork = false;

    private void MarkWork() => HasWork = true;

    /// <summary>
    /// Something the application may be waiting for happened: a segment brought data or the FIN, freed send buffer
    /// space or changed the state, or the connection closed or entered TIME-WAIT. Returns whether it did since the
    /// last call, and forgets it: the table wakes the owner once per such change, not on every pass.
    /// </summary>
    public bool TakeOwnerWake()
    {
        bool wake = _ownerWake;
        _ownerWake = false;
        return wake;
    }

    private bool _ownerWake;

    /// <summary>Gives the block its 4-tuple; call after an Open method.</summary>
    public void Bind(Ipv4EndPoint local, Ipv4EndPoint remote)
    {
        Local = local;
        Remote = remote;
    }

    /// <summary>The block is done with: it forgets its connection and holders, and may serve the next one.</summary>
    public void Retire()
    {
        Generation++;
        Table?.Loop.Cancel(this);
        Listener = null;
        Owner = null;
        HasWork = false;
        _ownerWake = false;
    }
}
