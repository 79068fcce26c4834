using Seqs.Wire;

namespace Seqs.Drivers.Cyw43.Emulation;

/// <summary>An access point the emulated chip can see: what a scan reports and what a join needs.</summary>
/// <param name="Ssid">The network name, 1 to 32 bytes of UTF-8.</param>
/// <param name="Passphrase">The WPA2-PSK passphrase; null for an open network.</param>
public sealed record EmulatedAccessPoint(string Ssid, string? Passphrase = null)
{
    public MacAddress Bssid { get; init; } = new(0x02_AA_00_00_00_01);

    /// <summary>The 2.4 GHz channel, 1 to 14.</summary>
    public int Channel { get; init; } = 6;

    /// <summary>Signal strength in dBm as a scan reports it.</summary>
    public short Rssi { get; init; } = -50;

    /// <summary>Fault: the access point rejects authentication (AUTH status 1).</summary>
    public bool RejectsAuthentication { get; init; }

    /// <summary>Fault: the 4-way handshake never completes (PSK_SUP reports a timeout).</summary>
    public bool HandshakeTimesOut { get; init; }

    /// <summary>Fault: the access point never answers the association: the firmware reports nothing at all.</summary>
    public bool NeverAnswers { get; init; }

    public bool IsOpen => Passphrase is null;
}
