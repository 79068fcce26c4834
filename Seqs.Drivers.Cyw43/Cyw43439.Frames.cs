using Seqs.Drivers.Cyw43.Register.Backplane;
using Seqs.Drivers.Cyw43.Register.Bus;
using Seqs.Drivers.Cyw43.Register.Events;
using Seqs.Drivers.Cyw43.Register.Sdpcm;

namespace Seqs.Drivers.Cyw43;

public sealed partial class Cyw43439
{
    /// <summary>
    /// F2 frames are at most 2048 bytes (embassy consts.rs FUNC_*, runner.rs rx; docs/reference/cyw43439.md#functions
    /// and #receive).
    /// </summary>
    private const int MaxFrame = 2048;

    /// <summary>Frames one pump reads at most, so that a chip that keeps sending cannot hold the bus lock forever.</summary>
    private const int MaxFramesPerPump = 64;

    /// <summary>Ethernet frames held for the stack when they arrive while the driver waits for an ioctl or event.</summary>
    private const int HeldFrames = 16;

    /// <summary>Guards the bus and everything read from it: the stack's loop and the Wi-Fi calls share the chip.</summary>
    private readonly object _busGate = new();
    private readonly byte[] _transmitFrame = new byte[MaxFrame];
    private readonly byte[] _receiveFrame = new byte[MaxFrame];
    private readonly FrameQueue _held = new(HeldFrames, MaxEthernetFrameSize);
    private byte _sequence;
    private byte _sequenceLimit = 1; // embassy runner.rs: seq 0, max 1 until the first credit arrives
    private byte _flowControl;

    /// <summary>SDPCM frames sent since the last boot; the next sequence number.</summary>
    public byte SdpcmSequence => _sequence;

    /// <summary>Control frames dropped because their ID did not match the ioctl in progress, and unreadable frames.</summary>
    public long FramesSkipped { get; private set; }

    /// <summary>Events the firmware sent on the event channel since creation.</summary>
    public long EventsReceived { get; private set; }

    /// <summary>embassy runner.rs: send while seq ≠ max and (max − seq) &amp; 0x80 = 0.</summary>
    private bool HasCredit => _sequence != _sequenceLimit && ((_sequenceLimit - _sequence) & 0x80) == 0;

    /// <summary>
    /// Data also waits while the firmware asks for flow control (cyw43-driver cyw43_ll.c, the C driver's rule;
    /// docs/reference/cyw43439.md#credit).
    /// </summary>
    private bool HasDataCredit => HasCredit && _flowControl == 0;

    /// <summary>
    /// Reads the frames the status word announces (embassy runner.rs check_status, rx;
    /// docs/reference/cyw43439.md#receive: repeat while STATUS shows another packet);
    /// with <paramref name="pollStatus"/>, reads STATUS first when the last status word showed none.
    /// </summary>
    private void PumpLocked(bool pollStatus)
    {
        for (int i = 0; i < MaxFramesPerPump; i++)
        {
            if (!_gspi.Status.F2PacketAvailable)
            {
                if (!pollStatus)
                    return;
                pollStatus = false;
                if (!TakeHostWakeLocked())
                    _gspi.ReadStatus();
                if (!_gspi.Status.F2PacketAvailable)
                    return;
            }
            ReadFrameLocked(Span<byte>.Empty, out _);
            pollStatus = false; // the status word after the read tells whether more wait
        }
    }

    /// <summary>
    /// With the host-wake line wired and asserted, acknowledges the F0 interrupts (read 0x04, write back what was
    /// set), so that a latched F2_PACKET_AVAILABLE lets the line fall, and returns true: the status word of that
    /// transaction is as fresh as a STATUS read. False when the line is not wired or not asserted.
    /// </summary>
    private bool TakeHostWakeLocked()
    {
        if (_hostWake is null || !IsHostWakeAsserted)
            return false;
        _gspi.AcknowledgeInterrupts();
        return true;
    }

