using Seqs.Drivers.Cyw43.Register.Events;
using Seqs.Drivers.Cyw43.Register.Iovar;
using Seqs.Drivers.Cyw43.Register.Sdpcm;

namespace Seqs.Drivers.Cyw43;

public sealed partial class Cyw43439
{
    /// <summary>
    /// "set country takes some time, next ioctls fail if we don't wait" (embassy control.rs Control::init waits 100 ms,
    /// cyw43-driver 50; docs/reference/cyw43439.md#initialisation step 4).
    /// </summary>
    private static readonly TimeSpan CountryWait = TimeSpan.FromMilliseconds(100);

    /// <summary>The waits after "bsscfg:event_msgs" and after UP: embassy control.rs init waits 100 ms after each, cyw43-driver cyw43_ll_wifi_on 50 ms.</summary>
    private static readonly TimeSpan SettleWait = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// embassy control.rs Control::init, load_clm; docs/reference/cyw43439.md#initialisation: the CLM in 1024-byte
    /// chunks and its status, glom off, AP+STA, the MAC address, the country, antenna, A-MPDU settings, the event mask,
    /// UP, G mode auto, any band.
    /// </summary>
    private async Task StartWlanAsync(Cyw43Firmware firmware, CancellationToken cancellationToken)
    {
        Begin(BootStep.Clm);
        await LoadClmAsync(firmware.Clm, cancellationToken).ConfigureAwait(false);

        Begin(BootStep.WlanConfiguration);
        await SetVariableAsync("bus:txglom", 0, cancellationToken).ConfigureAwait(false);
        await SetVariableAsync("apsta", 1, cancellationToken).ConfigureAwait(false);
        MacAddress = await GetMacAddressAsync(cancellationToken).ConfigureAwait(false);
        var country = new byte[CountryInfo.Length];
        CountryInfo.Write(country, _options.Country);
        await SetVariableAsync("country", country, cancellationToken).ConfigureAwait(false);
        await DelayAsync(CountryWait, cancellationToken).ConfigureAwait(false);
        await SetIoctlAsync(Ioctl.SetAntennaDiversity, 0, cancellationToken).ConfigureAwait(false);
        await SetVariableAsync("ampdu_ba_wsize", 8, cancellationToken).ConfigureAwait(false);
        await SetVariableAsync("ampdu_mpdu", 4, cancellationToken).ConfigureAwait(false);
        var mask = new byte[EventMask.Length];
        EventMask.Write(mask);
        await SetVariableAsync("bsscfg:event_msgs", mask, cancellationToken).ConfigureAwait(false);
        await DelayAsync(SettleWait, cancellationToken).ConfigureAwait(false);
        await SetIoctlAsync(Ioctl.Up, 0, cancellationToken).ConfigureAwait(false);
        await DelayAsync(SettleWait, cancellationToken).ConfigureAwait(false);
        await SetIoctlAsync(Ioctl.SetGMode, 1, cancellationToken).ConfigureAwait(false);
        await SetIoctlAsync(Ioctl.SetBand, 0, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// embassy control.rs load_clm; docs/reference/cyw43439.md#initialisation step 1: "clmload" chunks of at most 1024
    /// bytes, BEGIN on the first, END on the last; then "clmload_status" must read 0.
    /// </summary>
    private async Task LoadClmAsync(ReadOnlyMemory<byte> clm, CancellationToken cancellationToken)
    {
        var chunk = new byte[ClmDownloadHeader.Length + ClmDownloadHeader.MaxChunk];
        for (int offset = 0; offset < clm.Length; offset += ClmDownloadHeader.MaxChunk)
        {
            int length = Math.Min(ClmDownloadHeader.MaxChunk, clm.Length - offset);
            ClmDownloadHeader.Write(chunk, first: offset == 0, last: offset + length == clm.Length, length);
            clm.Span.Slice(offset, length).CopyTo(chunk.AsSpan(ClmDownloadHeader.Length));
            await SetVariableAsync("clmload", chunk.AsMemory(0, ClmDownloadHeader.Length + length), cancellationToken).ConfigureAwait(false);
        }
        var status = new byte[4];
        await GetVariableAsync("clmload_status", status, cancellationToken).ConfigureAwait(false);
        int value = BitConverter.ToInt32(status, 0);
        if (value != 0)
            throw new Cyw43BootException(BootStep.Clm, $"\"clmload_status\" reads {value}, not 0: the firmware did not accept the CLM. Check that the CLM file is the CYW43439's.");
    }
}
