using System.Globalization;
using Microsoft.Extensions.Logging;
using Seqs.Device.Nics;
using Seqs.Diagnostics;
using Seqs.Drivers.Cyw43;

namespace Seqs.Device.Diagnostics;

/// <summary>
/// <c>seqs-device scan --nic cyw43 [switches]</c>: boots the CYW43439 (or its emulator, with <c>--chip-emulator</c>),
/// scans all channels and prints each network found on a line: SSID, BSSID, channel, RSSI in dBm and security,
/// strongest first. Exits 0 when the scan ran, 1 when the chip did not come up or the scan failed, 2 for a command
/// line without <c>--nic cyw43</c>.
/// </summary>
internal static class WifiScanCommand
{
    public const string Name = "scan";

    public static async Task<int> RunAsync(DeviceOptions options, ILoggerFactory loggers, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (options.NicKind is not Cyw43NicKind)
        {
            await errors.WriteLineAsync($"seqs: scan needs a Wi-Fi NIC: --nic cyw43 (with --chip-emulator for the emulated chip), not --nic {options.Nic}.").ConfigureAwait(false);
            return 2;
        }
        try
        {
            Cyw43Firmware firmware = Cyw43NicKind.LoadFirmware(options.NicOptions<Cyw43NicOptions>());
            using Cyw43439 chip = Cyw43NicKind.OpenForScan(options, loggers);
            await Cyw43NicKind.BootAsync(chip, firmware, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<WifiNetwork> networks = await chip.ScanAsync(cancellationToken).ConfigureAwait(false);
            // An SSID is any 32 octets an access point chose: escaped, it cannot drive the terminal or break the table.
            string[] ssids = [.. networks.Select(n => PeerText.Escape(n.Ssid))];
            int ssidWidth = Math.Max("SSID".Length, ssids.Length == 0 ? 0 : ssids.Max(s => s.Length));
            await output.WriteLineAsync($"{"SSID".PadRight(ssidWidth)}  BSSID              CHANNEL  RSSI     SECURITY").ConfigureAwait(false);
            for (int i = 0; i < networks.Count; i++)
            {
                WifiNetwork network = networks[i];
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{ssids[i].PadRight(ssidWidth)}  {network.Bssid}  {network.Channel,7}  {network.Rssi,3} dBm  {Security(network.Security)}")).ConfigureAwait(false);
            }
            await errors.WriteLineAsync($"seqs: {networks.Count} network{(networks.Count == 1 ? "" : "s")} found on {Cyw43NicKind.BusDescription(options)}.").ConfigureAwait(false);
            return 0;
        }
        catch (DeviceStartException e)
        {
            await errors.WriteLineAsync($"seqs: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (IOException e)
        {
            await errors.WriteLineAsync($"seqs: the scan failed: {DeviceStartException.OneLine(e.Message)}").ConfigureAwait(false);
            return 1;
        }
    }

    private static string Security(WifiSecurity security) => security switch
    {
        WifiSecurity.Open => "open",
        WifiSecurity.Wep => "WEP",
        WifiSecurity.Wpa => "WPA",
        WifiSecurity.Wpa2 => "WPA2",
        _ => security.ToString(),
    };
}
