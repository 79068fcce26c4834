using System.Buffers.Binary;
using System.Text;
using Seqs.Drivers.Cyw43.Register.Bus;
using Seqs.Drivers.Cyw43.Register.Events;
using Seqs.Drivers.Cyw43.Register.Iovar;
using Seqs.Drivers.Cyw43.Register.Sdpcm;
using Seqs.Wire;

namespace Seqs.Drivers.Cyw43.Emulation;

public sealed partial class Cyw43Emulator
{
    /// <summary>
    /// Credit granted ahead of the last sequence number seen (last seq + 8: cyw43-driver tests/mock_sdio.c;
    /// docs/reference/cyw43439.md#emulator-scope "Must model" 6).
    /// </summary>
    public const int DefaultCreditWindow = 8;

    /// <summary>What the emulated firmware answers to an ioctl it does not know; any non-zero status is an error.</summary>
    public const int UnsupportedStatus = -1;

    /// <summary>What the firmware answers to GET_RSSI with no network joined (Broadcom bcmutils.h BCME_NOTASSOCIATED).</summary>
    public const int NotAssociatedStatus = -17;

    /// <summary>What "clmload_status" reads until a whole CLM arrived (BEGIN ... END); the driver wants 0.</summary>
    public const int ClmNotLoadedStatus = 1;

    /// <summary>What the emulated firmware answers to an ioctl that comes while it still settles after "country", "bsscfg:event_msgs" or UP.</summary>
    public const int SettlingStatus = -2;

    /// <summary>
    /// How long the firmware settles after "country", "bsscfg:event_msgs" and UP: embassy control.rs waits 100 ms after
    /// each ("set country takes some time, next ioctls fail if we don't wait"), cyw43-driver cyw43_ll_wifi_on 50 ms;
    /// the emulator fails ioctls that come sooner than the shorter of the two.
    /// </summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(50);

    /// <summary>Frames the chip holds for the host before it stops taking frames from the air.</summary>
    private const int HostQueueCapacity = 32;

    private readonly FrameQueue _toHost = new(HostQueueCapacity, GspiCommand.MaxLength);
    private readonly Dictionary<string, byte[]> _variables = new(StringComparer.Ordinal);
    private readonly Dictionary<Ioctl, byte[]> _ioctlValues = [];
    private byte _lastHostSequence;
    private byte _chipSequence;
    private int _ioctlsReceived;
    private byte _flowControl;
    private byte _creditGranted;
    private bool _clmStarted;
    private int _clmStatus;
    private int _clmBytes;
    private int _clmChunks;
    private long _settlingSince;
    private bool _settling;

    /// <summary>The station address "cur_etheraddr" returns.</summary>
    public MacAddress MacAddress { get; set; } = new(0x02_43_43_94_39_01);

    /// <summary>
    /// How far ahead of the host's last sequence number the credit runs: 8 by default
    /// (docs/reference/cyw43439.md#emulator-scope).
    /// </summary>
    public int CreditWindow { get; set; } = DefaultCreditWindow;

    /// <summary>Fault: the firmware takes the CLM chunks but "clmload_status" never reads 0.</summary>
    public bool FailsClmLoad { get; set; }

    /// <summary>Ioctls the emulated firmware answered since power-up.</summary>
    public int IoctlsReceived
    {
        get
        {
            lock (_gate)
                return _ioctlsReceived;
        }
    }

    /// <summary>CLM bytes and chunks received through "clmload" since power-up.</summary>
    public (int Bytes, int Chunks) ClmLoaded
    {
        get
        {
            lock (_gate)
                return (_clmBytes, _clmChunks);
        }
    }

    /// <summary>The two-letter code of the last "country" iovar; empty before.</summary>
    public string Country
    {
        get
        {
            lock (_gate)
                return _variables.TryGetValue("country", out byte[]? value) ? CountryInfo.Read(value) : "";
        }
    }

    /// <summary>Whether the host's event mask ("bsscfg:event_msgs") enables <paramref name="type"/>; false before it is set.</summary>
    public bool IsEventEnabled(WlanEventType type)
    {
        lock (_gate)
            return EventEnabled(type);
    }

    /// <summary>An iovar as last set by the host ("name\0value"), or null.</summary>
    public byte[]? Variable(string name)
    {
        lock (_gate)
            return _variables.TryGetValue(name, out byte[]? value) ? value.ToArray() : null;
    }

    /// <summary>The payload of the last SET of <paramref name="ioctl"/>, or null.</summary>
    public byte[]? IoctlValue(Ioctl ioctl)
    {
        lock (_gate)
            return _ioctlValues.TryGetValue(ioctl, out byte[]? value) ? value.ToArray() : null;
    }

