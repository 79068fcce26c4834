using System.Globalization;
using System.Text.RegularExpressions;

namespace Seqs.Tests.Interop;

public sealed partial class DeviceProcessTests
{
    [Test]
    [Category("Interop")]
    public void SerialDevice_BridgedToATap_AnswersTheKernelsPingAndUdpEcho_OverASocatPtyPair()
    {
        using var ns = NetworkNamespace.Create("ping", "socat");
        string tap = AddPersistentTap(ns);
        string directory = Directory.CreateTempSubdirectory("seqs-serial-").FullName;
        string deviceEnd = Path.Combine(directory, "device"), bridgeEnd = Path.Combine(directory, "bridge");
        try
        {
            // Two pseudo-terminals joined by socat stand in for a serial cable: what one end writes, the other reads.
            using BackgroundCommand cable = BackgroundCommand.Start("socat",
                ["-d", "-d", $"pty,raw,echo=0,link={deviceEnd}", $"pty,raw,echo=0,link={bridgeEnd}"]);
            Assert.That(StackOnTap.WaitFor(() => File.Exists(deviceEnd) && File.Exists(bridgeEnd), StartPatience), Is.True, cable.Output);

            string[] bridgeCommand = ["ip", "netns", "exec", ns.Name, .. SignalReset.Value, DotnetHost(), DevicePath(),
                "bridge", "--serial", bridgeEnd, "--tap-name", tap, "--baud", "115200"];
            using BackgroundCommand bridge = BackgroundCommand.Start(bridgeCommand[0], bridgeCommand[1..]);
            using BackgroundCommand device = StartDevice([],
                "--nic", "serial", "--serial-port", deviceEnd, "--baud", "115200", "--ip", DeviceAddress.ToString(), "--mac", DeviceMac.ToString());
            WaitUntilAnswering(ns, device);
            Assert.That(bridge.HasExited, Is.False, bridge.Output);

            CommandResult ping = ns.Exec($"ping -q -n -c 10 -i 0.05 -s 1000 -W 2 {DeviceAddress.Address}", TimeSpan.FromSeconds(30));
            Assert.That(ping.ExitCode, Is.Zero, ping.ToString());
            Assert.That(ping.StandardOutput, Does.Contain("10 packets transmitted, 10 received, 0% packet loss"), ping.ToString());

            CommandResult echo = ns.Exec($"printf 'over the serial line' | socat -t 2 - UDP4:{DeviceAddress.Address}:7", TimeSpan.FromSeconds(20));
            Assert.That(echo.ExitCode, Is.Zero, echo.ToString());
            Assert.That(echo.StandardOutput, Is.EqualTo("over the serial line"), echo.ToString());

            Signal(device, "INT");
            AssertStoppedCleanly(device);
            Assert.That(device.Output, Does.Contain($"Running on serial port {deviceEnd} at 115200 baud as {DeviceMac} {DeviceAddress}"), device.Output);

            Signal(bridge, "INT");
            Assert.That(bridge.WaitForExit(StopPatience), Is.True, bridge.Output);
            Assert.That(bridge.ExitCode, Is.Zero, bridge.Output);
            Assert.That(bridge.Output, Does.Contain($"Bridging serial port {bridgeEnd} at 115200 baud to TAP {tap}"), bridge.Output);
            Assert.That(bridge.Output, Does.Contain(" 0 CRC errors, 0 oversize, 0 received and 0 sent frames dropped"), bridge.Output);
            int toTap = int.Parse(BridgedFrames().Match(bridge.Output).Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.That(toTap, Is.GreaterThanOrEqualTo(11), "the ping replies and the echo crossed the bridge: " + bridge.Output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void Bridge_WithoutATapName_IsRefusedWithOneLineAndExitCodeTwo()
    {
        CommandResult result = HostCommand.Run(DotnetHost(), [DevicePath(), "bridge", "--serial", "/dev/ttyUSB0"], TimeSpan.FromSeconds(30));
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(SingleErrorLine(result), Is.EqualTo("seqs: bridge needs --tap-name NAME, such as --tap-name tap0."));
    }

    [GeneratedRegex(@"(\d+) frames serial to TAP")]
    private static partial Regex BridgedFrames();
}
