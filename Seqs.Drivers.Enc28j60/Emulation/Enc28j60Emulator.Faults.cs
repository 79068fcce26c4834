namespace Seqs.Drivers.Enc28j60.Emulation;

/// <summary>
/// Wiring faults and silicon misbehaviour the tests and <c>seqs-device doctor --emulator-fault</c> inject; each is off
/// in a healthy chip. <see cref="IsPresent"/> (no chip on the CS) is the remaining one. Errata: DS80349C, as
/// docs/reference/enc28j60.md tabulates it.
/// </summary>
public sealed partial class Enc28j60Emulator
{
    private int? _corruptByteCount;

    /// <summary>
    /// A MISO line stuck at one level (a short to 3.3 V or ground, or SO not connected): every byte the host clocks
    /// in is this value, while the chip still decodes what it is sent. Null for a healthy line.
    /// </summary>
    public byte? MisoStuckAt { get; set; }

    /// <summary>The 25 MHz oscillator does not run (no crystal, no supply to it): ESTAT.CLKRDY never sets (§2.2).</summary>
    public bool OscillatorStopped { get; set; }

    /// <summary>INT is not connected to the host: the host's line stays high whatever the chip asserts.</summary>
    public bool InterruptLineOpen { get; set; }

    /// <summary>RESET is not connected to the host: pulling the host's line low does not reset the chip.</summary>
    public bool ResetLineOpen { get; set; }

    /// <summary>
    /// Errata DS80349C #6: "the Receive Packet Pending Interrupt Flag (EIR.PKTIF) does not reliably/accurately report
    /// the status of pending packets". When true, a frame written into the buffer counts in EPKTCNT but sets no
    /// PKTIF, so INT does not fall for it: the worst case the erratum allows.
    /// </summary>
    public bool MissesPacketInterrupts { get; set; }

    /// <summary>Wires the chip with <paramref name="fault"/>; the faults add up.</summary>
    public void Inject(Enc28j60WiringFault fault)
    {
        switch (fault)
        {
            case Enc28j60WiringFault.MisoStuckHigh:
                MisoStuckAt = 0xFF;
                break;
            case Enc28j60WiringFault.MisoStuckLow:
                MisoStuckAt = 0x00;
                break;
            case Enc28j60WiringFault.NoChip:
                IsPresent = false;
                break;
            case Enc28j60WiringFault.NoInterrupt:
                InterruptLineOpen = true;
                break;
            case Enc28j60WiringFault.NoReset:
                ResetLineOpen = true;
                break;
            case Enc28j60WiringFault.NoClock:
                OscillatorStopped = true;
                lock (_gate)
                    ResetChip();
                break;
            case Enc28j60WiringFault.NoLink:
                LinkUp = false;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    /// <summary>
    /// The next frame written gets <paramref name="byteCount"/> in its receive status vector's byte count while its
    /// next packet pointer stays right: a status vector that cannot be a frame the MAC accepted (over MAMXFL).
    /// </summary>
    public void CorruptNextByteCount(int byteCount)
    {
        lock (_gate)
            _corruptByteCount = byteCount;
    }
}
