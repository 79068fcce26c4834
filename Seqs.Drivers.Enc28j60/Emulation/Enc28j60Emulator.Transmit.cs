using Seqs.Drivers.Enc28j60.Register.Buffer;
using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Mac;
using Seqs.Drivers.Enc28j60.Register.Packets;

namespace Seqs.Drivers.Enc28j60.Emulation;

public sealed partial class Enc28j60Emulator
{
    /// <summary>IEEE 802.3 minimum frame without FCS; shorter frames are padded when padding is on.</summary>
    private const int MinimumFrame = 60;

    private readonly byte[] _transmitFrame = new byte[EthernetBuffer.Size];
    private bool _stallNextTransmit;
    private bool _stalled;
    private bool _stallAfterAbort;
    private int _lateCollisions;
    private int _transmitBusyRemaining;

    /// <summary>
    /// How many reads of ECON1 or EIR (the registers that say a transmission ended) a transmission stays in progress
    /// before it completes: 0 completes it as TXRTS is set. A stand-in for the wire time, so that back-pressure can
    /// be tested.
    /// </summary>
    public int TransmitBusyPolls { get; set; }

    public long FramesTransmitted { get; private set; }

    /// <summary>Transmissions that ended with TXERIF (injected late collisions).</summary>
    public long TransmitAborts { get; private set; }

    /// <summary>Transmissions that were sent without a CRC (padding and CRC off): the peer drops them, so does this.</summary>
    public long FramesWithoutCrc { get; private set; }

    /// <summary>Errata DS80349C #12: the next TXRTS never completes; only TXRST (or clearing TXRTS) frees the logic.</summary>
    public void InjectTransmitStall()
    {
        lock (_gate)
            _stallNextTransmit = true;
    }

    /// <summary>The next <paramref name="count"/> transmissions abort with a late collision (TSV bit 29, TXERIF, TXABRT).</summary>
    public void InjectLateCollisions(int count)
    {
        lock (_gate)
            _lateCollisions = count;
    }

    /// <summary>
    /// Errata DS80349C #12: "Clearing ECON1.TXRST may cause a new transmit error interrupt event (EIR.TXERIF will
    /// become set)". When true, every clear of TXRST sets TXERIF, the worst case the errata allows.
    /// </summary>
    public bool TransmitResetReleaseSetsTxErIf { get; set; }

    /// <summary>Whether a transmission is stuck (an injected stall not yet cleared by TXRST).</summary>
    public bool IsTransmitStalled
    {
        get
        {
            lock (_gate)
                return _stalled;
        }
    }

    private void ResetTransmitEngine()
    {
        _stalled = false;
        _stallAfterAbort = false;
        _transmitBusyRemaining = 0;
    }

    private void StartTransmit()
    {
        if (_stallNextTransmit || _stallAfterAbort)
        {
            _stallNextTransmit = false;
            _stallAfterAbort = false;
            _stalled = true;
            return;
        }
        if (TransmitBusyPolls > 0)
        {
            _transmitBusyRemaining = TransmitBusyPolls;
            return;
        }
        CompleteTransmit();
    }

    /// <summary>§7.1: the host cleared TXRTS while a frame was going out; the frame ends "due to cancellation", TXIF.</summary>
    private void CancelTransmit()
    {
        bool inProgress = _stalled || _transmitBusyRemaining > 0;
        _stalled = false;
        _transmitBusyRemaining = 0;
        if (inProgress)
            SetInterruptFlag(Eir.TxIf);
    }

    private void PollTransmitter()
    {
        if (_transmitBusyRemaining > 0 && --_transmitBusyRemaining == 0)
            CompleteTransmit();
    }

    /// <summary>§7.1: send ETXST+1..ETXND as the control byte says, write the TSV after ETXND, clear TXRTS, flag.</summary>
    private void CompleteTransmit()
    {
        int start = Pair(0, ControlRegister.Etxst);
        int end = Pair(0, ControlRegister.Etxnd);
        int length = (end - start) & EthernetBuffer.LastAddress;
        byte control = _memory[start];
        var macon3 = new Macon3(Get(ControlRegister.Macon3));
        bool overrides = (control & PacketControl.POverride) != 0;
        bool pad = overrides ? (control & PacketControl.PPadEn) != 0 : macon3.PadsShortFrames;
        bool crc = overrides ? (control & PacketControl.PCrcEn) != 0 : macon3.AppendsCrc;
        for (int i = 0; i < length; i++)
            _transmitFrame[i] = _memory[(start + 1 + i) & EthernetBuffer.LastAddress];
        int sent = length;
        if (pad && sent < MinimumFrame)
        {
            Array.Clear(_transmitFrame, sent, MinimumFrame - sent);
            sent = MinimumFrame;
        }
        bool broadcast = length >= 6 && IsBroadcast(_transmitFrame);
        bool multicast = !broadcast && length >= 1 && (_transmitFrame[0] & 1) != 0;
        bool lateCollision = _lateCollisions > 0;
        int onWire = sent + (pad || crc ? CrcLength : 0);
        Span<byte> status = stackalloc byte[TransmitStatusVector.Length];
        TransmitStatusVector.Create(onWire, onWire, multicast, broadcast, lateCollision).Write(status);
        for (int i = 0; i < status.Length; i++)
            _memory[(end + 1 + i) & EthernetBuffer.LastAddress] = status[i];
        Set(ControlRegister.Econ1, (byte)(Get(ControlRegister.Econ1) & ~Econ1.TxRts));
        if (lateCollision)
        {
            _lateCollisions--;
            TransmitAborts++;
            // Errata DS80349C #12: "In Half-Duplex mode, a hardware transmission abort ... may stall the internal
            // transmit logic. The next packet transmit ... may never succeed (ECON1.TXRTS will remain set
            // indefinitely)": until TXRST resets the logic.
            _stallAfterAbort = !macon3.FullDuplex;
            Set(ControlRegister.Estat, (byte)(Get(ControlRegister.Estat) | Estat.TxAbrt | Estat.LateCol));
            // §7.1: an aborted packet also ends with TXIF; §12.1.3: TXERIF says it was aborted.
            SetInterruptFlag(Eir.TxIf | Eir.TxErIf);
            return;
        }
        SetInterruptFlag(Eir.TxIf);
        if (!pad && !crc)
        {
            FramesWithoutCrc++;
            return;
        }
        FramesTransmitted++;
        if (IsLoopingBack)
            Receive(_transmitFrame.AsSpan(0, sent), crcValid: true);
        else if (LinkUp)
            SendToWire(_transmitFrame.AsSpan(0, sent));
    }
}
