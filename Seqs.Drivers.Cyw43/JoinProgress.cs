using Seqs.Drivers.Cyw43.Register.Events;

namespace Seqs.Drivers.Cyw43;

/// <summary>
/// The events of one join attempt and the outcome they add up to (embassy control.rs wait_for_join,
/// cyw43-driver cyw43_ctrl.c; docs/reference/cyw43439.md#join-succeeded and #join-failed): success needs SET_SSID
/// status 0 and, for WPA2, PSK_SUP status 6 ("keyed"). Only what the references treat as final ends the attempt early:
/// SET_SSID failing, a DEAUTH_IND or DISASSOC_IND. An AUTH or PSK_SUP failure is remembered but not final, because real
/// firmware sends some before a join that succeeds: cyw43-driver cyw43_ctrl.c <c>cyw43_cb_process_async_event</c> lets
/// a later AUTH success undo a failed state and ignores AUTH status 6 (unsolicited); embassy control.rs ignores PSK_SUP
/// status 4 and runner.rs reason 14. What is remembered becomes the outcome when the join times out.
/// </summary>
internal sealed class JoinProgress(bool secure)
{
    /// <summary>AUTH status 6: an unsolicited authentication frame, not about this join (cyw43_ctrl.c).</summary>
    private const uint UnsolicitedAuthStatus = 6;

    /// <summary>PSK_SUP status 4 without reason 15: sent before successful joins too (embassy control.rs).</summary>
    private const uint SpuriousSupplicantStatus = 4;

    /// <summary>PSK_SUP reason 14, which embassy runner.rs ignores.</summary>
    private const uint IgnoredSupplicantReason = 14;

    private bool _associated;
    private bool _keyed;

    /// <summary>The outcome once known; null while the attempt goes on.</summary>
    public WifiJoinResult? Outcome { get; private set; }

    /// <summary>A failure seen but not final: what the join comes to if nothing better follows before the timeout.</summary>
    public WifiJoinResult? PendingFailure { get; private set; }

    /// <summary>The result when the wait ends: the outcome, else the pending failure, else no answer.</summary>
    public WifiJoinResult Conclusion => Outcome ?? PendingFailure ?? WifiJoinResult.NoAnswer;

    public void Observe(WlanEventType type, uint status, uint reason)
    {
        if (Outcome is not null)
            return;
        switch (type)
        {
            case WlanEventType.Auth when status == WlanEventStatus.Success:
                PendingFailure = null;
                break;
            case WlanEventType.Auth when status != UnsolicitedAuthStatus:
                PendingFailure = WifiJoinResult.AuthenticationFailed;
                break;
            case WlanEventType.SetSsid:
                if (status == WlanEventStatus.Success)
                    _associated = true;
                else
                    Outcome = status == WlanEventStatus.NoNetworks ? WifiJoinResult.NetworkNotFound
                        : PendingFailure == WifiJoinResult.AuthenticationFailed ? WifiJoinResult.AuthenticationFailed
                        : WifiJoinResult.AssociationFailed;
                break;
            case WlanEventType.PskSupplicant:
                ObserveSupplicant(status, reason);
                break;
            case WlanEventType.DeauthIndication or WlanEventType.DisassocIndication:
                Outcome = reason == WlanEventStatus.DeauthWrongPassword ? WifiJoinResult.WrongPassphrase
                    : PendingFailure ?? WifiJoinResult.AssociationFailed;
                break;
        }
        if (Outcome is null && _associated && (_keyed || !secure))
            Outcome = WifiJoinResult.Joined;
    }

    private void ObserveSupplicant(uint status, uint reason)
    {
        if (status == WlanEventStatus.SupplicantKeyed)
        {
            _keyed = true;
            PendingFailure = null;
        }
        else if (WlanEventStatus.IsHandshakeTimeout(status, reason))
        {
            PendingFailure = WifiJoinResult.HandshakeTimeout;
        }
        else if (status != SpuriousSupplicantStatus && reason != IgnoredSupplicantReason)
        {
            PendingFailure = WifiJoinResult.WrongPassphrase;
        }
    }
}
