using Seqs.Hal;

namespace Seqs.Drivers.Enc28j60.Emulation;

public sealed partial class Enc28j60Emulator
{
    private readonly byte[] _wireBuffer = new byte[1518];
    private IEthernetNic? _wire;
    private Action? _pump;
    private int _pumping;
    private int _pumpAgain;
    private int _heldLength;
    private volatile bool _waitingForRoom;

    /// <summary>Frames the attached wire refused (back-pressure); the chip does not retry them.</summary>
    public long WireTransmitDrops { get; private set; }

    /// <summary>
    /// When true, a frame from the attached wire that the receive buffer has no room for stays on the wire until the
    /// host frees room (ERXRDPT, PKTDEC) instead of overflowing. The model has no wire timing, so a wire that hands
    /// over frames faster than 10BASE-T, such as a host TAP whose kernel sends a whole TCP window at once, would
    /// otherwise overflow the chip on every burst; the TAP's queue then plays the link partner's buffer. Off by
    /// default: a paced <c>VirtualNic</c> needs no hold, and overflow tests need the overflow. Set it before
    /// <see cref="Attach"/>.
    /// </summary>
    public bool HoldFramesWhileFull { get; set; }

    /// <summary>
    /// Attaches the chip's RJ45 side to <paramref name="wire"/>: a <c>VirtualNic</c> on a simulated link or switch,
    /// or a host TAP NIC. Frames the wire receives are delivered to the chip as they arrive (the wire's wake-up
    /// drives that), frames the chip sends go to <see cref="IEthernetNic.TryTransmit"/>, and the wire's link state
    /// is the PHY's.
    /// </summary>
    public void Attach(IEthernetNic wire)
    {
        if (wire is null)
            throw new ArgumentNullException(nameof(wire));
        if (_wire is not null)
            throw new InvalidOperationException("The emulated chip already has a wire attached.");
        _wire = wire;
        _pump = PumpWire;
        wire.LinkStateChanged += (_, _) => LinkUp = wire.IsLinkUp;
        LinkUp = wire.IsLinkUp;
        PumpWire();
    }

    /// <summary>
    /// Delivers every frame the wire holds (with <see cref="HoldFramesWhileFull"/>, until one finds no room), then
    /// re-arms the wire's wake-up; safe from any thread. A call while another pumps makes that one pump again.
    /// </summary>
    public void PumpWire()
    {
        IEthernetNic? wire = _wire;
        if (wire is null)
            return;
        Volatile.Write(ref _pumpAgain, 1);
        while (Volatile.Read(ref _pumpAgain) != 0 && Interlocked.Exchange(ref _pumping, 1) == 0)
        {
            Volatile.Write(ref _pumpAgain, 0);
            _waitingForRoom = false;
            bool waiting;
            try
            {
                // Waiting for room, the host's next SPI exchange pumps again (RaiseDeferredEvents); set before the
                // pump ends, so that an exchange freeing room in between makes this loop run again.
                waiting = DrainWire(wire);
                _waitingForRoom = waiting;
            }
            finally
            {
                Volatile.Write(ref _pumping, 0);
            }
            // A frame that lands between the drain and the arming fires the wake-up at once (IEthernetNic contract).
            if (!waiting)
                wire.ArmWakeUp(_pump!);
        }
    }

    /// <summary>Returns true when a frame is held for want of room.</summary>
    private bool DrainWire(IEthernetNic wire)
    {
        while (true)
        {
            if (_heldLength == 0)
            {
                if (!wire.TryReceive(_wireBuffer, out int length))
                    return false;
                _heldLength = length;
            }
            ReadOnlySpan<byte> frame = _wireBuffer.AsSpan(0, _heldLength);
            if (HoldFramesWhileFull && WouldOverflow(frame))
                return true;
            _heldLength = 0;
            DeliverFrame(frame);
        }
    }

    private void SendToWire(ReadOnlySpan<byte> frame)
    {
        FrameTransmitted?.Invoke(frame);
        if (_wire is not null && !_wire.TryTransmit(frame))
            WireTransmitDrops++;
    }
}
