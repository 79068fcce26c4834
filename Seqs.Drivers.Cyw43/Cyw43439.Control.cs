using System.Text;
using Seqs.Drivers.Cyw43.Register.Bus;
using Seqs.Drivers.Cyw43.Register.Sdpcm;
using Seqs.Wire;

namespace Seqs.Drivers.Cyw43;

public sealed partial class Cyw43439
{
    private readonly SemaphoreSlim _ioctlGate = new(1, 1);
    private readonly byte[] _ioctlAnswer = new byte[MaxFrame];
    private ushort _ioctlId;
    private ushort _awaitedIoctlId;
    private bool _ioctlAnswered;
    private int _ioctlStatus;
    private int _ioctlAnswerLength;

    /// <summary>
    /// Reads the station address with GET_VAR "cur_etheraddr" (embassy control.rs Control::init;
    /// docs/reference/cyw43439.md#initialisation step 3).
    /// </summary>
    public async Task<MacAddress> GetMacAddressAsync(CancellationToken cancellationToken = default)
    {
        var value = new byte[MacAddress.Length];
        await GetVariableAsync("cur_etheraddr", value, cancellationToken).ConfigureAwait(false);
        return MacAddress.Read(value);
    }

    /// <summary>GET_VAR: sends <c>"name\0"</c> and fills <paramref name="value"/> from the answer.</summary>
    public Task GetVariableAsync(string name, Memory<byte> value, CancellationToken cancellationToken = default)
    {
        byte[] argument = Iovar(name, value.Length);
        return IoctlAsync(Ioctl.GetVar, set: false, argument, value, name, cancellationToken);
    }

    /// <summary>
    /// SET_VAR: sends <c>"name\0" + value</c> (embassy control.rs set_iovar; docs/reference/cyw43439.md#iovars).
    /// </summary>
    public Task SetVariableAsync(string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        byte[] argument = Iovar(name, value.Length);
        value.Span.CopyTo(argument.AsSpan(name.Length + 1));
        return IoctlAsync(Ioctl.SetVar, set: true, argument, Memory<byte>.Empty, name, cancellationToken);
    }

    /// <summary>SET_VAR of a little-endian 32-bit value.</summary>
    public Task SetVariableAsync(string name, uint value, CancellationToken cancellationToken = default) =>
        SetVariableAsync(name, BitConverter.GetBytes(value), cancellationToken);

    /// <summary>SET_VAR of two little-endian 32-bit values, such as "bsscfg:sup_wpa" = (interface, value).</summary>
    public Task SetVariableAsync(string name, uint first, uint second, CancellationToken cancellationToken = default)
    {
        var value = new byte[8];
        BitConverter.TryWriteBytes(value, first);
        BitConverter.TryWriteBytes(value.AsSpan(4), second);
        return SetVariableAsync(name, value, cancellationToken);
    }

    /// <summary>An ioctl with a 32-bit little-endian argument, such as SET_INFRA 1.</summary>
    public Task SetIoctlAsync(Ioctl ioctl, uint value, CancellationToken cancellationToken = default) =>
        SetIoctlAsync(ioctl, BitConverter.GetBytes(value), cancellationToken);

    /// <summary>A SET ioctl with a structured argument, such as SET_SSID's.</summary>
    public Task SetIoctlAsync(Ioctl ioctl, ReadOnlyMemory<byte> argument, CancellationToken cancellationToken = default) =>
        IoctlAsync(ioctl, set: true, argument, Memory<byte>.Empty, null, cancellationToken);

