using System.Buffers.Binary;
using System.Text;
using Seqs.Drivers.Cyw43.Register.Events;
using Seqs.Drivers.Cyw43.Register.Iovar;
using Seqs.Drivers.Cyw43.Register.Sdpcm;
using Seqs.Wire;

namespace Seqs.Drivers.Cyw43.Emulation;

public sealed partial class Cyw43Emulator
{
    /// <summary>
    /// PSK_SUP status 8 with reason 15: how the emulated firmware reports a handshake timeout (embassy control.rs,
    /// cyw43-driver cyw43_ctrl.c: 4/8/10, reason 15; docs/reference/cyw43439.md#join-failed).
    /// </summary>
    public const uint SupplicantTimeout = 8;

    /// <summary>
    /// The PSK_SUP status real firmware sends before a successful WPA2 join (embassy control.rs;
    /// docs/reference/cyw43439.md#join-failed).
    /// </summary>
    public const uint SpuriousSupplicantStatus = 4;

    /// <summary>
    /// SET_WSEC 4 (AES) and SET_WPA_AUTH 0x80 (WPA2-PSK): what a WPA2 join sets (embassy control.rs Control::join;
    /// docs/reference/cyw43439.md#wpa2-psk-join steps 2, 10).
    /// </summary>
    private const uint WsecAes = 4;

    private const uint WpaAuthWpa2Psk = 0x80;

    private readonly List<EmulatedAccessPoint> _accessPoints = [];
    private readonly HashSet<string> _outOfRange = new(StringComparer.Ordinal);
    private EmulatedAccessPoint? _associated;
    private int _pendingScanSyncId = -1;
    private uint _gpioOut;
    private int _joinAttempts;

    /// <summary>The access points in the emulated air; configure before scanning or joining.</summary>
    public IList<EmulatedAccessPoint> AccessPoints => _accessPoints;

    /// <summary>The access point the emulated station is associated with (and keyed, for WPA2); null when none.</summary>
    public EmulatedAccessPoint? AssociatedAccessPoint
    {
        get
        {
            lock (_gate)
                return _associated;
        }
    }

    /// <summary>SET_SSID ioctls the emulated firmware acted on since power-up.</summary>
    public int JoinAttempts
    {
        get
        {
            lock (_gate)
                return _joinAttempts;
        }
    }

    /// <summary>The chip's GPIO output levels as "gpioout" set them; bit 0 is the Pico W's LED.</summary>
    public uint GpioOut
    {
        get
        {
            lock (_gate)
                return _gpioOut;
        }
    }

    /// <summary>
    /// Takes the access point <paramref name="ssid"/> out of range or back: out of range, scans miss it and joins
    /// find no network; a station associated with it loses the link (a LINK event with the link flag clear).
    /// </summary>
    public void SetInRange(string ssid, bool inRange)
    {
        bool edge;
        lock (_gate)
        {
            if (inRange)
            {
                _outOfRange.Remove(ssid);
            }
            else
            {
                _outOfRange.Add(ssid);
                if (_associated?.Ssid == ssid)
                    LoseLink();
            }
            edge = UpdateHostWake();
        }
        if (edge)
            _hostWake.RaiseEdge();
    }

    /// <summary>Link loss on demand: the association ends with a LINK event with the link flag clear; the AP stays in range.</summary>
    public void DropLink()
    {
        bool edge;
        lock (_gate)
        {
            if (_associated is not null)
                LoseLink();
            edge = UpdateHostWake();
        }
        if (edge)
            _hostWake.RaiseEdge();
    }

    /// <summary>The access point ends the association with a DISASSOC_IND event and no LINK event.</summary>
    public void IndicateDisassociation()
    {
        bool edge;
        lock (_gate)
        {
            if (_associated is not null)
            {
                QueueEvent(WlanEventType.DisassocIndication, WlanEventStatus.Success, address: _associated.Bssid);
                _associated = null;
            }
            edge = UpdateHostWake();
        }
        if (edge)
            _hostWake.RaiseEdge();
    }

    private void ResetWifi()
    {
        _associated = null;
        _pendingScanSyncId = -1;
        _gpioOut = 0;
        _joinAttempts = 0;
    }

    /// <summary>Iovars with an effect beyond being stored; returns the status to answer.</summary>
    private int SetWifiVariable(string name, ReadOnlySpan<byte> value)
    {
        switch (name)
        {
            case "escan":
                if (!ScanParameters.TryCreate(value, out var scan) || scan.Action != ScanParameters.StartAction)
                    return UnsupportedStatus;
                _pendingScanSyncId = scan.SyncId;
                return 0;
            case "gpioout":
                if (value.Length < 8)
                    return UnsupportedStatus;
                uint mask = BinaryPrimitives.ReadUInt32LittleEndian(value);
                _gpioOut = _gpioOut & ~mask | BinaryPrimitives.ReadUInt32LittleEndian(value[4..]) & mask;
                return 0;
            default:
                return 0;
        }
    }

    /// <summary>What an ioctl sets going once its answer is queued: scan results, join events.</summary>
    private void AfterIoctl(Ioctl command, int status)
    {
        if (status != 0)
            return;
        if (_pendingScanSyncId >= 0)
        {
            ReportScan((ushort)_pendingScanSyncId);
            _pendingScanSyncId = -1;
        }
        switch (command)
        {
            case Ioctl.SetSsid:
                Join();
                break;
            case Ioctl.Disassociate:
                _associated = null;
                break;
        }
    }