    /// <summary>
    /// Sets the SDPCM flow-control byte and tells the host at once in a credit-only frame (the host stalls
    /// while flow_control ≠ 0: cyw43-driver cyw43_ll.c; docs/reference/cyw43439.md#credit). A data frame the host sends
    /// while stalled is a protocol violation.
    /// </summary>
    public void SetFlowControl(bool stalled)
    {
        bool edge;
        lock (_gate)
        {
            _flowControl = (byte)(stalled ? 1 : 0);
            QueueCreditFrame();
            edge = UpdateHostWake();
        }
        if (edge)
            _hostWake.RaiseEdge();
    }

    /// <summary>
    /// Queues <paramref name="frame"/> for the host as it is, well formed or not, behind what is already queued; its
    /// exact length goes in the status word. For tests of the driver's parsers.
    /// </summary>
    public void InjectFrameToHost(ReadOnlySpan<byte> frame)
    {
        bool edge;
        lock (_gate)
        {
            if (TryReserveHostFrame(frame.Length, out Span<byte> slot))
            {
                frame.CopyTo(slot);
                CommitHostFrame(frame.Length);
            }
            edge = UpdateHostWake();
        }
        if (edge)
            _hostWake.RaiseEdge();
    }

    /// <summary>The length of the frame waiting for the host; 0 when none.</summary>
    private int F2PacketLength => _toHost.HeadLength;

    private void ResetWlan()
    {
        _toHost.Clear();
        _variables.Clear();
        _ioctlValues.Clear();
        _lastHostSequence = 0xFF;
        _chipSequence = 0;
        _ioctlsReceived = 0;
        _flowControl = 0;
        _creditGranted = 1; // embassy runner.rs: the host starts at seq 0 with max 1
        _clmStarted = false;
        _clmStatus = ClmNotLoadedStatus;
        _clmBytes = 0;
        _clmChunks = 0;
        _settling = false;
        ResetWifi();
    }

    /// <summary>
    /// embassy structs.rs SdpcmHeader; docs/reference/cyw43439.md#sdpcm-header: an F2 write is one SDPCM frame, size ==
    /// ~size, padded to 4 bytes.
    /// </summary>
    private void WriteWlan(ReadOnlySpan<byte> data)
    {
        if (!F2ReceiveReady)
        {
            _violations.Add($"a {data.Length}-byte F2 write before F2_RX_READY");
            return;
        }
        if (!SdpcmHeader.TryCreate(data, out var sdpcm))
        {
            _violations.Add($"a {data.Length}-byte F2 write is not an SDPCM frame");
            return;
        }
        if (sdpcm.Sequence != (byte)(_lastHostSequence + 1))
            _violations.Add($"SDPCM sequence {sdpcm.Sequence} after {_lastHostSequence}: the host increments it for every frame");
        if (sdpcm.Sequence == _creditGranted || ((byte)(_creditGranted - sdpcm.Sequence) & 0x80) != 0)
            _violations.Add($"SDPCM sequence {sdpcm.Sequence} beyond the credit {_creditGranted}");
        _lastHostSequence = sdpcm.Sequence;
        switch (sdpcm.Channel)
        {
            case SdpcmChannel.Control:
                AnswerIoctl(sdpcm.Payload);
                break;
            case SdpcmChannel.Data:
                if (_flowControl != 0)
                    _violations.Add("a data frame while flow control stalls the host");
                else
                    AcceptHostDataFrame(sdpcm.Payload);
                break;
            default:
                _violations.Add($"the host sent an SDPCM frame on channel {sdpcm.Channel}");
                break;
        }
        // A host that only sends would run out of credit: top it up with a credit-only frame (a 12-byte frame
        // carries only credit: embassy runner.rs rx; docs/reference/cyw43439.md#credit) when half the window is used
        // and nothing else is on its way.
        if (_toHost.Count == 0 && (byte)(_creditGranted - 1 - _lastHostSequence) < CreditWindow / 2)
            QueueCreditFrame();
    }

    /// <summary>
    /// embassy structs.rs CdcHeader; docs/reference/cyw43439.md#cdc-ioctl-header: the response echoes the header with
    /// the status; GET answers carry the value.
    /// </summary>
    private void AnswerIoctl(ReadOnlySpan<byte> payload)
    {
        if (!CdcHeader.TryCreate(payload, out var cdc))
        {
            _violations.Add("a control frame without a CDC header");
            return;
        }
        _ioctlsReceived++;
        int length = (int)Math.Min(cdc.PayloadLength, (uint)cdc.Payload.Length);
        ReadOnlySpan<byte> argument = cdc.Payload[..length];
        Span<byte> answer = stackalloc byte[length];
        answer.Clear();
        var command = (Ioctl)cdc.Command;
        if (_settling && _time.GetElapsedTime(_settlingSince) < SettleTime)
        {
            QueueControlFrame(cdc.Command, cdc.IsSet, cdc.RequestId, cdc.Interface, SettlingStatus, answer);
            return;
        }
        _settling = false;
        int status = command switch
        {
            Ioctl.GetVar => GetVariable(argument, answer),
            Ioctl.SetVar => SetVariable(argument),
            Ioctl.GetRssi => GetRssi(answer),
            _ => OtherIoctl(command, cdc.IsSet, argument, answer),
        };
        QueueControlFrame(cdc.Command, cdc.IsSet, cdc.RequestId, cdc.Interface, status, answer);
        if (status == 0 && (command == Ioctl.Up || (command == Ioctl.SetVar && SettlesAfter(argument))))
        {
            _settling = true;
            _settlingSince = _time.GetTimestamp();
        }
        AfterIoctl(command, status);
    }