    /// <summary>
    /// Reads the waiting F2 frame (embassy runner.rs rx; docs/reference/cyw43439.md#receive), takes the credit from
    /// frames of channels 0-2 (embassy runner.rs update_credit; docs/reference/cyw43439.md#credit) and dispatches it:
    /// control to the ioctl in progress, events to the Wi-Fi state, and an Ethernet frame into
    /// <paramref name="destination"/> (returning true with its length) or, when that is empty, to the frames held for
    /// the stack.
    /// </summary>
    private bool ReadFrameLocked(Span<byte> destination, out int length)
    {
        length = 0;
        int packet = _gspi.Status.F2PacketLength;
        if (packet is 0 || packet > MaxFrame)
        {
            // cyw43-driver cyw43_ll_process_packets; docs/reference/cyw43439.md#receive step 3: reject the length and
            // drop the frame through frame control.
            _gspi.Write(BusFunction.Backplane, (int)BackplaneRegister.FrameControl, 1, 1);
            FramesSkipped++;
            return false;
        }
        // docs/reference/cyw43439.md#receive step 2: the command word asks for exactly F2_PKT_LEN bytes and whole words
        // are clocked (embassy runner.rs, cyw43-driver cyw43_ll_process_packets); asking for more runs the FIFO dry.
        Span<byte> frame = _receiveFrame.AsSpan(0, packet);
        _gspi.ReadBytes(BusFunction.Wlan, 0, frame);
        if (_gspi.Status.Underflow)
        {
            Counters.ReceiveUnderflows++;
            return false;
        }
        if (!SdpcmHeader.TryCreate(frame, out var sdpcm))
        {
            FramesSkipped++;
            return false;
        }
        if (sdpcm.Channel is SdpcmChannel.Control or SdpcmChannel.Event or SdpcmChannel.Data)
            UpdateCredit(sdpcm.Credit, sdpcm.FlowControl);
        switch (sdpcm.Channel)
        {
            case SdpcmChannel.Control:
                OnControlFrameLocked(sdpcm.Payload);
                return false;
            case SdpcmChannel.Event:
                if (BdcHeader.TryCreate(sdpcm.Payload, out var eventBdc) && WlanEventFrame.TryCreate(eventBdc.Payload, out var wlanEvent))
                {
                    EventsReceived++;
                    OnEventLocked(wlanEvent);
                }
                else
                {
                    FramesSkipped++;
                }
                return false;
            case SdpcmChannel.Data:
                return TakeEthernetFrameLocked(sdpcm.Payload, destination, out length);
            default:
                FramesSkipped++;
                return false;
        }
    }

    /// <summary>
    /// embassy runner.rs rx; docs/reference/cyw43439.md#receive step 4: SDPCM → BDC (skipping its data offset) → the
    /// Ethernet frame.
    /// </summary>
    private bool TakeEthernetFrameLocked(ReadOnlySpan<byte> payload, Span<byte> destination, out int length)
    {
        length = 0;
        if (!BdcHeader.TryCreate(payload, out var bdc) || bdc.Payload.Length > MaxEthernetFrameSize || bdc.Payload.Length < EthernetHeaderLength)
        {
            Counters.ReceiveErrors++;
            return false;
        }
        ReadOnlySpan<byte> ethernet = bdc.Payload;
        if (destination.IsEmpty)
        {
            if (!_held.TryEnqueue(ethernet))
                Counters.ReceiveDrops++;
            return false;
        }
        if (ethernet.Length > destination.Length)
        {
            Counters.ReceiveDrops++;
            return false;
        }
        ethernet.CopyTo(destination);
        length = ethernet.Length;
        Counters.FramesReceived++;
        return true;
    }

    /// <summary>embassy runner.rs: a credit more than 0x40 ahead is clamped to seq + 2.</summary>
    private void UpdateCredit(byte credit, byte flowControl)
    {
        _sequenceLimit = (byte)(credit - _sequence) > 0x40 ? (byte)(_sequence + 2) : credit;
        _flowControl = flowControl;
    }
}
