using System.Buffers.Binary;
using System.Text;
using Seqs.Diagnostics;
using Seqs.Drivers.Cyw43.Register.Events;
using Seqs.Drivers.Cyw43.Register.Iovar;
using Seqs.Drivers.Cyw43.Register.Sdpcm;

namespace Seqs.Drivers.Cyw43;

public sealed partial class Cyw43439
{
    /// <summary>
    /// SET_WSEC 4: AES; SET_WPA_AUTH 0x80: WPA2-PSK (embassy control.rs Control::join;
    /// docs/reference/cyw43439.md#wpa2-psk-join steps 2, 10).
    /// </summary>
    private const uint WsecAes = 4;

    private const uint WpaAuthWpa2Psk = 0x80;

    /// <summary>
    /// "bsscfg:sup_wpa_tmo": 2500 ms, embassy's handshake timeout (control.rs Control::join;
    /// docs/reference/cyw43439.md#wpa2-psk-join step 5).
    /// </summary>
    private const uint SupplicantTimeoutMs = 2500;

    /// <summary>
    /// embassy control.rs Control::join; docs/reference/cyw43439.md#wpa2-psk-join step 6: wait 2-3 ms before
    /// SET_WSEC_PMK.
    /// </summary>
    private static readonly TimeSpan PmkWait = TimeSpan.FromMilliseconds(3);

    /// <summary>Wi-Fi operations (scan, join, leave, rejoin) one at a time.</summary>
    private readonly SemaphoreSlim _wifiGate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private List<WifiNetwork>? _scanResults;
    private ushort _scanSyncId;
    private bool _scanDone;
    private JoinProgress? _join;
    private (string Ssid, string? Passphrase)? _network;
    private bool _rejoinPending;
    private Task? _rejoin;

    /// <summary>The SSID the driver is joined to, or keeps rejoining after a link loss; null after <see cref="LeaveAsync"/>.</summary>
    public string? Ssid => _network?.Ssid;

