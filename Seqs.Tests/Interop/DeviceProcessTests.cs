using System.Globalization;
using System.Text.RegularExpressions;
using Seqs.Wire;

namespace Seqs.Tests.Interop;

/// <summary>
/// Seqs.Device as its own process, the way a user runs it: <c>dotnet Seqs.Device.dll …</c> from the test output
/// directory (the test project references it, so the build puts it there), started, probed with ping, arping and
/// socat, and stopped with a signal. The TAP tests need root for a network namespace; the argument and simulated
/// LAN tests need nothing and always run.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class DeviceProcessTests
{
    private const string DeviceAssembly = "Seqs.Device.dll";
    private const string Nobody = "65534";
    private static readonly Ipv4Cidr KernelSide = new(new Ipv4Address(10, 213, 10, 1), 24);
    private static readonly Ipv4Cidr DeviceAddress = new(new Ipv4Address(10, 213, 10, 2), 24);
    private static readonly MacAddress DeviceMac = MacAddress.Parse("02:53:45:51:0a:02");
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(20);
    // The device bounds its own stop (the services 3 s, the loop 1 s, then a warning); this only has to outlast that
    // on a machine busy with other work, where a stop with hundreds of connections open once took more than 5 s.
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(20);
    private static readonly Lazy<string[]> SignalReset = new(FindSignalReset);
    private static int s_tapCounter;

    /// <summary>The devices started here get their token, rather than generating one into the user's ~/.config.</summary>
    private const string AccessToken = "seqs-device-tests-0123456789abcdef";

    [Test]
    [Category("Interop")]
    public void TapDevice_AnswersPingArpingAndUdpEcho_ThenStopsOnSigintWithExitCodeZeroAndAReadablePcap()
    {
        using var ns = NetworkNamespace.Create("ping", "arping", "socat", "tshark");
        string tap = AddPersistentTap(ns);
        string pcap = Path.Combine(Path.GetTempPath(), $"{ns.Name}-device.pcap");
        try
        {
            using BackgroundCommand device = StartDeviceOnTap(ns, tap, "--pcap", pcap);
            WaitUntilAnswering(ns, device);

            CommandResult ping = ns.Exec($"ping -q -n -c 20 -i 0.01 -W 2 {DeviceAddress.Address}", TimeSpan.FromSeconds(30));
            Assert.That(ping.ExitCode, Is.Zero, ping.ToString());
            Assert.That(ping.StandardOutput, Does.Contain("20 packets transmitted, 20 received, 0% packet loss"), ping.ToString());

            CommandResult arping = ns.Exec($"arping -c 2 -W 0.2 -w 5 -i {tap} {DeviceAddress.Address}", TimeSpan.FromSeconds(20));
            Assert.That(arping.ExitCode, Is.Zero, arping.ToString());
            Assert.That(arping.StandardOutput, Does.Contain(DeviceMac.ToString()), arping.ToString());
            Assert.That(ArpingReceived().Match(arping.StandardOutput).Groups[1].Value, Is.EqualTo("2"), arping.ToString());

            CommandResult echo = ns.Exec($"printf 'hello device' | socat -t 2 - UDP4:{DeviceAddress.Address}:7", TimeSpan.FromSeconds(20));
            Assert.That(echo.ExitCode, Is.Zero, echo.ToString());
            Assert.That(echo.StandardOutput, Is.EqualTo("hello device"), echo.ToString());

            // A closed port would answer with ICMP port unreachable, which fails a connected socat; discard stays silent.
            CommandResult discard = ns.Exec($"printf 'into the void' | socat -t 1 - UDP4:{DeviceAddress.Address}:9", TimeSpan.FromSeconds(20));
            Assert.That(discard.ExitCode, Is.Zero, discard.ToString());
            Assert.That(discard.StandardOutput, Is.Empty, discard.ToString());

            Signal(device, "INT");
            AssertStoppedCleanly(device);
            Assert.That(device.Output, Does.Contain($"Running on TAP {tap} as {DeviceMac} {DeviceAddress}; the status page on HTTP 80, echo (RFC 862) on UDP and TCP 7, discard (RFC 863) on UDP and TCP 9, chargen (RFC 864) on TCP 19, iperf 2 on TCP 5001, with 256 KiB TCP buffers."), device.Output);
            Match replies = EchoRepliesLogged().Match(device.Output);
            Assert.That(replies.Success, Is.True, device.Output);
            Assert.That(int.Parse(replies.Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(20), device.Output);
            Assert.That(device.Output, Does.Contain(" 1 UDP echoes"), "one echo, and nothing echoed by discard: " + device.Output);

            CommandResult captured = HostCommand.Run("tshark", ["-r", pcap, "-Y", $"eth.src == {DeviceMac} && icmp.type == 0", "-T", "fields", "-e", "frame.number"], TimeSpan.FromSeconds(60));
            Assert.That(captured.ExitCode, Is.Zero, captured.ToString());
            Assert.That(captured.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.GreaterThanOrEqualTo(20), "ICMP echo replies from the device's MAC in the pcap");
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    /// <summary>
    /// The test services answer anyone, so a device runs none unless asked: TCP 7 and 19 are refused with a reset and
    /// a UDP datagram to 7 gets port unreachable, while the web page answers.
    /// </summary>
    [Test]
    [Category("Interop")]
    public void TapDeviceWithoutServices_RefusesEchoAndChargen_AndServesItsPage()
    {
        using var ns = NetworkNamespace.Create("ping", "socat", "curl");
        string tap = AddPersistentTap(ns);
        using BackgroundCommand device = StartDeviceOnTap(ns, tap, "--services", "none");
        WaitUntilAnswering(ns, device);

        foreach (int port in new[] { 7, 19 })
        {
            CommandResult tcp = ns.Exec($"socat -T 2 - TCP4:{DeviceAddress.Address}:{port} </dev/null", TimeSpan.FromSeconds(20));
            Assert.That(tcp.ExitCode, Is.Not.Zero, tcp.ToString());
            Assert.That(tcp.StandardError, Does.Contain("Connection refused"), tcp.ToString());
        }
        CommandResult udp = ns.Exec($"printf x | socat -t 1 - UDP4:{DeviceAddress.Address}:7", TimeSpan.FromSeconds(20));
        Assert.That(udp.ExitCode, Is.Not.Zero, "port unreachable fails a connected socat: " + udp);
        CommandResult page = ns.Exec($"curl -sS -o /dev/null -w '%{{http_code}}' http://{DeviceAddress.Address}/", TimeSpan.FromSeconds(20));
        Assert.That(page.StandardOutput, Is.EqualTo("200"), page.ToString());

        Signal(device, "INT");
        AssertStoppedCleanly(device);
        Assert.That(device.Output, Does.Contain("; the status page on HTTP 80. Ctrl-C stops."), "the start line names no service that is off: " + device.Output);
    }

    [Test]
    [Category("Interop")]
    public void TapDevice_StopsOnSigtermWithExitCodeZero_ClosingItsConnections()
    {
        using var ns = NetworkNamespace.Create("ping", "socat", "ss");
        string tap = AddPersistentTap(ns);
        using BackgroundCommand device = StartDeviceOnTap(ns, tap);
        WaitUntilAnswering(ns, device);
        ns.Start($"sh -c 'sleep 30 | socat - TCP4:{DeviceAddress.Address}:7'");
        string established = $"ss -Htn state established dst {DeviceAddress.Address}";
        Assert.That(StackOnTap.WaitFor(() => ns.Exec(established).StandardOutput.Trim().Length > 0, StartPatience), Is.True, "the echo connection never opened");

        Signal(device, "TERM");

        AssertStoppedCleanly(device);
        Assert.That(StackOnTap.WaitFor(() => ns.Exec(established).StandardOutput.Trim().Length == 0, TimeSpan.FromSeconds(2)), Is.True,
            "the kernel still has the connection: the device left without closing it");
    }

    [Test]
    [Category("Interop")]
    public void TapDevice_OnATapItMayNotAttachTo_ExitsNonZeroWithOneLineSayingWhatToFix()
    {
        using var ns = NetworkNamespace.Create("setpriv");
        string tap = AddPersistentTap(ns, owner: Nobody);

        // Root regains every capability left in its bounding set when it execs (capabilities(7)), so the bounding
        // set must lose CAP_NET_ADMIN; the TAP belongs to nobody, so root is then no more than another user.
        CommandResult result = HostCommand.Run("ip",
            ["netns", "exec", ns.Name, "setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin", DotnetHost(), DevicePath(),
             "--nic", "tap", "--tap-name", tap, "--ip", DeviceAddress.ToString()],
            TimeSpan.FromSeconds(30));

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        string line = SingleErrorLine(result);
        Assert.That(line, Does.Contain($"'{tap}': permission denied"));
        Assert.That(line, Does.Contain($"ip tuntap add dev {tap} mode tap user $USER"));
    }

    [Test]
    [Category("Interop")]
    public void TapDevice_RunWithoutRootByTheTapsOwner_AnswersPingAndStopsOnSigterm()
    {
        using var ns = NetworkNamespace.Create("ping", "setpriv", "mknod", "mount");
        string tap = AddPersistentTap(ns, owner: Nobody);
        using BackgroundCommand device = StartDevice(AsNobody(ns, cloneDeviceMode: "666"),
            ["--nic", "tap", "--tap-name", tap, "--ip", DeviceAddress.ToString()]);
        WaitUntilAnswering(ns, device);

        Signal(device, "TERM");

        AssertStoppedCleanly(device);
    }

    [Test]
    [Category("Interop")]
    public void TapDevice_RunByAUserWhoMayNotOpenDevNetTun_ExitsNonZeroWithOneLineSayingWhatToFix()
    {
        using var ns = NetworkNamespace.Create("setpriv", "mknod", "mount");
        string tap = AddPersistentTap(ns, owner: Nobody);
        string[] command = [.. AsNobody(ns, cloneDeviceMode: "600"), DotnetHost(), DevicePath(), "--nic", "tap", "--tap-name", tap, "--ip", DeviceAddress.ToString()];

        CommandResult result = HostCommand.Run(command[0], command[1..], TimeSpan.FromSeconds(30));

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        string line = SingleErrorLine(result);
        Assert.That(line, Does.Contain("Cannot open /dev/net/tun"));
        Assert.That(line, Does.Contain("chmod 0666 /dev/net/tun"));
    }

    [Test]
    [Category("Interop")]
    public void LedPinThatCannotBeOpened_ExitsNonZeroWithOneLineSayingWhatToFix()
    {
        using var ns = NetworkNamespace.Create();
        if (File.Exists("/dev/gpiochip0"))
            Assert.Ignore("This machine has GPIOs; the test needs one without.");

        CommandResult result = HostCommand.Run("ip", ["netns", "exec", ns.Name, DotnetHost(), DevicePath(),
            "--nic", "tap", "--tap-name", "sqdled0", "--ip", DeviceAddress.ToString(), "--led-pin", "17", "--access-token", AccessToken], TimeSpan.FromSeconds(30));

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(SingleErrorLine(result), Does.StartWith("seqs: Cannot drive the LED on GPIO 17: ").And.EndWith("; give the --led-pin of a free GPIO, or drop it for a simulated LED."));
    }

    [TestCase("--nic foo", "Unknown NIC 'foo'")]
    [TestCase("--nic tap --tap-name sqd0 --ip 10.0.0", "--ip '10.0.0' is not an IPv4 address")]
    [TestCase("--nic tap --ip 10.0.0.2/24", "--nic tap needs --tap-name")]
    [TestCase("--nic tap --tap-name sqd0", "--nic tap needs --ip")]
    [TestCase("--bogus", "Unknown option '--bogus'")]
    [TestCase("--nic tap --tap-name sqd0 --dhcp --ip 10.0.0.2/24", "--ip 10.0.0.2/24 and --dhcp exclude each other")]
    [TestCase("--nic enc28j60 --spi-bus 7 --spi-cs 3 --ip 10.0.0.2/24", "No SPI device /dev/spidev7.3 for the ENC28J60 on SPI bus 7, chip select 3")]
    [TestCase("--nic cyw43 --firmware /nonexistent/43439A0.bin --nvram /nonexistent/nvram.bin --wl-on-pin 23 --dhcp", "--nic cyw43 needs --wifi-ssid NAME")]
    [TestCase("--nic cyw43 --firmware /nonexistent/43439A0.bin --nvram /nonexistent/nvram.bin --clm /nonexistent/43439A0_clm.bin --wl-on-pin 23 --dhcp --wifi-ssid home", "The CYW43439 WLAN firmware file '/nonexistent/43439A0.bin' does not exist.")]
    [TestCase("--nic cyw43 --chip-emulator --wifi-ssid home --wifi-pass short", "--wifi-pass for 'home' is not a WPA2 passphrase")]
    public void BadArguments_ExitNonZeroWithOneLineOnStderrThatNamesTheProblem(string arguments, string problem)
    {
        CommandResult result = HostCommand.Run(DotnetHost(), [DevicePath(), .. arguments.Split(' ')], TimeSpan.FromSeconds(30));

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(SingleErrorLine(result), Does.Contain(problem));
        Assert.That(result.StandardOutput, Is.Empty, result.ToString());
    }

    [Test]
    public void BadConfigurationFromTheEnvironment_ExitsNonZeroWithOneLinePerProblem()
    {
        CommandResult result = HostCommand.Run("env", ["SEQS_NIC=tap", "SEQS_TAPNAME=sqd0", "SEQS_IP=10.0.0.2/24", "SEQS_MAC=zz", DotnetHost(), DevicePath(), "--http-port", "0"], TimeSpan.FromSeconds(30));

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "seqs: --mac 'zz' is not a MAC address; write six hex octets like 02:00:00:00:00:01.",
            "seqs: --http-port '0' is not a TCP port; give 1 to 65535, such as --http-port 8080.",
        }), result.ToString());
        Assert.That(result.StandardOutput, Is.Empty, result.ToString());
    }

    /// <summary>
    /// A persistent TAP made by <c>ip tuntap add</c> inside <paramref name="ns"/>, its kernel side given
    /// <see cref="KernelSide"/> and up, as a user would prepare it; deleting the namespace deletes it.
    /// </summary>
    private static string AddPersistentTap(NetworkNamespace ns, string? owner = null)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"sqd{Environment.ProcessId}-{Interlocked.Increment(ref s_tapCounter)}");
        string user = owner is null ? "" : $" user {owner}";
        ns.ExecChecked($"ip tuntap add dev {name} mode tap{user} && ip addr add {KernelSide} dev {name} && ip link set {name} up");
        return name;
    }

    /// <summary>Starts the device inside <paramref name="ns"/> on <paramref name="tap"/> as <see cref="DeviceAddress"/> and <see cref="DeviceMac"/>.</summary>
    private static BackgroundCommand StartDeviceOnTap(NetworkNamespace ns, string tap, params string[] extra) =>
        StartDevice(["ip", "netns", "exec", ns.Name],
            ["--nic", "tap", "--tap-name", tap, "--ip", DeviceAddress.ToString(), "--mac", DeviceMac.ToString(), .. extra]);

    /// <summary>
    /// Runs <c>dotnet Seqs.Device.dll <paramref name="arguments"/></c> behind <paramref name="launcher"/>. The launchers
    /// used here (<c>ip netns exec</c>, <c>env</c>) exec the next program, so the process id is the device's.
    /// </summary>
    private static BackgroundCommand StartDevice(string[] launcher, params string[] arguments)
    {
        // The tests exercise the test services, which the device runs only when asked; a test that gives
        // --services itself keeps its own.
        string[] services = arguments.Contains("--services") ? [] : ["--services", "echo,discard,chargen,iperf"];
        string[] command = [.. launcher, .. SignalReset.Value, DotnetHost(), DevicePath(), .. arguments, .. services, "--access-token", AccessToken];
        return BackgroundCommand.Start(command[0], command[1..]);
    }

    /// <summary>
    /// A launcher that runs the rest of its command line inside <paramref name="ns"/> as user nobody, with a
    /// /dev/net/tun of the given mode. <c>ip netns exec</c> gives the command a mount namespace of its own, so the
    /// tmpfs over /dev/net and the node made in it never reach the host.
    /// </summary>
    private static string[] AsNobody(NetworkNamespace ns, string cloneDeviceMode) =>
        ["ip", "netns", "exec", ns.Name, "sh", "-c", $"mount -t tmpfs -o mode=0755 tmpfs /dev/net && mknod -m {cloneDeviceMode} /dev/net/tun c 10 200 && exec \"$@\"", "sh",
         "setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups"];

    private static void WaitUntilAnswering(NetworkNamespace ns, BackgroundCommand device)
    {
        bool answering = StackOnTap.WaitFor(
            () => device.HasExited || ns.Exec($"ping -c 1 -W 1 {DeviceAddress.Address}").ExitCode == 0,
            StartPatience);
        Assert.That(answering && !device.HasExited, Is.True, $"'{device.Command}' did not answer ping within {StartPatience.TotalSeconds} s: {device.Output}");
    }

    private static void Signal(BackgroundCommand device, string signal) =>
        HostCommand.RunChecked("kill", "-s", signal, device.ProcessId.ToString(CultureInfo.InvariantCulture));

    private static void AssertStoppedCleanly(BackgroundCommand device)
    {
        Assert.That(device.WaitForExit(StopPatience), Is.True,
            $"'{device.Command}' still runs {StopPatience.TotalSeconds} s after the signal (a process started with SIGINT ignored keeps it ignored): {device.Output}");
        Assert.That(device.ExitCode, Is.Zero, device.Output);
        Assert.That(device.Output, Does.Contain("Stopped: "), device.Output);
        Assert.That(device.Output, Does.Not.Contain("Exception"), device.Output);
    }

    /// <summary>The one line the device printed on stderr, which must start with <c>seqs: </c> and carry no stack trace.</summary>
    private static string SingleErrorLine(CommandResult result)
    {
        string[] lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), result.ToString());
        Assert.That(lines[0], Does.StartWith("seqs: ").And.Not.Contain("Exception").And.Not.Contain(" at "), result.ToString());
        return lines[0];
    }

    private static string DevicePath()
    {
        string path = Path.Combine(AppContext.BaseDirectory, DeviceAssembly);
        string runtimeConfig = Path.ChangeExtension(path, ".runtimeconfig.json");
        Assert.That(File.Exists(path) && File.Exists(runtimeConfig), Is.True,
            $"{DeviceAssembly} and its runtimeconfig belong in the test output directory {AppContext.BaseDirectory}; Seqs.Tests references Seqs.Device for that.");
        return path;
    }

    /// <summary>The <c>dotnet</c> host running these tests, so the device runs on the same runtime.</summary>
    private static string DotnetHost()
    {
        // The SDK sets DOTNET_HOST_PATH for what it starts; testhost itself usually runs under dotnet.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } sdkHost && File.Exists(sdkHost))
            return sdkHost;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
            return self;
        return InteropEnvironment.FindExecutable("dotnet") ?? "dotnet";
    }

    /// <summary>
    /// <c>env --default-signal=INT,TERM</c> where env supports it (GNU coreutils 8.31 and later), else nothing. A test
    /// run started as a background job of a script has SIGINT ignored, every child inherits that, and .NET leaves an
    /// inherited SIG_IGN in place, as a background job should; the reset makes the device see SIGINT as from a terminal.
    /// </summary>
    private static string[] FindSignalReset()
    {
        string[] reset = ["env", "--default-signal=INT,TERM"];
        if (OperatingSystem.IsWindows() || InteropEnvironment.FindExecutable("env") is null)
            return [];
        return HostCommand.Run(reset[0], [.. reset[1..], "true"]).ExitCode == 0 ? reset : [];
    }

    [GeneratedRegex(@"(\d+) packets received")]
    private static partial Regex ArpingReceived();

    [GeneratedRegex(@"(\d+) echo replies")]
    private static partial Regex EchoRepliesLogged();
}
