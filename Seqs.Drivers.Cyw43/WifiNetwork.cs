using Seqs.Wire;

namespace Seqs.Drivers.Cyw43;

/// <summary>A network a scan found.</summary>
/// <param name="Ssid">The network name (UTF-8 decoded; hidden networks report an empty one).</param>
/// <param name="Bssid">The access point's MAC address.</param>
/// <param name="Channel">The 2.4 GHz channel number.</param>
/// <param name="Rssi">Signal strength in dBm.</param>
public sealed record WifiNetwork(string Ssid, MacAddress Bssid, int Channel, int Rssi, WifiSecurity Security);
