using Seqs.Drivers.Cyw43.Register.Bus;
using Seqs.Drivers.Cyw43.Register.Sdpcm;
using Seqs.Hal;
using Seqs.Wire;

namespace Seqs.Drivers.Cyw43;

public sealed partial class Cyw43439 : IEthernetNic
{
    /// <summary>
    /// Ethernet frames without FCS: 1514 bytes (embassy runner.rs; docs/reference/cyw43439.md#transmit).
    /// </summary>
    public const int MaxEthernetFrameSize = 1514;

    private const int EthernetHeaderLength = 14;

    /// <summary>
    /// Data frames: SDPCM header with its 2 pad bytes (header length 14), then the BDC header (embassy runner.rs;
    /// docs/reference/cyw43439.md#transmit).
    /// </summary>
    private const int DataFrameOverhead = SdpcmHeader.DataHeaderLength + BdcHeader.Length;

    private volatile bool _linkUp;
    private volatile bool _f2NotReady;
    private bool _linkChangePending;
    private Action? _wakeUp;

    public event EventHandler? LinkStateChanged;

    /// <summary>The station address read at initialisation ("cur_etheraddr"); zero before.</summary>
    public MacAddress MacAddress { get; private set; }

    public int MaxFrameSize => MaxEthernetFrameSize;

    /// <summary>Joined, and keyed for WPA2. Never touches the bus.</summary>
    public bool IsLinkUp => _linkUp;

    public Cyw43Counters Counters { get; } = new();

    /// <summary>
    /// Takes the next Ethernet frame: one held from an earlier read, else the one the last status word announced
    /// (or, with the interrupt line asserted or no line at all, the one a fresh STATUS read announces). Control and
    /// event frames read on the way are handled and skipped.
    /// </summary>
    public bool TryReceive(Span<byte> buffer, out int length)
    {
        try
        {
            lock (_busGate)
            {
                if (_held.Count > 0)
                {
                    length = _held.Dequeue(buffer);
                    if (length <= buffer.Length)
                    {
                        Counters.FramesReceived++;
                        return true;
                    }
                    Counters.ReceiveDrops++;
                }
                if (!_firmwareRunning)
                {
                    length = 0;
                    return false;
                }
                // Without the line, poll STATUS. With it asserted and no frame announced yet, acknowledge the interrupt;
                // the acknowledgement's status word says what waits, as a STATUS read would.
                bool pollStatus = _hostWake is null;
                if (!_gspi.Status.F2PacketAvailable)
                    TakeHostWakeLocked();
                for (int i = 0; i < MaxFramesPerPump; i++)
                {
                    if (!_gspi.Status.F2PacketAvailable)
                    {
                        if (!pollStatus)
                            break;
                        pollStatus = false;
                        _gspi.ReadStatus();
                        if (!_gspi.Status.F2PacketAvailable)
                            break;
                    }
                    if (ReadFrameLocked(buffer, out length))
                        return true;
                    pollStatus = false;
                }
                length = 0;
                return false;
            }
        }
        finally
        {
            RaiseDeferred();
        }
    }

    /// <summary>
    /// Sends <paramref name="frame"/> in one F2 write: SDPCM (data channel, header length 14) + 2 pad bytes + BDC +
    /// the frame, rounded up to 4 bytes (embassy runner.rs; docs/reference/cyw43439.md#transmit). Returns false without
    /// sending while the SDPCM credit is used up, the firmware asks for flow control or F2 is not ready; the frames
    /// that bring credit raise the interrupt, which fires the wake-up. F2_RX_READY is taken from the status word of the
    /// last transaction (reading STATUS before every write would cost 12 bytes a frame); when it shows F2 not ready,
    /// STATUS is read once more. While the link is down the frame is dropped (and counted).
    /// </summary>
    public bool TryTransmit(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > MaxEthernetFrameSize)
            throw new ArgumentException($"A {frame.Length}-byte frame exceeds the CYW43439's {MaxEthernetFrameSize}-byte maximum.", nameof(frame));
        try
        {
            lock (_busGate)
            {
                if (!_linkUp || !_firmwareRunning)
                {
                    Counters.FramesDroppedLinkDown++;
                    return true;
                }
                if (!HasDataCredit || !_gspi.Status.F2ReceiveReady)
                {
                    if (_gspi.Status.F2PacketAvailable)
                        PumpLocked(pollStatus: false);
                    else if (!_gspi.Status.F2ReceiveReady)
                        _gspi.ReadStatus();
                    _f2NotReady = !_gspi.Status.F2ReceiveReady;
                    if (!HasDataCredit || _f2NotReady)
                    {
                        Counters.TransmitRejections++;
                        return false;
                    }
                }
                int size = DataFrameOverhead + frame.Length;
                Span<byte> buffer = _transmitFrame.AsSpan(0, (size + 3) & ~3);
                SdpcmHeader.Write(buffer, size, _sequence++, SdpcmChannel.Data, SdpcmHeader.DataHeaderLength);
                buffer.Slice(SdpcmHeader.Length, SdpcmHeader.DataHeaderLength - SdpcmHeader.Length).Clear();
                BdcHeader.Write(buffer[SdpcmHeader.DataHeaderLength..]);
                frame.CopyTo(buffer[DataFrameOverhead..]);
                buffer[size..].Clear();
                _gspi.WriteBytes(BusFunction.Wlan, 0, buffer);
                Counters.FramesTransmitted++;
                return true;
            }
        }
        finally
        {
            RaiseDeferred();
        }
    }

    /// <summary>
    /// Fires <paramref name="wakeUp"/> once on the next rising interrupt (F2 packet available) or link change, at once
    /// when a frame is already waiting; without an interrupt line, or while a transmit waits for F2_RX_READY, after
    /// <see cref="Cyw43Options.PollInterval"/>.
    /// </summary>
    public void ArmWakeUp(Action wakeUp)
    {
        Volatile.Write(ref _wakeUp, wakeUp ?? throw new ArgumentNullException(nameof(wakeUp)));
        if (_held.Count > 0 || _gspi.Status.F2PacketAvailable || _rejoinPending || (_hostWake is not null && IsHostWakeAsserted))
            FireWakeUp();
        else if (_hostWake is null || _f2NotReady) // F2 becoming ready raises no interrupt: poll for it
            _pollTimer.Change(_options.PollInterval, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The bus configuration sets INTERRUPT_POLARITY_HIGH: asserted is high.</summary>
    private bool IsHostWakeAsserted => _hostWake!.Read();

    private void OnHostWakeEdge(object? sender, bool high)
    {
        if (high)
            FireWakeUp();
    }

    private void FireWakeUp() => Interlocked.Exchange(ref _wakeUp, null)?.Invoke();

    private void SetLinkLocked(bool up)
    {
        if (_linkUp == up)
            return;
        _linkUp = up;
        _linkChangePending = true;
        Counters.LinkChanges++;
    }

    /// <summary>What a locked section decided to tell the outside: link changes and rejoins, raised with no lock held.</summary>
    private void RaiseDeferred()
    {
        if (!Volatile.Read(ref _linkChangePending) && !Volatile.Read(ref _rejoinPending))
            return;
        bool linkChanged;
        lock (_busGate)
        {
            linkChanged = _linkChangePending;
            _linkChangePending = false;
        }
        if (linkChanged)
        {
            LinkStateChanged?.Invoke(this, EventArgs.Empty);
            FireWakeUp();
        }
        StartRejoinIfPending();
    }
}
