using System.Text;
using Seqs.Drivers.Cyw43.Register.Bus;
using Seqs.Drivers.Cyw43.Register.Sdpcm;
using Seqs.Wire;

namespace Seqs.Drivers.Cyw43;

public sealed partial class Cyw43439
{
    /// <summary>F2 frames are at most 2048 bytes (reference §1 "Functions"; §4 "Buffers are 2048 bytes").</summary>
    private const int MaxFrame = 2048;

    private readonly byte[] _transmitFrame = new byte[MaxFrame];
    private readonly byte[] _receiveFrame = new byte[MaxFrame];
    private byte _sequence;
    private byte _sequenceLimit = 1; // embassy runner.rs: seq 0, max 1 until the first credit arrives
    private ushort _ioctlId;

    /// <summary>SDPCM frames sent since the last boot; the next sequence number.</summary>
    public byte SdpcmSequence => _sequence;

    /// <summary>Control frames dropped because their ID did not match the ioctl in progress, and frames of other channels read while waiting.</summary>
    public long FramesSkipped { get; private set; }

    /// <summary>Reads the station address with GET_VAR "cur_etheraddr" (reference §3 "Initialisation" step 3).</summary>
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

    /// <summary>SET_VAR: sends <c>"name\0" + value</c> (reference §3 "Iovars").</summary>
    public Task SetVariableAsync(string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        byte[] argument = Iovar(name, value.Length);
        value.Span.CopyTo(argument.AsSpan(name.Length + 1));
        return IoctlAsync(Ioctl.SetVar, set: true, argument, Memory<byte>.Empty, name, cancellationToken);
    }

    /// <summary>SET_VAR of a little-endian 32-bit value.</summary>
    public Task SetVariableAsync(string name, uint value, CancellationToken cancellationToken = default) =>
        SetVariableAsync(name, BitConverter.GetBytes(value), cancellationToken);

    /// <summary>An ioctl with a 32-bit little-endian argument, such as SET_INFRA 1.</summary>
    public Task SetIoctlAsync(Ioctl ioctl, uint value, CancellationToken cancellationToken = default) =>
        IoctlAsync(ioctl, set: true, BitConverter.GetBytes(value), Memory<byte>.Empty, null, cancellationToken);

    /// <summary>
    /// Sends one ioctl on the SDPCM control channel with a fresh request ID and waits, polling the status word, for
    /// the answer that echoes it (reference §3 "CDC"). Frames of other channels are skipped for now.
    /// </summary>
    private async Task IoctlAsync(Ioctl ioctl, bool set, ReadOnlyMemory<byte> argument, Memory<byte> answer, string? variable, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        if (!IsInitialized)
            throw new InvalidOperationException("The CYW43439 is not initialised: call InitializeAsync first.");
        int payloadLength = Math.Max(argument.Length, answer.Length);
        int size = SdpcmHeader.Length + CdcHeader.Length + payloadLength;
        if (size > MaxFrame)
            throw new ArgumentException($"An ioctl of {payloadLength} bytes does not fit in a {MaxFrame}-byte frame.", nameof(argument));

        long start = _time.GetTimestamp();
        await WaitForCreditAsync(ioctl, variable, start, cancellationToken).ConfigureAwait(false);
        ushort id = ++_ioctlId;
        Span<byte> frame = _transmitFrame.AsSpan(0, (size + 3) & ~3);
        frame.Clear();
        SdpcmHeader.Write(frame, size, _sequence++, SdpcmChannel.Control, SdpcmHeader.Length);
        CdcHeader.Write(frame[SdpcmHeader.Length..], (uint)ioctl, payloadLength, set, id);
        argument.Span.CopyTo(frame[(SdpcmHeader.Length + CdcHeader.Length)..]);
        _gspi.WriteBytes(BusFunction.Wlan, 0, frame);

        while (true)
        {
            if (TryReadFrame(out int length) && SdpcmHeader.TryCreate(_receiveFrame.AsSpan(0, length), out var sdpcm)
                && sdpcm.Channel == SdpcmChannel.Control && CdcHeader.TryCreate(sdpcm.Payload, out var cdc) && cdc.RequestId == id)
            {
                if (cdc.Status != 0)
                    throw new Cyw43IoctlException(ioctl, variable, cdc.Status, $"the firmware answered status {cdc.Status}.");
                ReadOnlySpan<byte> data = cdc.Payload;
                data[..Math.Min(data.Length, answer.Length)].CopyTo(answer.Span);
                return;
            }
            await PollOnceAsync(ioctl, variable, start, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>embassy runner.rs: send while seq ≠ max and (max − seq) &amp; 0x80 = 0.</summary>
    private bool HasCredit => _sequence != _sequenceLimit && ((_sequenceLimit - _sequence) & 0x80) == 0;

    private async Task WaitForCreditAsync(Ioctl ioctl, string? variable, long start, CancellationToken cancellationToken)
    {
        while (!HasCredit)
        {
            if (TryReadFrame(out _))
                continue;
            await PollOnceAsync(ioctl, variable, start, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PollOnceAsync(Ioctl ioctl, string? variable, long start, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_time.GetElapsedTime(start) >= _options.IoctlTimeout)
            throw new Cyw43IoctlException(ioctl, variable, 0, $"no answer within {_options.IoctlTimeout.TotalMilliseconds:F0} ms.");
        await DelayAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
        _gspi.ReadStatus();
    }

    /// <summary>
    /// Reads the waiting F2 frame into <see cref="_receiveFrame"/> when the last status word shows one (reference
    /// §4 "RX"), and takes the credit from frames of channels 0-2 (reference §3 "Credit").
    /// </summary>
    private bool TryReadFrame(out int length)
    {
        length = 0;
        GspiStatus status = _gspi.Status;
        if (!status.F2PacketAvailable)
            return false;
        int packet = status.F2PacketLength;
        if (packet is 0 || packet > MaxFrame)
        {
            _gspi.Write(BusFunction.Backplane, (int)Register.Backplane.BackplaneRegister.FrameControl, 1, 1);
            FramesSkipped++;
            return false;
        }
        length = (packet + 3) & ~3;
        _gspi.ReadBytes(BusFunction.Wlan, 0, _receiveFrame.AsSpan(0, length));
        if (!SdpcmHeader.TryCreate(_receiveFrame.AsSpan(0, length), out var sdpcm))
        {
            FramesSkipped++;
            return false;
        }
        if (sdpcm.Channel is SdpcmChannel.Control or SdpcmChannel.Event or SdpcmChannel.Data)
            UpdateCredit(sdpcm.Credit);
        if (sdpcm.Channel != SdpcmChannel.Control)
            FramesSkipped++;
        return true;
    }

    /// <summary>embassy runner.rs: a credit more than 0x40 ahead is clamped to seq + 2.</summary>
    private void UpdateCredit(byte credit)
    {
        _sequenceLimit = (byte)(credit - _sequence) > 0x40 ? (byte)(_sequence + 2) : credit;
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
