namespace Seqs.Drivers.Cyw43;

/// <summary>
/// How a join ended (embassy control.rs wait_for_join; docs/reference/cyw43439.md#join-succeeded, #join-failed).
/// </summary>
public enum WifiJoinResult
{
    /// <summary>Associated, and for WPA2 the 4-way handshake is done: the link is up.</summary>
    Joined,

    /// <summary>SET_SSID status 3: no access point with that SSID answered.</summary>
    NetworkNotFound,

    /// <summary>AUTH with a non-zero status: the access point refused the station (or its security settings).</summary>
    AuthenticationFailed,

    /// <summary>DEAUTH_IND reason 2, or a PSK_SUP failure other than a timeout: the passphrase is wrong.</summary>
    WrongPassphrase,

    /// <summary>PSK_SUP status 4, 8 or 10 with reason 15: the 4-way handshake timed out.</summary>
    HandshakeTimeout,

    /// <summary>SET_SSID failed without a reason above.</summary>
    AssociationFailed,

    /// <summary>The firmware reported no outcome within <see cref="Cyw43Options.JoinTimeout"/>.</summary>
    NoAnswer,
}
