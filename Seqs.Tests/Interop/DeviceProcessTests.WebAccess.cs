namespace Seqs.Tests.Interop;

/// <summary>
/// The web interface against what another site's page can make a visitor's browser send, replayed with curl on a TAP:
/// no-cors POSTs, which carry no token, and requests for a rebound DNS name, which carry that name as Host.
/// </summary>
public sealed partial class DeviceProcessTests
{
    private const int NoCorsFlood = 20;

    [Test]
    [Category("Interop")]
    public void ANoCorsPostFlood_DoesNotLockOutTheTokenHolder_AndAForeignHostGets421()
    {
        using var ns = NetworkNamespace.Create("curl");
        string tap = AddPersistentTap(ns);
        using BackgroundCommand device = StartDevice(["ip", "netns", "exec", ns.Name],
            ["--nic", "tap", "--tap-name", tap, "--ip", DeviceAddress.ToString(), "--mac", DeviceMac.ToString(), "--http-port", "8080"]);
        Assert.That(StackOnTap.WaitFor(() => device.HasExited || device.Output.Contains("status page on HTTP 8080", StringComparison.Ordinal), StartPatience) && !device.HasExited, Is.True, device.Output);
        string led = $"http://{DeviceAddress.Address}:8080/api/led?on=true";

        // What fetch(url, {method: 'POST', mode: 'no-cors'}) on http://attacker.example sends, and the same without
        // the browser's headers, as from a script on the LAN: never an Authorization field.
        CommandResult flood = ns.Exec(
            $"for i in $(seq {NoCorsFlood}); do " +
            $"curl -s -o /dev/null -w '%{{http_code}} ' --retry 3 --retry-connrefused --max-time 10 -X POST -H 'Origin: http://attacker.example' -H 'Sec-Fetch-Site: cross-site' -H 'Sec-Fetch-Mode: no-cors' -H 'Content-Type: text/plain' --data x '{led}'; " +
            $"curl -s -o /dev/null -w '%{{http_code}} ' --max-time 10 -X POST '{led}'; done", TimeSpan.FromSeconds(120));
        Assert.That(flood.StandardOutput.Trim().Split(' '), Has.Length.EqualTo(2 * NoCorsFlood).And.All.AnyOf("403", "401"), flood + "\n" + device.Output);

        CommandResult owner = ns.Exec($"curl -s -w ' %{{http_code}}' --max-time 10 -X POST -H 'Authorization: Bearer {AccessToken}' '{led}'", TimeSpan.FromSeconds(30));
        Assert.That(owner.StandardOutput, Is.EqualTo("{\"ledOn\":true} 200"), owner + "\n" + device.Output);

        CommandResult rebound = ns.Exec($"curl -s -w ' %{{http_code}}' --max-time 10 -H 'Host: rebind.attacker.example:8080' http://{DeviceAddress.Address}:8080/api/status", TimeSpan.FromSeconds(30));
        Assert.That(rebound.StandardOutput, Does.EndWith(" 421").And.Not.Contain("\"mac\""), rebound.ToString());

        Signal(device, "INT");
        AssertStoppedCleanly(device);
    }
}
