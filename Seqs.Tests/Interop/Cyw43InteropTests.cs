using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Scheduling;
using Seqs.Services;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Interop;

/// <summary>
/// The stack on the CYW43439 driver on the emulated chip, whose air side is a TAP, in real time on real threads:
/// the kernel pings it and echoes data through it with socat, over the emulated Wi-Fi join.
/// </summary>
[TestFixture]
[Category("Interop")]
[NonParallelizable]
public sealed class Cyw43InteropTests
{
    private const string Ssid = "interop";
    private const string Passphrase = "interop passphrase";

    private static readonly Ipv4Cidr KernelSide = new(new Ipv4Address(10, 213, 43, 1), 24);
    private static readonly Ipv4Address StackAddress = new(10, 213, 43, 2);

    [Test]
    public void KernelPingsAndEchoesFourMebibytes_ThroughTheEmulatedChipOnATap()
    {
        using var ns = NetworkNamespace.Create("ping", "socat");
        var tap = ns.AddTap(KernelSide);
        var chip = new Cyw43Emulator { MacAddress = tap.MacAddress };
        chip.AccessPoints.Add(new EmulatedAccessPoint(Ssid, Passphrase));
        chip.Attach(tap);
        using var driver = new Cyw43439(new FullDuplexCyw43Bus(chip), chip.PowerLine, chip.HostWakeLine);
        driver.InitializeAsync(new Cyw43Firmware(new byte[] { 1, 2, 3, 4 }, "boardtype=0x0887\0"u8.ToArray(), "emulated CLM"u8.ToArray())).GetAwaiter().GetResult();
        Assert.That(driver.JoinAsync(Ssid, Passphrase).GetAwaiter().GetResult(), Is.EqualTo(WifiJoinResult.Joined));
        using var stop = new CancellationTokenSource();
        using var loop = new NetLoop(TimeProvider.System);
        var stack = new NetStack(loop, driver);
        stack.Configure(new Ipv4Cidr(StackAddress, KernelSide.PrefixLength), KernelSide.Address);
        using var echo = new TcpEchoServer(stack);
        _ = echo.RunAsync(stop.Token);
        Task running = loop.Start(stop.Token);
        string input = TcpInteropTests.TempFile(ns, "in");
        string output = TcpInteropTests.TempFile(ns, "out");
        try
        {
            CommandResult ping = ns.Exec($"ping -q -n -c 100 -i 0.01 -W 2 -s 1472 {StackAddress}", TimeSpan.FromSeconds(60));
            TcpInteropTests.WriteRandom(input, 4 << 20, seed: 43);
            CommandResult socat = ns.Exec($"socat -t 30 - TCP4:{StackAddress}:7 < {input} > {output}", TimeSpan.FromSeconds(120));

            using (Assert.EnterMultipleScope())
            {
                Assert.That(ping.StandardOutput, Does.Contain("100 packets transmitted, 100 received, 0% packet loss"), ping.ToString());
                Assert.That(socat.ExitCode, Is.Zero, socat.ToString());
                Assert.That(TcpInteropTests.Sha256(output), Is.EqualTo(TcpInteropTests.Sha256(input)), $"echoed {new FileInfo(output).Length} bytes");
                Assert.That(chip.ProtocolViolations, Is.Empty);
            }
            TestContext.Out.WriteLine($"driver: {driver.Counters.FramesTransmitted} frames sent, {driver.Counters.FramesReceived} received, " +
                $"{driver.Counters.TransmitRejections} back-pressure rejections; chip: {chip.Transactions} transactions, {chip.Bytes} bytes");
        }
        finally
        {
            stop.Cancel();
            running.Wait(TimeSpan.FromSeconds(5));
            File.Delete(input);
            File.Delete(output);
        }
    }
}