    /// <summary>
    /// Sends one ioctl on the SDPCM control channel with a fresh request ID once the credit allows, and waits,
    /// polling the status word, for the answer that echoes the ID (embassy structs.rs CdcHeader;
    /// docs/reference/cyw43439.md#cdc-ioctl-header). Frames of the other channels read meanwhile are handled as usual:
    /// events update the Wi-Fi state, Ethernet frames wait for the stack. One ioctl at a time.
    /// </summary>
    private async Task IoctlAsync(Ioctl ioctl, bool set, ReadOnlyMemory<byte> argument, Memory<byte> answer, string? variable, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        if (!_firmwareRunning)
            throw new InvalidOperationException("The CYW43439 is not initialised: call InitializeAsync first.");
        int payloadLength = Math.Max(argument.Length, answer.Length);
        if (SdpcmHeader.Length + CdcHeader.Length + payloadLength > MaxFrame)
            throw new ArgumentException($"An ioctl of {payloadLength} bytes does not fit in a {MaxFrame}-byte frame.", nameof(argument));

        await _ioctlGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long start = _time.GetTimestamp();
            while (!TrySendIoctl(ioctl, set, argument.Span, payloadLength))
                await PollOnceAsync(ioctl, variable, start, cancellationToken).ConfigureAwait(false);
            int status;
            while (!TryTakeIoctlAnswer(answer.Span, out status))
                await PollOnceAsync(ioctl, variable, start, cancellationToken).ConfigureAwait(false);
            if (status != 0)
                throw new Cyw43IoctlException(ioctl, variable, status, $"the firmware answered status {status}.");
        }
        finally
        {
            EndIoctl();
        }
    }

    /// <summary>No answer is awaited any more; the next ioctl may go.</summary>
    private void EndIoctl()
    {
        lock (_busGate)
            _awaitedIoctlId = 0;
        _ioctlGate.Release();
        RaiseDeferred();
    }

    private bool TrySendIoctl(Ioctl ioctl, bool set, ReadOnlySpan<byte> argument, int payloadLength)
    {
        lock (_busGate)
        {
            if (!HasCredit)
            {
                PumpLocked(pollStatus: true);
                if (!HasCredit)
                    return false;
            }
            ushort id = ++_ioctlId == 0 ? ++_ioctlId : _ioctlId;
            int size = SdpcmHeader.Length + CdcHeader.Length + payloadLength;
            Span<byte> frame = _transmitFrame.AsSpan(0, (size + 3) & ~3);
            frame.Clear();
            SdpcmHeader.Write(frame, size, _sequence++, SdpcmChannel.Control, SdpcmHeader.Length);
            CdcHeader.Write(frame[SdpcmHeader.Length..], (uint)ioctl, payloadLength, set, id);
            argument.CopyTo(frame[(SdpcmHeader.Length + CdcHeader.Length)..]);
            _awaitedIoctlId = id;
            _ioctlAnswered = false;
            _gspi.WriteBytes(BusFunction.Wlan, 0, frame);
            return true;
        }
    }

    private bool TryTakeIoctlAnswer(Span<byte> answer, out int status)
    {
        lock (_busGate)
        {
            if (!_ioctlAnswered)
                PumpLocked(pollStatus: true);
            status = _ioctlStatus;
            if (!_ioctlAnswered)
                return false;
            _ioctlAnswer.AsSpan(0, Math.Min(_ioctlAnswerLength, answer.Length)).CopyTo(answer);
            return true;
        }
    }

    /// <summary>A control frame arrived: the answer to the ioctl in progress, or something stale to skip.</summary>
    private void OnControlFrameLocked(ReadOnlySpan<byte> payload)
    {
        // A 12-byte frame carries only credit (embassy runner.rs rx; docs/reference/cyw43439.md#sdpcm-receive-checks).
        if (!CdcHeader.TryCreate(payload, out var cdc))
            return;
        if (_awaitedIoctlId == 0 || cdc.RequestId != _awaitedIoctlId || _ioctlAnswered)
        {
            FramesSkipped++;
            return;
        }
        ReadOnlySpan<byte> data = cdc.Payload;
        data.CopyTo(_ioctlAnswer);
        _ioctlAnswerLength = data.Length;
        _ioctlStatus = cdc.Status;
        _ioctlAnswered = true;
    }

    private async Task PollOnceAsync(Ioctl ioctl, string? variable, long start, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_time.GetElapsedTime(start) >= _options.IoctlTimeout)
            throw new Cyw43IoctlException(ioctl, variable, 0, $"no answer within {_options.IoctlTimeout.TotalMilliseconds:F0} ms.");
        await DelayAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
    }

    private static byte[] Iovar(string name, int valueLength)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentException("An iovar needs a name.", nameof(name));
        var argument = new byte[name.Length + 1 + valueLength];
        Encoding.ASCII.GetBytes(name, 0, name.Length, argument, 0);
        return argument;
    }
}
