using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Filters;
using Seqs.Drivers.Enc28j60.Register.Mac;
using Seqs.Drivers.Enc28j60.Register.Packets;

namespace Seqs.Drivers.Enc28j60.Emulation;

public sealed partial class Enc28j60Emulator
{
    /// <summary>EPKTCNT saturates here; a further frame is dropped with RXERIF (§7.2.4, §12.1.2).</summary>
    private const int MaxPacketCount = 255;

    private const int CrcLength = 4;

    private bool _corruptNextPointer;

    /// <summary>Frames written into the receive buffer.</summary>
    public long FramesReceived { get; private set; }

    /// <summary>Frames the receive filters rejected (ERXFCON, MAMXFL, CRC).</summary>
    public long FramesFiltered { get; private set; }

    /// <summary>Frames dropped with RXERIF: no room before ERXRDPT, or EPKTCNT at 255.</summary>
    public long ReceiveOverflows { get; private set; }

    /// <summary>Frames that arrived while reception was off (RXEN, MARXEN, RXRST, power save, link down).</summary>
    public long FramesIgnored { get; private set; }

    /// <summary>
    /// A frame arrives from the wire: <paramref name="frame"/> runs from the destination address to the end of the
    /// payload, and the chip appends the FCS it received (valid unless <paramref name="crcValid"/> is false).
    /// Returns true when the frame was written into the receive buffer.
    /// </summary>
    public bool DeliverFrame(ReadOnlySpan<byte> frame, bool crcValid = true)
    {
        bool stored;
        lock (_gate)
            stored = Receive(frame, crcValid);
        RaiseDeferredEvents();
        return stored;
    }

    /// <summary>The next frame written gets an odd next packet pointer outside the receive buffer (errata #14 territory).</summary>
    public void CorruptNextPacketPointer()
    {
        lock (_gate)
            _corruptNextPointer = true;
    }

    private bool Receive(ReadOnlySpan<byte> frame, bool crcValid)
    {
        if (!IsReceiving())
        {
            FramesIgnored++;
            return false;
        }
        int byteCount = frame.Length + CrcLength;
        if (!FitsFilters(frame, crcValid))
        {
            FramesFiltered++;
            return false;
        }
        if (!HasRoom(byteCount, out int needed))
        {
            ReceiveOverflows++;
            SetInterruptFlag(Eir.RxErIf);
            return false;
        }
        int start = Pair(0, ControlRegister.Erxst);
        int end = Pair(0, ControlRegister.Erxnd);
        int write = Pair(0, ControlRegister.Erxwrpt);
        int next = Advance(write, needed, start, end);
        bool broadcast = IsBroadcast(frame);
        bool multicast = !broadcast && (frame[0] & 1) != 0;
        int nextPointer = next;
        if (_corruptNextPointer)
        {
            _corruptNextPointer = false;
            nextPointer = 0x1FFF;
        }
        int statusByteCount = byteCount;
        if (_corruptByteCount is int corrupt)
        {
            _corruptByteCount = null;
            statusByteCount = corrupt;
        }
        Span<byte> header = stackalloc byte[ReceiveStatusVector.Length];
        new ReceiveStatusVector((ushort)nextPointer, (ushort)statusByteCount,
            ReceiveStatusVector.StatusBits(receivedOk: crcValid, crcError: !crcValid, multicast, broadcast)).Write(header);
        int at = WriteRing(write, header, start, end);
        at = WriteRing(at, frame, start, end);
        Span<byte> fcs = stackalloc byte[CrcLength];
        uint crc = EthernetCrc.Compute(frame);
        if (!crcValid)
            crc = ~crc;
        fcs[0] = (byte)crc;
        fcs[1] = (byte)(crc >> 8);
        fcs[2] = (byte)(crc >> 16);
        fcs[3] = (byte)(crc >> 24);
        WriteRing(at, fcs, start, end);
        SetPair(ControlRegister.Erxwrpt, next);
        Set(ControlRegister.Epktcnt, (byte)(Get(ControlRegister.Epktcnt) + 1));
        if (!MissesPacketInterrupts)
            SetInterruptFlag(Eir.PktIf);
        FramesReceived++;
        return true;
    }

    /// <summary>
    /// RXEN, MARXEN, no RXRST, powered, out of reset and power save, link up or the PHY looping back: the chip takes
    /// frames in.
    /// </summary>
    private bool IsReceiving()
    {
        var control = new Econ1(Get(ControlRegister.Econ1));
        return IsPresent && !_resetHeld && control.ReceiveEnabled && !control.ReceiveReset && (LinkUp || IsLoopingBack) &&
            new Macon1(Get(ControlRegister.Macon1)).ReceiveEnabled && !new Econ2(Get(ControlRegister.Econ2)).PowerSave;
    }

