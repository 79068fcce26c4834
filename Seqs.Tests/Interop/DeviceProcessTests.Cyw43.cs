using System.Diagnostics;
using System.Text.Json;

namespace Seqs.Tests.Interop;

/// <summary>
/// The device process as the CYW43439 driver on the chip's emulator (issue 8's "full stack over the emulated chip"):
/// joined to an emulated access point, its air side on a TAP, then ping, DHCP, TCP echo and HTTP from the kernel; a
/// failed join and the <c>scan</c> subcommand.
/// </summary>
public sealed partial class DeviceProcessTests
{
    /// <summary>How long a failed join may take to end the process: the boot (0.3 s of power-up waits) and the join.</summary>
    private static readonly TimeSpan JoinFailurePatience = TimeSpan.FromSeconds(10);

    [Test]
    [Category("Interop")]
    public void EmulatedCyw43Device_OnATap_JoinsThenAnswersPingTcpEchoOfFourMebibytesAndCurl_AndSwitchesTheChipsLed()
    {
        using var ns = NetworkNamespace.Create("ping", "socat", "curl");
        string tap = AddPersistentTap(ns);
        using BackgroundCommand device = StartDevice(["ip", "netns", "exec", ns.Name],
            ["--nic", "cyw43", "--chip-emulator", "--tap-name", tap, "--wifi-ssid", "seqs-sim", "--wifi-pass", "seqs-sim-pass",
             "--ip", DeviceAddress.ToString(), "--mac", DeviceMac.ToString(), "--http-port", "8080"]);
        WaitUntilAnswering(ns, device);

        CommandResult ping = ns.Exec($"ping -q -n -c 50 -i 0.01 -W 2 -s 1472 {DeviceAddress.Address}", TimeSpan.FromSeconds(30));
        Assert.That(ping.StandardOutput, Does.Contain("50 packets transmitted, 50 received, 0% packet loss"), ping.ToString());

        var echo = Stopwatch.StartNew();
        AssertTcpEchoOfFourMebibytes(ns);
        TestContext.Out.WriteLine($"4 MiB echoed through the emulated CYW43439 in {echo.Elapsed.TotalSeconds:F2} s");

        CommandResult led = ns.Exec($"curl -sS --http1.1 --max-time 10 -X POST -H 'Authorization: Bearer {AccessToken}' 'http://{DeviceAddress.Address}:8080/api/led?on=true'", TimeSpan.FromSeconds(30));
        Assert.That(led.StandardOutput, Is.EqualTo("{\"ledOn\":true}"), led + "\n" + device.Output);
        CommandResult status = ns.Exec($"curl -sS --http1.1 --max-time 10 http://{DeviceAddress.Address}:8080/api/status", TimeSpan.FromSeconds(30));
        Assert.That(status.ExitCode, Is.Zero, status.ToString());
        using var json = JsonDocument.Parse(status.StandardOutput);
        JsonElement root = json.RootElement;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("mac").GetString(), Is.EqualTo(DeviceMac.ToString()));
            Assert.That(root.GetProperty("address").GetString(), Is.EqualTo(DeviceAddress.Address.ToString()));
            Assert.That(root.GetProperty("linkUp").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("ledOn").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("led").GetString(), Is.EqualTo("CYW43439 GPIO 0"));
        }

        Signal(device, "INT");

        AssertStoppedCleanly(device);
        Assert.That(device.Output, Does.Contain($"Running on an emulated CYW43439 joined to 'seqs-sim', its air on TAP {tap} as {DeviceMac} {DeviceAddress}"), device.Output);
        Assert.That(device.Output, Does.Not.Contain("did not switch its LED"), device.Output);
    }

    [TestCase("--wifi-ssid seqs-sim --wifi-pass not-the-passphrase", "seqs: Wi-Fi join to 'seqs-sim' failed: wrong passphrase")]
    [TestCase("--wifi-ssid elsewhere", "seqs: Wi-Fi join to 'elsewhere' failed: network not found")]
    [Category("Interop")]
    public void EmulatedCyw43Device_OnATap_ThatCannotJoin_ExitsNonZeroWithinSecondsNamingTheResult(string wifi, string message)
    {
        using var ns = NetworkNamespace.Create("ip");
        string tap = AddPersistentTap(ns);

        CommandResult run = HostCommand.Run("ip", ["netns", "exec", ns.Name, DotnetHost(), DevicePath(), "--nic", "cyw43", "--chip-emulator", "--tap-name", tap,
            .. wifi.Split(' '), "--ip", DeviceAddress.ToString(), "--access-token", AccessToken], JoinFailurePatience);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(SingleErrorLine(run), Is.EqualTo(message));
    }

    [TestCase("--wifi-ssid seqs-sim --wifi-pass not-the-passphrase", "seqs: Wi-Fi join to 'seqs-sim' failed: wrong passphrase")]
    [TestCase("--wifi-ssid elsewhere", "seqs: Wi-Fi join to 'elsewhere' failed: network not found")]
    [TestCase("--emulator-ap home:home-passphrase --wifi-ssid home --wifi-pass home-passphrase1", "seqs: Wi-Fi join to 'home' failed: wrong passphrase")]
    public void EmulatedCyw43Device_OnTheSimulatedNetwork_ThatCannotJoin_ExitsNonZeroWithinSecondsNamingTheResult(string wifi, string message)
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), "--nic", "cyw43", "--chip-emulator", .. wifi.Split(' '), "--forward", "off", "--access-token", AccessToken],
            JoinFailurePatience);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(SingleErrorLine(run), Is.EqualTo(message));
    }

    [Test]
    public void ScanSubcommand_OnTheChipEmulator_ListsTheDefaultAccessPoints()
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), "scan", "--nic", "cyw43", "--chip-emulator"], DiagnosticPatience);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "SSID           BSSID              CHANNEL  RSSI     SECURITY",
            "seqs-sim       02:aa:00:00:00:01        6  -40 dBm  WPA2",
            "seqs-sim-open  02:aa:00:00:00:02        1  -45 dBm  open",
        }), run.ToString());
    }

    [Test]
    public void ScanSubcommand_WithEmulatorAccessPoints_ListsThoseOnly()
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), "scan", "--nic", "cyw43", "--chip-emulator", "--emulator-ap", "cafe", "--emulator-ap", "home:home-passphrase"],
            DiagnosticPatience);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.StandardOutput, Does.Contain("cafe  02:aa:00:00:00:01        6  -40 dBm  open").And.Contain("home  02:aa:00:00:00:02        1  -45 dBm  WPA2"), run.ToString());
        Assert.That(run.StandardOutput, Does.Not.Contain("seqs-sim"), run.ToString());
    }

    [TestCase("scan", 2, "seqs: scan needs a Wi-Fi NIC: --nic cyw43")]
    [TestCase("scan --nic cyw43 --firmware /nonexistent/43439A0.bin --nvram /nonexistent/nvram.bin --clm /nonexistent/43439A0_clm.bin --wl-on-pin 23 --dhcp", 1, "seqs: The CYW43439 WLAN firmware file '/nonexistent/43439A0.bin' does not exist.")]
    [TestCase("scan --nic cyw43 --firmware /nonexistent/43439A0.bin --nvram /nonexistent/nvram.bin --wl-on-pin 23 --dhcp", 1, "seqs: --nic cyw43 needs --clm PATH with --firmware")]
    public void ScanSubcommand_ThatCannotScan_ExitsNonZeroWithOneLine(string command, int exitCode, string problem)
    {
        CommandResult run = HostCommand.Run(DotnetHost(), [DevicePath(), .. command.Split(' ')], TimeSpan.FromSeconds(30));

        Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.ToString());
        Assert.That(SingleErrorLine(run), Does.StartWith(problem));
    }
}
