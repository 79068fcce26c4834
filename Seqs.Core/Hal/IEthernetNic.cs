using Seqs.Wire;

namespace Seqs.Hal;

/// <summary>
/// An Ethernet network interface as the stack sees it: a driver for a chip, a host TAP device or a simulated link.
/// All members except <see cref="ArmWakeUp"/> are called from the stack's loop thread only.
/// </summary>
public interface IEthernetNic
{
    /// <summary>The interface's own MAC address, used as the source of every frame the stack sends.</summary>
    MacAddress MacAddress { get; }

    /// <summary>
    /// The largest frame in bytes the NIC sends or receives, from the destination MAC through the payload,
    /// frame check sequence excluded: 1514 for standard Ethernet (1500-byte MTU).
    /// </summary>
    int MaxFrameSize { get; }

    /// <summary>
    /// The largest frame <see cref="TryReceive"/> may return, which the stack's receive buffer is sized for:
    /// <see cref="MaxFrameSize"/>, unless the NIC coalesces received TCP segments (receive offload, as a TAP can).
    /// </summary>
    int MaxReceiveFrameSize => MaxFrameSize;

    /// <summary>
    /// The largest TCP/IPv4 frame <see cref="TryTransmitSegmented"/> takes and cuts into frames of at most
    /// <see cref="MaxFrameSize"/> itself (segmentation offload, TSO, as a TAP can): <see cref="MaxFrameSize"/> for a
    /// NIC that cannot, which is then never asked to.
    /// </summary>
    int MaxSegmentationFrameSize => MaxFrameSize;

    /// <summary>Whether the link is up now. Reading it never touches a bus; drivers refresh it when they poll.</summary>
    bool IsLinkUp { get; }

    /// <summary>
    /// Raised when <see cref="IsLinkUp"/> changes. It may be raised on any thread; handlers must only record the
    /// change and let the loop act on it. A change also fires the armed wake-up.
    /// </summary>
    event EventHandler? LinkStateChanged;

    /// <summary>
    /// Non-blocking receive. Copies the next received frame, without its FCS, into <paramref name="buffer"/> and
    /// returns true with its length, or returns false at once when no frame is waiting. A frame longer than
    /// <paramref name="buffer"/> is dropped by the NIC (and counted there); the call then returns the next one.
    /// </summary>
    bool TryReceive(Span<byte> buffer, out int length);

    /// <summary>
    /// <see cref="TryReceive(Span{byte}, out int)"/>, and whether the NIC vouches for the frame's TCP or UDP checksum,
    /// which the stack then does not check (Linux's CHECKSUM_UNNECESSARY and CHECKSUM_PARTIAL): the NIC checked it, or
    /// the frame never crossed a wire, such as a TAP's segment from the host's own TCP, whose checksum the kernel left
    /// undone for the reader (the field then holds only the pseudo-header sum). A frame from the other overload always
    /// has its checksums as they were sent; a NIC that checks none gives that frame and false, as this default does.
    /// </summary>
    bool TryReceive(Span<byte> buffer, out int length, out bool transportChecksumVouched)
    {
        transportChecksumVouched = false;
        return TryReceive(buffer, out length);
    }

    /// <summary>
    /// Non-blocking transmit of one complete frame (no FCS; the NIC pads to the 60-byte minimum if its hardware
    /// does not). Returns false, without sending, when the NIC has no room for the frame now: back-pressure. The
    /// caller keeps the frame and tries again after the next wake-up. The NIC copies <paramref name="frame"/>
    /// before returning, so the caller may reuse its buffer.
    /// </summary>
    bool TryTransmit(ReadOnlySpan<byte> frame);

    /// <summary>
    /// Non-blocking transmit of a TCP/IPv4 frame of up to <see cref="MaxSegmentationFrameSize"/> octets, which the NIC
    /// sends as TCP segments of <paramref name="segmentSize"/> payload octets each (the last may be shorter), each with
    /// the frame's headers, the sequence number advanced and the checksums computed: the frame's own TCP checksum field
    /// is ignored. FIN and PSH go on the last segment only. Back-pressure and copying as <see cref="TryTransmit"/>.
    /// Only called on a NIC whose <see cref="MaxSegmentationFrameSize"/> exceeds <see cref="MaxFrameSize"/>.
    /// </summary>
    bool TryTransmitSegmented(ReadOnlySpan<byte> frame, int segmentSize) =>
        throw new NotSupportedException("This NIC has no segmentation offload (MaxSegmentationFrameSize is MaxFrameSize).");

    /// <summary>
    /// Arms a one-shot wake-up: the NIC calls <paramref name="wakeUp"/> once, from any thread, as soon as a frame
    /// may be waiting, transmit room was freed or the link changed, and then stays quiet until armed again. If one
    /// of those is already true the NIC calls it at once, possibly before returning. This is how an idle loop
    /// sleeps without polling: it arms every NIC, then blocks until a wake-up or its next timer. A NIC that already
    /// holds a frame when armed MUST call <paramref name="wakeUp"/> at once, or a frame that arrived between the
    /// loop's last receive and the arming would wait for the next timer.
    /// </summary>
    void ArmWakeUp(Action wakeUp);
}