    private bool FitsFilters(ReadOnlySpan<byte> frame, bool crcValid) =>
        frame.Length >= 14 && frame.Length + CrcLength <= Pair(2, ControlRegister.Mamxfl) && PassesFilters(frame, crcValid);

    /// <summary>
    /// Whether a frame of <paramref name="byteCount"/> bytes (with FCS) fits before ERXRDPT (§3.2.1) with its status
    /// vector, and EPKTCNT can count it; <paramref name="needed"/> is the space it takes, padded to even (§7.2.2).
    /// </summary>
    private bool HasRoom(int byteCount, out int needed)
    {
        int start = Pair(0, ControlRegister.Erxst);
        int end = Pair(0, ControlRegister.Erxnd);
        int write = Pair(0, ControlRegister.Erxwrpt);
        int read = Pair(0, ControlRegister.Erxrdpt);
        int size = end - start + 1;
        needed = ReceiveStatusVector.Length + byteCount;
        needed += needed & 1;
        int free = read >= write ? read - write : read - write + size; // up to, not including, ERXRDPT
        return Get(ControlRegister.Epktcnt) != MaxPacketCount && needed <= free;
    }

    /// <summary>True when the chip would take <paramref name="frame"/> but has no room for it now.</summary>
    private bool WouldOverflow(ReadOnlySpan<byte> frame)
    {
        lock (_gate)
            return IsReceiving() && FitsFilters(frame, crcValid: true) && !HasRoom(frame.Length + CrcLength, out _);
    }

    private bool PassesFilters(ReadOnlySpan<byte> frame, bool crcValid)
    {
        var filters = new Erxfcon(Get(ControlRegister.Erxfcon));
        if (filters.CrcCheck && !crcValid)
            return false;
        if (filters.Promiscuous)
            return true;
        bool broadcast = IsBroadcast(frame);
        bool multicast = (frame[0] & 1) != 0;
        bool unicast = !multicast && IsOwnAddress(frame);
        // §8: with ANDOR clear a frame passes when any enabled filter matches; with it set, all must.
        // Hash table, pattern match and magic packet filters are not modelled: enabled, they never match.
        bool anyEnabledFails = (filters.Unicast && !unicast) || (filters.Broadcast && !broadcast) ||
            (filters.Multicast && !multicast) || (filters.ToByte() & (Erxfcon.PmEn | Erxfcon.MpEn | Erxfcon.HtEn)) != 0;
        bool anyEnabledMatches = (filters.Unicast && unicast) || (filters.Broadcast && broadcast) || (filters.Multicast && multicast);
        return filters.RequireAll ? !anyEnabledFails : anyEnabledMatches;
    }

    private bool IsOwnAddress(ReadOnlySpan<byte> frame) =>
        frame[0] == Get(ControlRegister.Maadr1) && frame[1] == Get(ControlRegister.Maadr2) &&
        frame[2] == Get(ControlRegister.Maadr3) && frame[3] == Get(ControlRegister.Maadr4) &&
        frame[4] == Get(ControlRegister.Maadr5) && frame[5] == Get(ControlRegister.Maadr6);

    private static bool IsBroadcast(ReadOnlySpan<byte> frame) =>
        frame[0] == 0xFF && frame[1] == 0xFF && frame[2] == 0xFF && frame[3] == 0xFF && frame[4] == 0xFF && frame[5] == 0xFF;

    private static int Advance(int pointer, int count, int start, int end)
    {
        int offset = pointer - start + count;
        return start + offset % (end - start + 1);
    }

    private int WriteRing(int pointer, ReadOnlySpan<byte> bytes, int start, int end)
    {
        foreach (byte b in bytes)
        {
            _memory[pointer] = b;
            pointer = pointer == end ? start : pointer + 1;
        }
        return pointer;
    }

    private void DecrementPacketCount()
    {
        byte count = Get(ControlRegister.Epktcnt);
        if (count > 0)
            Set(ControlRegister.Epktcnt, --count);
        if (count == 0)
        {
            // §7.2.4: PKTIF clears when EPKTCNT reaches zero.
            Set(ControlRegister.Eir, (byte)(Get(ControlRegister.Eir) & ~Eir.PktIf));
            UpdateInterrupt();
        }
    }

    /// <summary>
    /// ECON1.RXRST: the receive logic restarts empty. Modelled as Linux's recovery expects: EPKTCNT and PKTIF clear,
    /// ERXWRPT back at ERXST, RXEN off until the host sets it again.
    /// </summary>
    private void ResetReceiveEngine()
    {
        Set(ControlRegister.Epktcnt, 0);
        SetPair(ControlRegister.Erxwrpt, Pair(0, ControlRegister.Erxst));
        Set(ControlRegister.Econ1, (byte)(Get(ControlRegister.Econ1) & ~Econ1.RxEn));
        Set(ControlRegister.Eir, (byte)(Get(ControlRegister.Eir) & ~Eir.PktIf));
        UpdateInterrupt();
    }
}