    /// <summary>
    /// embassy control.rs scan; docs/reference/cyw43439.md#scan: one ESCAN_RESULT with status PARTIAL per access point
    /// in range, then one with status 0.
    /// </summary>
    private void ReportScan(ushort syncId)
    {
        Span<byte> data = stackalloc byte[EscanResult.HeaderLength + BssInfo.FixedLength + 32];
        Span<byte> ssid = stackalloc byte[BssInfo.MaxSsidLength];
        foreach (EmulatedAccessPoint ap in _accessPoints)
        {
            if (_outOfRange.Contains(ap.Ssid) || !HasRegulatoryChannels)
                continue;
            int ssidLength = Encoding.UTF8.GetBytes(ap.Ssid.AsSpan(), ssid);
            ReadOnlySpan<byte> rsn = ap.IsOpen ? default : RsnElement;
            int record = BssInfo.Write(data[EscanResult.HeaderLength..], ap.Bssid, ssid[..ssidLength], ap.Channel, ap.Rssi,
                ap.IsOpen ? (ushort)0 : BssInfo.PrivacyCapability, rsn);
            EscanResult.WriteHeader(data, syncId, 1, record);
            QueueEvent(WlanEventType.EscanResult, WlanEventStatus.Partial, data: data[..(EscanResult.HeaderLength + record)]);
        }
        EscanResult.WriteHeader(data, syncId, 0, 0);
        QueueEvent(WlanEventType.EscanResult, WlanEventStatus.Success, data: data[..EscanResult.HeaderLength]);
    }

    /// <summary>A minimal RSN element: version 1, CCMP group and pairwise cipher, PSK key management (IEEE 802.11 §9.4.2.24).</summary>
    private static ReadOnlySpan<byte> RsnElement =>
    [
        BssInfo.RsnElementId, 20, 1, 0,
        0x00, 0x0F, 0xAC, 4,
        1, 0, 0x00, 0x0F, 0xAC, 4,
        1, 0, 0x00, 0x0F, 0xAC, 2,
        0, 0,
    ];

    /// <summary>
    /// SET_SSID (cyw43-driver tests/mock_sdio.c; docs/reference/cyw43439.md#emulator-scope "Must model" 9): an unknown
    /// SSID gives SET_SSID status 3; the right passphrase AUTH, LINK, JOIN, SET_SSID and PSK_SUP "keyed"; a wrong one
    /// DEAUTH_IND reason 2 after the association.
    /// </summary>
    private void Join()
    {
        _joinAttempts++;
        _associated = null;
        string ssid = _ioctlValues.TryGetValue(Ioctl.SetSsid, out byte[]? value) ? Encoding.UTF8.GetString(SsidInfo.Read(value)) : "";
        EmulatedAccessPoint? ap = HasRegulatoryChannels ? _accessPoints.Find(a => a.Ssid == ssid && !_outOfRange.Contains(a.Ssid)) : null;
        if (ap is null)
        {
            QueueEvent(WlanEventType.SetSsid, WlanEventStatus.NoNetworks);
            return;
        }
        if (ap.NeverAnswers)
            return;
        bool hostSecure = IoctlUInt32(Ioctl.SetWsec) == WsecAes && IoctlUInt32(Ioctl.SetWpaAuth) == WpaAuthWpa2Psk;
        if (ap.RejectsAuthentication || hostSecure == ap.IsOpen)
        {
            QueueEvent(WlanEventType.Auth, WlanEventStatus.Failure, address: ap.Bssid);
            QueueEvent(WlanEventType.SetSsid, WlanEventStatus.Failure, address: ap.Bssid);
            return;
        }
        QueueEvent(WlanEventType.Auth, WlanEventStatus.Success, address: ap.Bssid);
        QueueEvent(WlanEventType.Link, WlanEventStatus.Success, flags: WlanEventFrame.LinkFlag, address: ap.Bssid);
        QueueEvent(WlanEventType.Join, WlanEventStatus.Success, address: ap.Bssid);
        QueueEvent(WlanEventType.SetSsid, WlanEventStatus.Success, address: ap.Bssid);
        if (ap.IsOpen)
        {
            _associated = ap;
            return;
        }
        string passphrase = _ioctlValues.TryGetValue(Ioctl.SetWsecPmk, out byte[]? pmk) ? Encoding.UTF8.GetString(PassphraseInfo.Read(pmk)) : "";
        if (ap.HandshakeTimesOut)
        {
            QueueEvent(WlanEventType.PskSupplicant, SupplicantTimeout, WlanEventStatus.HandshakeTimeoutReason, address: ap.Bssid);
            QueueEvent(WlanEventType.Link, WlanEventStatus.Success, address: ap.Bssid);
        }
        else if (passphrase != ap.Passphrase)
        {
            QueueEvent(WlanEventType.DeauthIndication, WlanEventStatus.Success, WlanEventStatus.DeauthWrongPassword, address: ap.Bssid);
            QueueEvent(WlanEventType.Link, WlanEventStatus.Success, address: ap.Bssid);
        }
        else
        {
            // Real firmware sometimes reports PSK_SUP status 4 (no reason) before a join that then succeeds: embassy
            // control.rs ignores it (docs/reference/cyw43439.md#join-failed, corrected); the emulator always sends it.
            QueueEvent(WlanEventType.PskSupplicant, SpuriousSupplicantStatus, address: ap.Bssid);
            QueueEvent(WlanEventType.PskSupplicant, WlanEventStatus.SupplicantKeyed, address: ap.Bssid);
            _associated = ap;
        }
    }

    private void LoseLink()
    {
        MacAddress bssid = _associated!.Bssid;
        _associated = null;
        QueueEvent(WlanEventType.Link, WlanEventStatus.Success, address: bssid);
    }

    private uint IoctlUInt32(Ioctl ioctl) =>
        _ioctlValues.TryGetValue(ioctl, out byte[]? value) && value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(value) : 0;
}
