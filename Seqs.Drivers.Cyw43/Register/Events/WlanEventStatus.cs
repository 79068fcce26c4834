namespace Seqs.Drivers.Cyw43.Register.Events;

/// <summary>
/// The wl_event_msg status and reason values the join and scan logic reads (embassy control.rs wait_for_join,
/// cyw43-driver cyw43_ctrl.c; docs/reference/cyw43439.md#scan, #join-succeeded and #join-failed; the status names are
/// Broadcom's WLC_E_STATUS_*).
/// </summary>
public static class WlanEventStatus
{
    public const uint Success = 0;

    public const uint Failure = 1;

    /// <summary>SET_SSID: no network with that SSID.</summary>
    public const uint NoNetworks = 3;

    /// <summary>ESCAN_RESULT: one result of a scan still going on; any other status ends the scan.</summary>
    public const uint Partial = 8;

    /// <summary>PSK_SUP: the key exchange is done, "keyed".</summary>
    public const uint SupplicantKeyed = 6;

    /// <summary>PSK_SUP reason that, with status 4, 8 or 10, means the handshake timed out.</summary>
    public const uint HandshakeTimeoutReason = 15;

    /// <summary>DEAUTH_IND reason 2: the wrong password.</summary>
    public const uint DeauthWrongPassword = 2;

    /// <summary>Whether a PSK_SUP event says the handshake timed out.</summary>
    public static bool IsHandshakeTimeout(uint status, uint reason) => status is 4 or 8 or 10 && reason == HandshakeTimeoutReason;
}
