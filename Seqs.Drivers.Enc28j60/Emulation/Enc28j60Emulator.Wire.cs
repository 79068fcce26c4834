using Seqs.Hal;

namespace Seqs.Drivers.Enc28j60.Emulation;

public sealed partial class Enc28j60Emulator
{
    private readonly byte[] _wireBuffer = new byte[1518];
    private IEthernetNic? _wire;
    private Action? _pump;
    private int _pumping;

    /// <summary>Frames the attached wire refused (back-pressure); the chip does not retry them.</summary>
    public long WireTransmitDrops { get; private set; }

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

    /// <summary>Delivers every frame the wire holds, then re-arms its wake-up; safe from any thread.</summary>
    public void PumpWire()
    {
        IEthernetNic? wire = _wire;
        if (wire is null || Interlocked.Exchange(ref _pumping, 1) != 0)
            return;
        try
        {
            while (wire.TryReceive(_wireBuffer, out int length))
                DeliverFrame(_wireBuffer.AsSpan(0, length));
        }
        finally
        {
            Volatile.Write(ref _pumping, 0);
        }
        // A frame that lands between the drain and the arming fires the wake-up at once (IEthernetNic contract).
        wire.ArmWakeUp(_pump!);
    }

    private void SendToWire(ReadOnlySpan<byte> frame)
    {
        FrameTransmitted?.Invoke(frame);
        if (_wire is not null && !_wire.TryTransmit(frame))
            WireTransmitDrops++;
    }
}
