namespace Seqs.Drivers.Cyw43;

/// <summary>What the driver saw, for diagnostics.</summary>
public sealed class Cyw43Counters
{
    public long FramesReceived { get; internal set; }

    public long FramesTransmitted { get; internal set; }

    /// <summary>Data-channel frames without a valid BDC header or Ethernet frame; dropped.</summary>
    public long ReceiveErrors { get; internal set; }

    /// <summary>F2 frames whose read showed UNDERFLOW in the status word: the chip ran out of data, so the frame is dropped.</summary>
    public long ReceiveUnderflows { get; internal set; }

    /// <summary>Frames longer than the caller's buffer, or arriving while the held-frame queue was full; dropped.</summary>
    public long ReceiveDrops { get; internal set; }

    /// <summary>Calls to TryTransmit that returned false: no SDPCM credit, flow control, or F2 not ready.</summary>
    public long TransmitRejections { get; internal set; }

    /// <summary>Frames dropped because the Wi-Fi link was down.</summary>
    public long FramesDroppedLinkDown { get; internal set; }

    /// <summary>Changes of <see cref="Cyw43439.IsLinkUp"/>.</summary>
    public long LinkChanges { get; internal set; }

    /// <summary>Joins the driver started on its own after a link loss.</summary>
    public long RejoinAttempts { get; internal set; }
}
