using Seqs.Drivers.Cyw43.Register.Events;

namespace Seqs.Drivers.Cyw43;

/// <summary>
/// The events of one join attempt and the outcome they add up to (reference §3 "Join succeeded" and "Join failed"):
/// success needs SET_SSID status 0 and, for WPA2, PSK_SUP status 6 ("keyed"); failures end the attempt at once.
/// </summary>
internal sealed class JoinProgress(bool secure)
{
    private bool _associated;
    private bool _keyed;
    private bool _authenticationFailed;

    /// <summary>The outcome once known; null while the attempt goes on.</summary>
    public WifiJoinResult? Outcome { get; private set; }

    public void Observe(WlanEventType type, uint status, uint reason)
    {
        if (Outcome is not null)
            return;
        switch (type)
        {
            case WlanEventType.Auth when status != WlanEventStatus.Success:
                _authenticationFailed = true;
                break;
            case WlanEventType.SetSsid:
                if (status == WlanEventStatus.Success)
                    _associated = true;
                else
                    Outcome = status == WlanEventStatus.NoNetworks ? WifiJoinResult.NetworkNotFound
                        : _authenticationFailed ? WifiJoinResult.AuthenticationFailed
                        : WifiJoinResult.AssociationFailed;
                break;
            case WlanEventType.PskSupplicant:
                if (status == WlanEventStatus.SupplicantKeyed)
                    _keyed = true;
                else
                    Outcome = WlanEventStatus.IsHandshakeTimeout(status, reason) ? WifiJoinResult.HandshakeTimeout : WifiJoinResult.WrongPassphrase;
                break;
            case WlanEventType.DeauthIndication when reason == WlanEventStatus.DeauthWrongPassword:
                Outcome = WifiJoinResult.WrongPassphrase;
                break;
        }
        if (Outcome is null && _associated && (_keyed || !secure))
            Outcome = WifiJoinResult.Joined;
    }
}
