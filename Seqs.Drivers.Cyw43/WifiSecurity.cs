namespace Seqs.Drivers.Cyw43;

/// <summary>How a network found by a scan protects its traffic, from its capability and information elements.</summary>
public enum WifiSecurity
{
    /// <summary>No privacy bit: anyone may join.</summary>
    Open,

    /// <summary>The privacy bit without a WPA or RSN element: WEP, which the driver does not join.</summary>
    Wep,

    /// <summary>A WPA (vendor) element without RSN: WPA1, which the driver does not join.</summary>
    Wpa,

    /// <summary>An RSN element: WPA2 (or WPA3); the driver joins WPA2-PSK.</summary>
    Wpa2,
}
