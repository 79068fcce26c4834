namespace Seqs.Drivers.Enc28j60;

/// <summary>What the driver saw, for diagnostics; updated on the loop's thread.</summary>
public sealed class Enc28j60Counters
{
    public long FramesReceived { get; internal set; }

    public long BytesReceived { get; internal set; }

    public long FramesTransmitted { get; internal set; }

    public long BytesTransmitted { get; internal set; }

    /// <summary>Frames whose receive status vector lacked Received OK (bit 23); dropped.</summary>
    public long ReceiveErrors { get; internal set; }

    /// <summary>
    /// Frames whose status vector gave a byte count over MAMXFL (1518), which the MAC cannot have accepted; skipped
    /// through their next packet pointer, as Linux's enc28j60_hw_rx does.
    /// </summary>
    public long FramesOversized { get; internal set; }

    /// <summary>Frames longer than the caller's buffer; dropped.</summary>
    public long FramesTooLong { get; internal set; }

    /// <summary>EIR.RXERIF events: the chip dropped frames for lack of room (or EPKTCNT at 255).</summary>
    public long ReceiveOverflows { get; internal set; }

    /// <summary>Receive logic resets after an impossible next packet pointer or byte count; at most one per TryReceive.</summary>
    public long ReceiveResets { get; internal set; }

    /// <summary>EIR.TXERIF events: a transmission was aborted; the next frame resets the transmit logic first.</summary>
    public long TransmitErrors { get; internal set; }

    /// <summary>Transmissions repeated after a late collision (half duplex; errata #15).</summary>
    public long LateCollisionRetries { get; internal set; }

    /// <summary>Frames whose TXRTS stayed set past the transmit timeout; that frame is lost and the next resets the logic.</summary>
    public long TransmitStalls { get; internal set; }

    /// <summary>Calls to TryTransmit that returned false because a frame was still in flight.</summary>
    public long TransmitRejections { get; internal set; }

    /// <summary>Frames dropped because the link was down.</summary>
    public long FramesDroppedLinkDown { get; internal set; }

    public long LinkChanges { get; internal set; }
}