    private static bool SettlesAfter(ReadOnlySpan<byte> setVarArgument) =>
        setVarArgument.StartsWith("country\0"u8) || setVarArgument.StartsWith("bsscfg:event_msgs\0"u8);

    /// <summary>Whether a CLM was loaded: without one the firmware has no regulatory data, so no channel to scan or join on.</summary>
    private bool HasRegulatoryChannels => _clmStatus == 0 && _clmBytes > 0;

    private int SetVariable(ReadOnlySpan<byte> argument)
    {
        int nameEnd = argument.IndexOf((byte)0);
        if (nameEnd <= 0)
            return UnsupportedStatus;
        string name = Encoding.ASCII.GetString(argument[..nameEnd]);
        ReadOnlySpan<byte> value = argument[(nameEnd + 1)..];
        if (name == "clmload")
            return LoadClmChunk(value);
        int status = SetWifiVariable(name, value);
        if (status == 0)
            _variables[name] = value.ToArray();
        return status;
    }

    /// <summary>
    /// embassy control.rs load_clm; docs/reference/cyw43439.md#initialisation step 1: BEGIN starts a CLM, END completes
    /// it, and chunks carry their length.
    /// </summary>
    private int LoadClmChunk(ReadOnlySpan<byte> value)
    {
        if (!ClmDownloadHeader.TryCreate(value, out var header) || header.Type != ClmDownloadHeader.ClmType
            || (header.Flag & ClmDownloadHeader.HandlerVersion) == 0 || header.ChunkLength > ClmDownloadHeader.MaxChunk)
        {
            _violations.Add("a clmload chunk with a bad header");
            return UnsupportedStatus;
        }
        if (header.IsFirst)
        {
            _clmStarted = true;
            _clmBytes = 0;
            _clmChunks = 0;
        }
        else if (!_clmStarted)
        {
            _violations.Add("a clmload chunk before the one flagged BEGIN");
            return UnsupportedStatus;
        }
        _clmBytes += header.ChunkLength;
        _clmChunks++;
        _clmStatus = ClmNotLoadedStatus;
        if (header.IsLast)
        {
            _clmStarted = false;
            _clmStatus = FailsClmLoad ? ClmNotLoadedStatus : 0;
        }
        return 0;
    }

    private int GetVariable(ReadOnlySpan<byte> argument, Span<byte> answer)
    {
        int nameEnd = argument.IndexOf((byte)0);
        string name = Encoding.ASCII.GetString(nameEnd < 0 ? argument : argument[..nameEnd]);
        answer.Clear();
        switch (name)
        {
            case "cur_etheraddr":
                if (answer.Length < MacAddress.Length)
                    return UnsupportedStatus;
                MacAddress.Write(answer);
                return 0;
            case "clmload_status":
                if (answer.Length < 4)
                    return UnsupportedStatus;
                BinaryPrimitives.WriteInt32LittleEndian(answer, _clmStatus);
                return 0;
        }
        if (!_variables.TryGetValue(name, out byte[]? value))
            return UnsupportedStatus;
        value.AsSpan(0, Math.Min(value.Length, answer.Length)).CopyTo(answer);
        return 0;
    }

    /// <summary>
    /// GET_RSSI (docs/reference/cyw43439.md#ioctl-numbers): the joined access point's signal in dBm, as a little-endian
    /// int32; an error without one.
    /// </summary>
    private int GetRssi(Span<byte> answer)
    {
        if (answer.Length < 4)
            return UnsupportedStatus;
        if (_associated is not EmulatedAccessPoint ap)
            return NotAssociatedStatus;
        BinaryPrimitives.WriteInt32LittleEndian(answer, ap.Rssi);
        return 0;
    }

    private int OtherIoctl(Ioctl command, bool set, ReadOnlySpan<byte> argument, Span<byte> answer)
    {
        if (set)
        {
            _ioctlValues[command] = argument.ToArray();
            return 0;
        }
        if (_ioctlValues.TryGetValue(command, out byte[]? value))
            value.AsSpan(0, Math.Min(value.Length, answer.Length)).CopyTo(answer);
        return 0;
    }

