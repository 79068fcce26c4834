using System.Security.Cryptography;
using Seqs.Device.HostNics;
using Seqs.Services;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Interop;

/// <summary>TCP between the stack and the Linux kernel, with socat on the kernel's side, in a namespace per test.</summary>
[TestFixture]
[Category("Interop")]
[NonParallelizable]
public sealed class TcpInteropTests
{
    private static readonly Ipv4Cidr KernelSide = new(new Ipv4Address(10, 213, 11, 1), 24);
    private static readonly Ipv4Address StackAddress = new(10, 213, 11, 2);

    [Test]
    public void SocatClient_Gets64MiBBackFromTheEchoService()
    {
        using var ns = NetworkNamespace.Create("socat", "sha256sum");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        EchoThroughSocat(ns, 64 << 20, seed: 7, socatOptions: "");
    }

    /// <summary>
    /// With the TAP's receive offload the kernel hands over TCP segments of up to 64 KiB with their checksum left to
    /// the reader; the NIC completes it, the stack takes the big segments, and a 64 MiB echo comes back intact.
    /// </summary>
    [Test]
    public void ReceiveOffload_TakesSegmentsLargerThanTheMtu_AndTheEchoIsIntact()
    {
        using var ns = NetworkNamespace.Create("socat", "sha256sum");
        var options = new NetStackOptions { Tcp = { SendBufferSize = 256 << 10, ReceiveBufferSize = 256 << 10 } };
        using var device = new StackOnTap(ns, KernelSide, StackAddress, options, receiveOffload: true);
        EchoThroughSocat(ns, 64 << 20, seed: 17, socatOptions: "-b 262144");
        NetStackCounters counters = device.Stack.Counters;
        Assert.That(counters.BytesReceived / (double)counters.FramesReceived, Is.GreaterThan(TapNic.StandardMaxFrameSize),
            $"{counters.FramesReceived} frames, {counters.BytesReceived} octets: the kernel sent segments larger than the MTU");
        Assert.That(counters.TcpChecksumErrors, Is.Zero, "every checksum the kernel left to the NIC was completed");
    }

