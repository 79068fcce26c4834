using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Seqs.Tests.Interop;

/// <summary>
/// The README's first command, <c>dotnet run --project Seqs.Device</c>: the simulated network with its router, the
/// device leasing and synchronising over the emulated ENC28J60, and its pages reached from the host through the
/// forwarded port. Needs no root, so it always runs.
/// </summary>
public sealed partial class DeviceProcessTests
{
    private static readonly TimeSpan ServePatience = TimeSpan.FromSeconds(30);

    [TestCase("")]
    [TestCase("--nic enc28j60 --chip-emulator")]
    [TestCase("--nic cyw43 --chip-emulator")]
    public async Task SimulatedNetwork_LeasesAnAddress_SynchronisesItsClock_AndServesItsPagesThroughTheForwardedPort_ThenStopsOnSigint(string nic)
    {
        if (OperatingSystem.IsWindows())
            Assert.Ignore("Sends SIGINT with kill(1), which Windows lacks.");
        var started = Stopwatch.StartNew();
        using BackgroundCommand device = StartDevice([], [.. nic.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--forward", "127.0.0.1:0"]);
        Match url = null!;
        bool announced = StackOnTap.WaitFor(() => device.HasExited || (url = UrlLine().Match(device.Output)).Success, ServePatience);
        Assert.That(announced && !device.HasExited, Is.True, $"no URL line from '{device.Command}': {device.Output}");
        TestContext.Out.WriteLine($"start-up to the URL line: {started.Elapsed.TotalSeconds:F1} s");

        using var http = new HttpClient { BaseAddress = new Uri(url.Groups["url"].Value), Timeout = TimeSpan.FromSeconds(10) };
        string page = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.That(page, Does.Contain("Seqs device").And.Contain("192.168.50."), page);

        JsonElement status = default;
        bool synchronised = false;
        var deadline = Stopwatch.StartNew();
        while (!synchronised && deadline.Elapsed < ServePatience)
        {
            using JsonDocument json = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/status", UriKind.Relative)));
            status = json.RootElement.Clone();
            synchronised = status.GetProperty("timeSynchronized").GetBoolean();
            if (!synchronised)
                await Task.Delay(200);
        }
        Assert.That(synchronised, Is.True, $"{status}\n{device.Output}");
        Assert.That(status.GetProperty("address").GetString(), Does.StartWith("192.168.50."), status.ToString());
        Assert.That(status.GetProperty("time").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromSeconds(30)), status.ToString());
        Assert.That(device.Output, Does.Contain("DHCP lease 192.168.50.").And.Contain("Time from 192.168.50.1: offset"), device.Output);

        Signal(device, "INT");

        AssertStoppedCleanly(device);
        Assert.That(device.Output, Does.Contain("released to 192.168.50.1"), device.Output);
    }

    [GeneratedRegex(@"Open (?<url>http://127\.0\.0\.1:\d+/) ")]
    private static partial Regex UrlLine();
}