    private bool EventEnabled(WlanEventType type) =>
        _variables.TryGetValue("bsscfg:event_msgs", out byte[]? mask) && EventMask.IsEnabled(mask, (uint)type);

    private void QueueControlFrame(uint command, bool set, ushort requestId, int iface, int status, ReadOnlySpan<byte> payload)
    {
        int size = SdpcmHeader.Length + CdcHeader.Length + payload.Length;
        if (!TryReserveHostFrame(size, out Span<byte> frame))
            return;
        SdpcmHeader.Write(frame, size, _chipSequence++, SdpcmChannel.Control, SdpcmHeader.Length, GrantCredit(), _flowControl);
        CdcHeader.Write(frame[SdpcmHeader.Length..], command, payload.Length, set, requestId, iface, status);
        payload.CopyTo(frame[(SdpcmHeader.Length + CdcHeader.Length)..]);
        CommitHostFrame(size);
    }

    /// <summary>
    /// An event on the SDPCM event channel, if the host's mask enables it (embassy structs.rs EventPacket;
    /// docs/reference/cyw43439.md#event-frames).
    /// </summary>
    private void QueueEvent(WlanEventType type, uint status, uint reason = 0, ushort flags = 0, MacAddress address = default, ReadOnlySpan<byte> data = default)
    {
        if (!EventEnabled(type))
            return;
        const int eventStart = SdpcmHeader.Length + BdcHeader.Length;
        int size = eventStart + WlanEventFrame.HeaderLength + data.Length;
        if (!TryReserveHostFrame(size, out Span<byte> frame))
            return;
        SdpcmHeader.Write(frame, size, _chipSequence++, SdpcmChannel.Event, SdpcmHeader.Length, GrantCredit(), _flowControl);
        BdcHeader.Write(frame[SdpcmHeader.Length..], flags: BdcHeader.VersionFlags);
        WlanEventFrame.Write(frame[eventStart..], MacAddress, MacAddress, type, status, reason, flags, address, data);
        CommitHostFrame(size);
    }

    private void QueueCreditFrame()
    {
        if (!TryReserveHostFrame(SdpcmHeader.Length, out Span<byte> frame))
            return;
        SdpcmHeader.Write(frame, SdpcmHeader.Length, _chipSequence++, SdpcmChannel.Control, SdpcmHeader.Length, GrantCredit(), _flowControl);
        CommitHostFrame(SdpcmHeader.Length);
    }

    private bool TryReserveHostFrame(int size, out Span<byte> frame)
    {
        frame = default;
        if (_toHost.IsFull)
        {
            _violations.Add($"the host let {HostQueueCapacity} frames pile up unread; a {size}-byte frame was lost");
            return false;
        }
        if (size > _toHost.SlotSize)
            throw new InvalidOperationException($"A {size}-byte frame does not fit in a {_toHost.SlotSize}-byte F2 buffer.");
        frame = _toHost.Reserve();
        return true;
    }

    /// <summary>The credit every frame to the host carries: the last sequence seen + 1 + <see cref="CreditWindow"/>.</summary>
    private byte GrantCredit() => _creditGranted = (byte)(_lastHostSequence + 1 + CreditWindow);

    /// <summary>
    /// An F2 read takes the head frame; with none waiting it raises DATA_UNAVAILABLE. A read longer than the frame
    /// runs the FIFO dry: the status word of that transaction shows UNDERFLOW (embassy consts.rs STATUS_*;
    /// docs/reference/cyw43439.md#status-register b1); embassy and cyw43-driver read exactly F2_PKT_LEN bytes
    /// (docs/reference/cyw43439.md#receive step 2).
    /// </summary>
    private void ReadWlan(Span<byte> data)
    {
        data.Clear();
        if (_toHost.Count == 0)
        {
            _interruptLatched |= InterruptFlags.DataUnavailable;
            return;
        }
        if (data.Length > _toHost.HeadLength || _underflowNextF2Read)
        {
            _underflowNextF2Read = false;
            _underflowInThisTransaction = true;
            _f2ReadUnderflows++;
        }
        _toHost.Dequeue(data);
        OnHostFrameTaken();
    }

    /// <summary>Queues the frame written into the slot <see cref="TryReserveHostFrame"/> gave, at its exact length, and latches F2_PACKET_AVAILABLE.</summary>
    private void CommitHostFrame(int length)
    {
        _toHost.Commit(length);
        _interruptLatched |= InterruptFlags.F2PacketAvailable;
    }

    private void DropF2Frame()
    {
        if (_toHost.Count > 0)
        {
            _toHost.DropHead();
            OnHostFrameTaken();
        }
    }
}
