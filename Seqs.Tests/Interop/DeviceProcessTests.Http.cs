using System.Text.Json;

namespace Seqs.Tests.Interop;

/// <summary>The device's web pages fetched with curl, on a TAP and through the emulated ENC28J60.</summary>
public sealed partial class DeviceProcessTests
{
    [TestCase("--nic tap")]
    [TestCase("--nic enc28j60 --chip-emulator")]
    [TestCase("--nic cyw43 --chip-emulator")]
    [Category("Interop")]
    public void StatusPageAndJson_AreServedToCurl(string nic)
    {
        using var ns = NetworkNamespace.Create("curl");
        string tap = AddPersistentTap(ns);
        using BackgroundCommand device = StartDevice(["ip", "netns", "exec", ns.Name],
            [.. nic.Split(' '), "--tap-name", tap, "--ip", DeviceAddress.ToString(), "--mac", DeviceMac.ToString(), "--http-port", "8080"]);
        Assert.That(StackOnTap.WaitFor(() => device.HasExited || device.Output.Contains("status page on HTTP 8080", StringComparison.Ordinal), StartPatience) && !device.HasExited, Is.True, device.Output);

        CommandResult page = ns.Exec($"curl -sS --http1.1 --retry 3 --retry-connrefused --max-time 10 http://{DeviceAddress.Address}:8080/", TimeSpan.FromSeconds(40));
        Assert.That(page.ExitCode, Is.Zero, page + "\n" + device.Output);
        Assert.That(page.StandardOutput, Does.Contain("<title>Seqs device</title>").And.Contain($"\"mac\":\"{DeviceMac}\"").And.Contain($"\"address\":\"{DeviceAddress.Address}\""), page.ToString());

        CommandResult status = ns.Exec($"curl -sS --http1.1 --max-time 10 http://{DeviceAddress.Address}:8080/api/status http://{DeviceAddress.Address}:8080/api/status", TimeSpan.FromSeconds(30));
        Assert.That(status.ExitCode, Is.Zero, status.ToString());
        // Two requests on one keep-alive connection: two JSON documents back to back; the first is checked.
        using var json = JsonDocument.Parse(status.StandardOutput[..(status.StandardOutput.IndexOf("}{", StringComparison.Ordinal) + 1)]);
        JsonElement root = json.RootElement;
        Assert.That(root.GetProperty("mac").GetString(), Is.EqualTo(DeviceMac.ToString()));
        Assert.That(root.GetProperty("address").GetString(), Is.EqualTo(DeviceAddress.Address.ToString()));
        Assert.That(root.GetProperty("linkUp").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("counters").GetProperty("tcpSegmentsReceived").GetInt64(), Is.GreaterThan(0));

        CommandResult missing = ns.Exec($"curl -s -o /dev/null -w '%{{http_code}}' --max-time 10 http://{DeviceAddress.Address}:8080/nothing", TimeSpan.FromSeconds(30));
        Assert.That(missing.StandardOutput, Is.EqualTo("404"), missing.ToString());

        Signal(device, "INT");
        AssertStoppedCleanly(device);
    }
}