    /// <summary>
    /// Scans all channels with "escan" (embassy control.rs, structs.rs ScanParams; docs/reference/cyw43439.md#scan) and
    /// returns the networks found, one per BSSID, strongest first. Ends at the firmware's final ESCAN_RESULT or after
    /// <see cref="Cyw43Options.ScanTimeout"/>.
    /// </summary>
    public async Task<IReadOnlyList<WifiNetwork>> ScanAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotInitialized();
        await _wifiGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var results = new List<WifiNetwork>();
            lock (_busGate)
            {
                _scanResults = results;
                _scanSyncId++;
                _scanDone = false;
            }
            var parameters = new byte[ScanParameters.Length];
            ScanParameters.Write(parameters, _scanSyncId, passive: false);
            await SetVariableAsync("escan", parameters, cancellationToken).ConfigureAwait(false);
            await WaitUntilAsync(() => _scanDone, _options.ScanTimeout, cancellationToken).ConfigureAwait(false);
            lock (_busGate)
                _scanResults = null; // before sorting: no event may add to the list any more
            results.Sort((a, b) => b.Rssi.CompareTo(a.Rssi));
            return results;
        }
        finally
        {
            lock (_busGate)
                _scanResults = null;
            _wifiGate.Release();
        }
    }

    /// <summary>
    /// Joins <paramref name="ssid"/> with WPA2-PSK, or as an open network when <paramref name="passphrase"/> is null,
    /// by embassy control.rs Control::join's sequence (docs/reference/cyw43439.md#wpa2-psk-join), and waits for the
    /// outcome in the events. On <see cref="WifiJoinResult.Joined"/> the link comes up, and from then on a link loss
    /// makes the driver rejoin on its own, with backoff, until <see cref="LeaveAsync"/>.
    /// </summary>
    /// <param name="passphrase">8 to 63 characters; null for an open network.</param>
    public async Task<WifiJoinResult> JoinAsync(string ssid, string? passphrase, CancellationToken cancellationToken = default)
    {
        if (ssid is null)
            throw new ArgumentNullException(nameof(ssid));
        (byte[] ssidInfo, byte[]? pmk) = JoinArguments(ssid, passphrase);
        ThrowIfNotInitialized();
        await _wifiGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_busGate)
                _network = null;
            WifiJoinResult result = await JoinOnceAsync(ssidInfo, pmk, cancellationToken).ConfigureAwait(false);
            if (result == WifiJoinResult.Joined)
            {
                lock (_busGate)
                    _network = (ssid, passphrase);
            }
            return result;
        }
        finally
        {
            _wifiGate.Release();
        }
    }

    /// <summary>Leaves the network with DISASSOC and stops rejoining; the link goes down.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotInitialized();
        await _wifiGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_busGate)
            {
                _network = null;
                SetLinkLocked(false);
            }
            await SetIoctlAsync(Ioctl.Disassociate, 0, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _wifiGate.Release();
            RaiseDeferred();
        }
    }

    /// <summary>
    /// The signal of the joined network in dBm: GET_RSSI on the station interface (georgerobotics cyw43-driver
    /// <c>cyw43_wifi_get_rssi</c>; docs/reference/cyw43439.md#ioctl-numbers). One ioctl, so not for a hot path.
    /// </summary>
    /// <exception cref="InvalidOperationException">No network is joined.</exception>
    /// <exception cref="Cyw43IoctlException">The firmware refused the ioctl or did not answer.</exception>
    public async Task<int> GetRssiAsync(CancellationToken cancellationToken = default)
    {
        // cyw43_wifi_get_rssi asks only while the station is joined: the firmware has no signal to report otherwise.
        if (!IsLinkUp)
            throw new InvalidOperationException("The CYW43439 has joined no network, so it has no signal strength to report.");
        var value = new byte[4];
        await IoctlAsync(Ioctl.GetRssi, set: false, value, value, null, cancellationToken).ConfigureAwait(false);
        return BinaryPrimitives.ReadInt32LittleEndian(value);
    }

    /// <summary>Drives the chip's GPIO 0, the Pico W's LED, with "gpioout" = (mask, value) (embassy control.rs <c>gpio_set</c>).</summary>
    public Task SetLedAsync(bool on, CancellationToken cancellationToken = default) =>
        SetVariableAsync("gpioout", 1, on ? 1u : 0u, cancellationToken);

    private async Task<WifiJoinResult> JoinOnceAsync(byte[] ssidInfo, byte[]? pmk, CancellationToken cancellationToken)
    {
        lock (_busGate)
            SetLinkLocked(false);
        RaiseDeferred();
        bool secure = pmk is not null;
        await SetVariableAsync("ampdu_ba_wsize", 8, cancellationToken).ConfigureAwait(false);
        await SetIoctlAsync(Ioctl.SetWsec, secure ? WsecAes : 0, cancellationToken).ConfigureAwait(false);
        await SetVariableAsync("bsscfg:sup_wpa", 0, secure ? 1u : 0u, cancellationToken).ConfigureAwait(false);
        if (secure)
        {
            await SetVariableAsync("bsscfg:sup_wpa2_eapver", 0, uint.MaxValue, cancellationToken).ConfigureAwait(false);
            await SetVariableAsync("bsscfg:sup_wpa_tmo", 0, SupplicantTimeoutMs, cancellationToken).ConfigureAwait(false);
            await DelayAsync(PmkWait, cancellationToken).ConfigureAwait(false);
            await SetIoctlAsync(Ioctl.SetWsecPmk, pmk, cancellationToken).ConfigureAwait(false);
        }
        await SetIoctlAsync(Ioctl.SetInfra, 1, cancellationToken).ConfigureAwait(false);
        await SetIoctlAsync(Ioctl.SetAuth, 0, cancellationToken).ConfigureAwait(false);
        if (secure)
            await SetVariableAsync("mfp", 1, cancellationToken).ConfigureAwait(false);
        await SetIoctlAsync(Ioctl.SetWpaAuth, secure ? WpaAuthWpa2Psk : 0, cancellationToken).ConfigureAwait(false);

        var progress = new JoinProgress(secure);
        lock (_busGate)
            _join = progress;
        try
        {
            await SetIoctlAsync(Ioctl.SetSsid, ssidInfo, cancellationToken).ConfigureAwait(false);
            await WaitUntilAsync(() => progress.Outcome is not null, _options.JoinTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_busGate)
            {
                _join = null;
                if (progress.Outcome == WifiJoinResult.Joined)
                    SetLinkLocked(true);
            }
            RaiseDeferred();
        }
        return progress.Conclusion;
    }

    /// <summary>After a link loss: join the same network again, waiting <see cref="Cyw43Options.RejoinDelay"/>, doubling to <see cref="Cyw43Options.RejoinMaxDelay"/>.</summary>
    private async Task RejoinAsync(CancellationToken cancellationToken)
    {
        TimeSpan delay = _options.RejoinDelay;
        while (true)
        {
            await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
            await _wifiGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                (string Ssid, string? Passphrase)? network;
                lock (_busGate)
                    network = _network;
                if (network is null || IsLinkUp)
                    return;
                (byte[] ssidInfo, byte[]? pmk) = JoinArguments(network.Value.Ssid, network.Value.Passphrase);
                Counters.RejoinAttempts++;
                WifiJoinResult result = await JoinOnceAsync(ssidInfo, pmk, cancellationToken).ConfigureAwait(false);
                if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information) && _rejoinLog.TryEnter(_time, out int suppressed))
                    Log.Rejoin(_logger, PeerText.Escape(network.Value.Ssid), result, LogGate.Note(suppressed));
                if (result == WifiJoinResult.Joined)
                    return;
            }
            catch (Cyw43IoctlException e)
            {
                if (_rejoinFailedLog.TryEnter(_time, out int suppressed))
                    Log.RejoinFailed(_logger, e.Message, LogGate.Note(suppressed));
            }
            finally
            {
                _wifiGate.Release();
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.RejoinMaxDelay.Ticks));
        }
    }

    /// <summary>SET_SSID's argument and, for WPA2, SET_WSEC_PMK's; throws on an SSID or passphrase of a bad length.</summary>
    private static (byte[] SsidInfo, byte[]? Pmk) JoinArguments(string ssid, string? passphrase)
    {
        var ssidInfo = new byte[SsidInfo.Length];
        SsidInfo.Write(ssidInfo, Encoding.UTF8.GetBytes(ssid));
        if (passphrase is null)
            return (ssidInfo, null);
        var pmk = new byte[PassphraseInfo.Length];
        PassphraseInfo.Write(pmk, Encoding.UTF8.GetBytes(passphrase));
        return (ssidInfo, pmk);
    }

    /// <summary>
    /// An event from the firmware: scan results, join progress, link loss (embassy events.rs Event;
    /// docs/reference/cyw43439.md#events).
    /// </summary>
    private void OnEventLocked(in WlanEventFrame wlanEvent)
    {
        WlanEventType type = wlanEvent.EventType;
        if (type == WlanEventType.EscanResult)
        {
            OnScanResultLocked(wlanEvent);
            return;
        }
        _join?.Observe(type, wlanEvent.Status, wlanEvent.Reason);
        // DEAUTH_IND and DISASSOC_IND: the access point ended the association; DISASSOC: this station did.
        bool lost = type == WlanEventType.Link ? !wlanEvent.IsLinkUp
            : type is WlanEventType.DeauthIndication or WlanEventType.DisassocIndication or WlanEventType.Disassoc;
        if (lost && IsLinkUp && _join is null)
        {
            if (_linkLostLog.TryEnter(_time, out int suppressed))
                Log.LinkLost(_logger, type, wlanEvent.Reason, LogGate.Note(suppressed));
            SetLinkLocked(false);
            if (_network is not null && _options.Rejoin)
                _rejoinPending = true;
        }
    }

    private void OnScanResultLocked(in WlanEventFrame wlanEvent)
    {
        if (_scanResults is null || !EscanResult.TryCreate(wlanEvent.Data, out var result) || result.SyncId != _scanSyncId)
            return;
        if (wlanEvent.Status != WlanEventStatus.Partial)
        {
            _scanDone = true;
            return;
        }
        if (!result.TryGetFirst(out var bss))
            return;
        var network = new WifiNetwork(Encoding.UTF8.GetString(bss.Ssid.ToArray()), bss.Bssid, bss.Channel, bss.Rssi, SecurityOf(bss));
        int known = _scanResults.FindIndex(n => n.Bssid == network.Bssid);
        if (known < 0)
            _scanResults.Add(network);
        else if (network.Rssi > _scanResults[known].Rssi)
            _scanResults[known] = network;
    }

    private static WifiSecurity SecurityOf(in BssInfo bss) =>
        (bss.Capability & BssInfo.PrivacyCapability) == 0 ? WifiSecurity.Open
        : bss.HasRsnElement ? WifiSecurity.Wpa2
        : bss.HasWpaElement ? WifiSecurity.Wpa
        : WifiSecurity.Wep;

    /// <summary>Reads frames, polling the status word every <see cref="Cyw43Options.PollInterval"/>, until <paramref name="done"/> or the timeout.</summary>
    private async Task WaitUntilAsync(Func<bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long start = _time.GetTimestamp();
        while (true)
        {
            lock (_busGate)
            {
                PumpLocked(pollStatus: true);
                if (done())
                    break;
            }
            RaiseDeferred();
            if (_time.GetElapsedTime(start) >= timeout)
                break;
            await DelayAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
        RaiseDeferred();
    }

    private void StartRejoinIfPending()
    {
        bool start;
        lock (_busGate)
        {
            start = _rejoinPending && (_rejoin is null || _rejoin.IsCompleted) && !_disposed;
            _rejoinPending = false;
        }
        if (start)
            _rejoin = RejoinAsync(_lifetime.Token);
    }

    private void ThrowIfNotInitialized()
    {
        ThrowIfDisposed();
        if (!IsInitialized)
            throw new InvalidOperationException("The CYW43439 is not initialised: call InitializeAsync first.");
    }
}
