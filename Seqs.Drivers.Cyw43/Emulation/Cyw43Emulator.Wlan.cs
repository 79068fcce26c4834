using System.Text;
using Seqs.Drivers.Cyw43.Register.Bus;
using Seqs.Drivers.Cyw43.Register.Sdpcm;
using Seqs.Wire;

namespace Seqs.Drivers.Cyw43.Emulation;

public sealed partial class Cyw43Emulator
{
    /// <summary>Credit granted ahead of the last sequence number seen (reference §6 "Must model" 6: last seq + 8).</summary>
    private const int CreditWindow = 8;

    /// <summary>What the emulated firmware answers to an ioctl it does not know; any non-zero status is an error.</summary>
    public const int UnsupportedStatus = -1;

    private readonly Queue<byte[]> _toHost = new();
    private readonly Dictionary<string, byte[]> _variables = new(StringComparer.Ordinal);
    private readonly Dictionary<Ioctl, byte[]> _ioctlValues = [];
    private readonly List<byte[]> _dataFrames = [];
    private byte _lastHostSequence;
    private byte _chipSequence;
    private int _ioctlsReceived;

    /// <summary>The station address "cur_etheraddr" returns.</summary>
    public MacAddress MacAddress { get; set; } = new(0x02_43_43_94_39_01);

    /// <summary>Ioctls the emulated firmware answered since power-up.</summary>
    public int IoctlsReceived
    {
        get
        {
            lock (_gate)
                return _ioctlsReceived;
        }
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

    /// <summary>Data-channel frames the host sent, SDPCM header included (the BDC data path is not modelled yet).</summary>
    public IReadOnlyList<byte[]> DataFramesFromHost
    {
        get
        {
            lock (_gate)
                return _dataFrames.ToArray();
        }
    }

    /// <summary>The length of the frame waiting for the host; 0 when none.</summary>
    private int F2PacketLength => _toHost.Count > 0 ? _toHost.Peek().Length : 0;

    private void ResetWlan()
    {
        _toHost.Clear();
        _variables.Clear();
        _ioctlValues.Clear();
        _dataFrames.Clear();
        _lastHostSequence = 0xFF;
        _chipSequence = 0;
        _ioctlsReceived = 0;
    }

    /// <summary>Reference §3: an F2 write is one SDPCM frame, size == ~size, padded to 4 bytes.</summary>
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
        _lastHostSequence = sdpcm.Sequence;
        switch (sdpcm.Channel)
        {
            case SdpcmChannel.Control:
                AnswerIoctl(sdpcm.Payload);
                break;
            case SdpcmChannel.Data:
                _dataFrames.Add(data[..sdpcm.Size].ToArray());
                break;
            default:
                _violations.Add($"the host sent an SDPCM frame on channel {sdpcm.Channel}");
                break;
        }
    }

    /// <summary>Reference §3 "CDC": the response echoes the header with the status; GET answers carry the value.</summary>
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
        var answer = new byte[length];
        int status = 0;
        var command = (Ioctl)cdc.Command;
        switch (command)
        {
            case Ioctl.GetVar:
                status = GetVariable(argument, answer);
                break;
            case Ioctl.SetVar:
                int nameEnd = argument.IndexOf((byte)0);
                if (nameEnd <= 0)
                    status = UnsupportedStatus;
                else
                    _variables[Encoding.ASCII.GetString(argument[..nameEnd])] = argument[(nameEnd + 1)..].ToArray();
                break;
            default:
                if (cdc.IsSet)
                    _ioctlValues[command] = argument.ToArray();
                else if (_ioctlValues.TryGetValue(command, out byte[]? value))
                    value.AsSpan(0, Math.Min(value.Length, answer.Length)).CopyTo(answer);
                break;
        }
        QueueControlFrame(cdc.Command, cdc.IsSet, cdc.RequestId, cdc.Interface, status, answer);
    }

    private int GetVariable(ReadOnlySpan<byte> argument, Span<byte> answer)
    {
        int nameEnd = argument.IndexOf((byte)0);
        string name = Encoding.ASCII.GetString(nameEnd < 0 ? argument : argument[..nameEnd]);
        answer.Clear();
        if (name == "cur_etheraddr")
        {
            if (answer.Length < MacAddress.Length)
                return UnsupportedStatus;
            MacAddress.Write(answer);
            return 0;
        }
        if (!_variables.TryGetValue(name, out byte[]? value))
            return UnsupportedStatus;
        value.AsSpan(0, Math.Min(value.Length, answer.Length)).CopyTo(answer);
        return 0;
    }

    private void QueueControlFrame(uint command, bool set, ushort requestId, int iface, int status, ReadOnlySpan<byte> payload)
    {
        int size = SdpcmHeader.Length + CdcHeader.Length + payload.Length;
        var frame = new byte[(size + 3) & ~3];
        SdpcmHeader.Write(frame, size, _chipSequence++, SdpcmChannel.Control, SdpcmHeader.Length, Credit());
        CdcHeader.Write(frame.AsSpan(SdpcmHeader.Length), command, payload.Length, set, requestId, iface, status);
        payload.CopyTo(frame.AsSpan(SdpcmHeader.Length + CdcHeader.Length));
        _toHost.Enqueue(frame);
    }

    private byte Credit() => (byte)(_lastHostSequence + 1 + CreditWindow);

    /// <summary>An F2 read takes the head frame; with none waiting it raises DATA_UNAVAILABLE.</summary>
    private void ReadWlan(Span<byte> data)
    {
        data.Clear();
        if (_toHost.Count == 0)
        {
            _interruptLatched |= InterruptFlags.DataUnavailable;
            return;
        }
        byte[] frame = _toHost.Dequeue();
        frame.AsSpan(0, Math.Min(frame.Length, data.Length)).CopyTo(data);
    }

    private void DropF2Frame()
    {
        if (_toHost.Count > 0)
            _toHost.Dequeue();
    }
}