    /// <summary>socat sends <paramref name="length"/> random octets to the echo service and reads them back at once; the SHA-256 must match.</summary>
    private static void EchoThroughSocat(NetworkNamespace ns, int length, int seed, string socatOptions)
    {
        string input = TempFile(ns, "in");
        string output = TempFile(ns, "out");
        try
        {
            WriteRandom(input, length, seed);
            CommandResult socat = ns.Exec($"socat -t 30 {socatOptions} - TCP4:{StackAddress}:7 < {input} > {output}", TimeSpan.FromSeconds(300));
            Assert.That(socat.ExitCode, Is.Zero, socat.ToString());
            Assert.That(Sha256(output), Is.EqualTo(Sha256(input)), $"echoed {new FileInfo(output).Length} of {new FileInfo(input).Length} bytes");
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    [Test]
    public void StackClient_Sends64MiBToAKernelListener()
    {
        using var ns = NetworkNamespace.Create("socat");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        string output = TempFile(ns, "received");
        byte[] data = new byte[64 << 20];
        new Random(11).NextBytes(data);
        try
        {
            UploadFromStack(ns, device, 5000, data, output, TimeSpan.FromSeconds(60));
            Assert.That(Sha256(output), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(data))));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Test]
    public void NetcatClient_HalfClosesAndStillGetsTheEcho()
    {
        using var ns = NetworkNamespace.Create("nc.openbsd");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        // OpenBSD nc: -N shuts down the sending side at end of input, then reads until the peer closes.
        CommandResult nc = ns.Exec($"printf 'half-close me' | nc.openbsd -N -w 5 {StackAddress} 7", TimeSpan.FromSeconds(20));
        Assert.That(nc.StandardOutput, Is.EqualTo("half-close me"), nc.ToString());
    }

    [Test]
    public void ConnectingToAClosedPort_IsRefusedImmediately()
    {
        using var ns = NetworkNamespace.Create("socat");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        var started = DateTime.UtcNow;
        CommandResult socat = ns.Exec($"socat -T 5 - TCP4:{StackAddress}:4444", TimeSpan.FromSeconds(20));
        Assert.That(socat.StandardError, Does.Contain("Connection refused"), socat.ToString());
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(4)), "a RST, not a timeout");
    }

    [Test]
    public void Chargen_StreamsTheRfc864Pattern()
    {
        using var ns = NetworkNamespace.Create("socat", "head");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        string output = TempFile(ns, "chargen");
        try
        {
            CommandResult socat = ns.Exec($"socat -u TCP4:{StackAddress}:19 - | head -c 1000000 > {output}", TimeSpan.FromSeconds(60));
            Assert.That(File.ReadAllBytes(output), Is.EqualTo(TcpChargenServer.Expected(1_000_000)), socat.ToString());
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Test]
    public void Discard_TakesEverything()
    {
        using var ns = NetworkNamespace.Create("socat", "head");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        CommandResult socat = ns.Exec($"head -c 2000000 /dev/zero | socat -u - TCP4:{StackAddress}:9", TimeSpan.FromSeconds(60));
        Assert.That(socat.ExitCode, Is.Zero, socat.ToString());
        Assert.That(StackOnTap.WaitFor(() => device.TcpDiscard.OctetsDiscarded == 2_000_000, TimeSpan.FromSeconds(10)), Is.True, $"discarded {device.TcpDiscard.OctetsDiscarded}");
    }

    /// <summary>
    /// 5 % random loss each way on the kernel's side (nftables numgen, in the namespace's input and output hooks)
    /// and a token-bucket rate limit: transfers both ways still complete with identical content.
    /// </summary>
    [Test]
    public void TransfersBothWays_SurviveFivePercentLossAndARateLimit()
    {
        using var ns = NetworkNamespace.Create("socat", "nft", "tc");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        ns.ExecChecked("nft -f - <<'EOF'\ntable inet seqsloss {\n chain input { type filter hook input priority 0; numgen random mod 100 < 5 drop; }\n chain output { type filter hook output priority 0; numgen random mod 100 < 5 drop; }\n}\nEOF");
        ns.ExecChecked($"tc qdisc add dev {device.Tap.Name} root tbf rate 20mbit burst 32kbit latency 100ms");
        string input = TempFile(ns, "in");
        string output = TempFile(ns, "out");
        string received = TempFile(ns, "received");
        try
        {
            WriteRandom(input, 1 << 20, seed: 5);
            CommandResult echo = ns.Exec($"socat -t 60 - TCP4:{StackAddress}:7 < {input} > {output}", TimeSpan.FromSeconds(180));
            Assert.That(echo.ExitCode, Is.Zero, echo.ToString());
            Assert.That(Sha256(output), Is.EqualTo(Sha256(input)), $"echoed {new FileInfo(output).Length} of {1 << 20} bytes through loss");

            UploadFromStack(ns, device, 5001, File.ReadAllBytes(input), received, TimeSpan.FromSeconds(120));
            Assert.That(Sha256(received), Is.EqualTo(Sha256(input)), "the stack's upload through loss");
            Assert.That(device.Stack.Counters.InternalErrors, Is.Zero);
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
            File.Delete(received);
        }
    }

    [Test]
    public void ManyConcurrentConnections_AreAllServed()
    {
        using var ns = NetworkNamespace.Create("socat", "sha256sum");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        string input = TempFile(ns, "in");
        try
        {
            WriteRandom(input, 200_000, seed: 9);
            string expected = Sha256(input);
            CommandResult clients = ns.Exec(
                $"for i in $(seq 1 24); do (socat -t 30 - TCP4:{StackAddress}:7 < {input} | sha256sum > {input}.$i) & done; wait; cat {input}.* | sort | uniq -c",
                TimeSpan.FromSeconds(120));
            Assert.That(clients.StandardOutput.Trim(), Is.EqualTo($"24 {expected}  -"), clients.ToString());
            Assert.That(device.TcpEcho.Connections, Is.EqualTo(24));
        }
        finally
        {
            File.Delete(input);
            foreach (string part in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(input) + ".*"))
                File.Delete(part);
        }
    }

    [Test]
    public void Tshark_FindsNoMalformedSegmentOrBadChecksumInWhatTheStackSent()
    {
        using var ns = NetworkNamespace.Create("socat", "tshark");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        CommandResult socat = ns.Exec($"head -c 300000 /dev/urandom | socat -t 10 - TCP4:{StackAddress}:7 > /dev/null", TimeSpan.FromSeconds(60));
        Assert.That(socat.ExitCode, Is.Zero, socat.ToString());
        ns.Exec($"socat -T 2 - TCP4:{StackAddress}:4444 < /dev/null", TimeSpan.FromSeconds(20));
        device.Stop();

        string ours = $"eth.src == {device.Stack.MacAddress} && tcp";
        CommandResult all = HostCommand.Run("tshark", ["-r", device.PcapPath, "-Y", ours], TimeSpan.FromSeconds(60));
        CommandResult bad = HostCommand.Run("sh", ["-c", $"tshark -r {device.PcapPath} -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -Y '({ours}) && (_ws.malformed || _ws.expert.severity >= error || tcp.checksum.status == \"Bad\" || ip.checksum.status == \"Bad\")'"], TimeSpan.FromSeconds(60));
        Assert.That(all.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.GreaterThan(100), all.ToString());
        Assert.That(bad.ExitCode, Is.Zero, bad.ToString());
        Assert.That(bad.StandardOutput.Trim(), Is.Empty, "segments tshark flags");
    }

    /// <summary>
    /// RFC 7323 and RFC 2018 with the kernel: both SYNs carry window scale, SACK-permitted and timestamps, the kernel
    /// reports its out-of-order data in SACK blocks, and under 5 % random loss each way (nftables) the stack's upload
    /// completes intact while it sends again far less than a go-back-N sender would have.
    /// </summary>
    [Test]
    public void StackUploadThroughLoss_NegotiatesSackWithTheKernel_AndRetransmitsOnlyTheHoles()
    {
        using var ns = NetworkNamespace.Create("socat", "nft", "tshark");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        ns.ExecChecked("nft -f - <<'EOF'\ntable inet seqsloss {\n chain input { type filter hook input priority 0; numgen random mod 100 < 5 drop; }\n chain output { type filter hook output priority 0; numgen random mod 100 < 5 drop; }\n}\nEOF");
        string received = TempFile(ns, "received");
        byte[] data = new byte[4 << 20];
        new Random(13).NextBytes(data);
        try
        {
            var options = new TcpConnectionOptions { SendBufferSize = 256 << 10, ReceiveBufferSize = 256 << 10 };
            TcpControlBlock tcb = UploadFromStack(ns, device, 5002, data, received, TimeSpan.FromSeconds(120), options);
            Assert.That(Sha256(received), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(data))));
            device.Stop();

            string synOptions = $"tshark -r {device.PcapPath} -Y 'tcp.flags.syn == 1' -T fields -e ip.src -e tcp.options.wscale.shift -e tcp.options.sack_perm -e tcp.options.timestamp.tsval";
            string[] syns = HostCommand.Run("sh", ["-c", synOptions], TimeSpan.FromSeconds(60)).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(syns, Has.Length.GreaterThanOrEqualTo(2), string.Join("\n", syns));
            Assert.That(syns.Select(line => line.Split('\t')), Has.All.Matches<string[]>(f => f.Length == 4 && f.Skip(1).All(v => v.Length > 0)),
                "each SYN carries wscale, SACK_PERM and TSval:\n" + string.Join("\n", syns));
            string kernelSacks = HostCommand.Run("sh", ["-c", $"tshark -r {device.PcapPath} -Y 'ip.src == {KernelSide.Address} && tcp.options.sack_le' | wc -l"], TimeSpan.FromSeconds(60)).StandardOutput.Trim();
            TestContext.Out.WriteLine($"kernel segments with SACK blocks: {kernelSacks}; retransmitted {tcb.RetransmittedBytes} B; "
                + $"go-back-N would have resent {tcb.FlightAtLosses} B; fast retransmits {tcb.FastRetransmits}, timeouts {tcb.Retransmissions}");
            using (Assert.EnterMultipleScope())
            {
                Assert.That((tcb.WindowScaling, tcb.SackPermitted), Is.EqualTo((true, true)));
                Assert.That(int.Parse(kernelSacks, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), "the kernel sent SACK blocks");
                Assert.That(tcb.FastRetransmits, Is.GreaterThan(0), "losses were repaired by fast recovery");
                Assert.That(tcb.RetransmittedBytes, Is.LessThan(tcb.FlightAtLosses / 2), "far fewer octets than go-back-N");
                TcpCounters counters = device.Stack.Tcp.Counters;
                Assert.That((counters.FastRetransmits, counters.RetransmissionTimeouts, counters.RetransmittedOctets),
                    Is.EqualTo(((long)tcb.FastRetransmits, (long)tcb.Retransmissions, tcb.RetransmittedBytes)), "the stack's counters add up the connection's");
            }
        }
        finally
        {
            File.Delete(received);
        }
    }

    /// <summary>
    /// The stack as client: a kernel socat listener writes what it receives to <paramref name="output"/>; the stack
    /// connects, sends <paramref name="data"/> in 64 KiB writes and closes, and socat must see the FIN.
    /// </summary>
    /// <summary>
    /// Uploads <paramref name="data"/> from the stack to a socat on the kernel's side and closes. Returns the control
    /// block that carried it: once closed (and its TIME-WAIT moved to the compact set) it waits in the pool with its
    /// counters until another connection reuses it, which none does here.
    /// </summary>
    private static TcpControlBlock UploadFromStack(NetworkNamespace ns, StackOnTap device, int port, byte[] data, string output, TimeSpan timeout, TcpConnectionOptions? options = null)
    {
        using BackgroundCommand server = ns.Start($"socat -u TCP4-LISTEN:{port},reuseaddr OPEN:{output},creat,trunc");
        Assert.That(StackOnTap.WaitFor(() => ns.Exec($"ss -Hltn sport = :{port}").StandardOutput.Contains("LISTEN", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), Is.True, "socat is listening");
        TcpConnection connection = device.Stack.Tcp.ConnectAsync(new Ipv4EndPoint(KernelSide.Address, (ushort)port), options).WaitAsync(timeout).GetAwaiter().GetResult();
        for (int at = 0; at < data.Length; at += 64 << 10)
            connection.WriteAsync(data.AsMemory(at, Math.Min(64 << 10, data.Length - at))).AsTask().WaitAsync(timeout).GetAwaiter().GetResult();
        TcpControlBlock tcb = connection.Tcb!;
        connection.Dispose();
        Assert.That(server.WaitForExit(timeout), Is.True, "socat did not see the FIN");
        return tcb;
    }

    internal static string TempFile(NetworkNamespace ns, string name) => Path.Combine(Path.GetTempPath(), $"{ns.Name}-{name}");

    internal static void WriteRandom(string path, int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        File.WriteAllBytes(path, data);
    }

    internal static string Sha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
