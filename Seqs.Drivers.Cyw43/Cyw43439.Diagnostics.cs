using Seqs.Drivers.Cyw43.Register.Backplane;
using Seqs.Drivers.Cyw43.Register.Sdpcm;
using Seqs.Wire;

namespace Seqs.Drivers.Cyw43;

public sealed partial class Cyw43439
{
    /// <summary>Reads CHIP_CLOCK_CSR: whether the high-throughput clock runs (HT_AVAIL), as it does once the firmware is up.</summary>
    public bool IsHtClockAvailable()
    {
        ThrowIfNotInitialized();
        lock (_busGate)
            return new ChipClockCsr(ReadF1(BackplaneRegister.ChipClockCsr)).IsHtAvailable;
    }

    /// <summary>
    /// Checks the host-wake line on a booted chip: after the F0 interrupts are acknowledged it must be low; an ioctl
    /// (GET_VAR "cur_etheraddr") whose answer is not read yet latches F2_PACKET_AVAILABLE, so it must rise within
    /// <see cref="Cyw43Options.IoctlTimeout"/>; once the answer is read and the interrupts acknowledged, it must fall.
    /// </summary>
    public async Task<HostWakeCheck> CheckHostWakeAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotInitialized();
        if (_hostWake is null)
            return HostWakeCheck.NotWired;
        await _ioctlGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!AcknowledgedLineFalls())
                return HostWakeCheck.StuckHigh;
            byte[] argument = Iovar("cur_etheraddr", MacAddress.Length);
            long start = _time.GetTimestamp();
            while (!TrySendIoctl(Ioctl.GetVar, set: false, argument, argument.Length))
                await PollOnceAsync(Ioctl.GetVar, "cur_etheraddr", start, cancellationToken).ConfigureAwait(false);
            bool rose = false;
            while (!(rose = _hostWake.Read()) && _time.GetElapsedTime(start) < _options.IoctlTimeout)
                await DelayAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
            while (!TryTakeIoctlAnswer(Span<byte>.Empty, out _))
                await PollOnceAsync(Ioctl.GetVar, "cur_etheraddr", start, cancellationToken).ConfigureAwait(false);
            if (!rose)
                return HostWakeCheck.NeverRises;
            return AcknowledgedLineFalls() ? HostWakeCheck.Toggles : HostWakeCheck.StuckHigh;
        }
        finally
        {
            EndIoctl();
        }
    }

    /// <summary>Reads what waits, then acknowledges the F0 interrupts; true when the line is low afterwards.</summary>
    private bool AcknowledgedLineFalls()
    {
        lock (_busGate)
        {
            PumpLocked(pollStatus: true);
            _gspi.AcknowledgeInterrupts();
            return !_hostWake!.Read();
        }
    }
}
