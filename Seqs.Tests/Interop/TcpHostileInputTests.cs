using Seqs.Wire;

namespace Seqs.Tests.Interop;

/// <summary>
/// An established transfer from the kernel to the stack's discard service survives forged segments aimed at it
/// (scapy) and a SYN flood (hping3), and the stack's state stays bounded.
/// </summary>
[TestFixture]
[Category("Interop")]
[NonParallelizable]
public sealed class TcpHostileInputTests
{
    private static readonly Ipv4Cidr KernelSide = new(new Ipv4Address(10, 213, 12, 1), 24);
    private static readonly Ipv4Address StackAddress = new(10, 213, 12, 2);
    private const int ClientPort = 45000;
    private const int Length = 6_000_000;

    [Test]
    public void EstablishedTransfer_SurvivesForgedSegmentsAndASynFlood()
    {
        using var ns = NetworkNamespace.Create("socat", "tc", "hping3", "/usr/bin/python3");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        // Slow the transfer down (about 2.5 s) so that the attack lands while it runs.
        ns.ExecChecked($"tc qdisc add dev {device.Tap.Name} root tbf rate 20mbit burst 32kbit latency 100ms");
        string script = Path.Combine(Path.GetTempPath(), $"{ns.Name}-hostile.py");
        File.WriteAllText(script, ForgedSegmentsScript(device.Tap.Name, device.Stack.MacAddress));
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        try
        {
            using BackgroundCommand transfer = ns.Start($"head -c {Length} /dev/zero | socat -u - TCP4:{StackAddress}:9,sourceport={ClientPort}");
            Assert.That(StackOnTap.WaitFor(() => device.TcpDiscard.OctetsDiscarded > 100_000, TimeSpan.FromSeconds(10)), Is.True, "the transfer started");

            CommandResult forged = ns.Exec($"/usr/bin/python3 {script}", TimeSpan.FromSeconds(60));
            Assert.That(forged.ExitCode, Is.Zero, forged.ToString());
            CommandResult flood = ns.Exec($"timeout 2 hping3 --flood -S -p 9 --rand-source {StackAddress} 2>&1; true", TimeSpan.FromSeconds(20));

            Assert.That(transfer.WaitForExit(TimeSpan.FromSeconds(60)), Is.True, "the transfer finished: " + flood.StandardOutput);
            Assert.That(transfer.ExitCode, Is.Zero, transfer.Output);
            Assert.That(StackOnTap.WaitFor(() => device.TcpDiscard.OctetsDiscarded == Length, TimeSpan.FromSeconds(10)), Is.True, $"discarded {device.TcpDiscard.OctetsDiscarded} of {Length}");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(device.Stack.Counters.InternalErrors, Is.Zero);
                Assert.That(device.Stack.Tcp.Counters.SynCookiesSent, Is.GreaterThan(0), "the flood overflowed the SYN queue");
                Assert.That(device.Stack.Tcp.ConnectionCount, Is.LessThanOrEqualTo(64), "the connection table stays bounded");
                Assert.That(device.Stack.Counters.Malformed, Is.GreaterThan(0), "the malformed options were counted");
                Assert.That(GC.GetTotalMemory(forceFullCollection: true) - memoryBefore, Is.LessThan(32L << 20), "managed memory stays bounded");
            }
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>Segments aimed at the running connection (its 4-tuple is fixed by sourceport) that must not hurt it.</summary>
    private static string ForgedSegmentsScript(string tap, MacAddress stackMac) => $$"""
        import random
        from scapy.all import Ether, IP, TCP, Raw, sendp
        iface = "{{tap}}"
        base = Ether(dst="{{stackMac}}") / IP(src="{{KernelSide.Address}}", dst="{{StackAddress}}")
        frames = []
        for i in range(200):
            seq = random.getrandbits(32)
            frames.append(base / TCP(sport={{ClientPort}}, dport=9, flags="R", seq=seq))            # RST, out of window or wrong sequence
            frames.append(base / TCP(sport={{ClientPort}}, dport=9, flags="S", seq=seq))            # SYN on the established connection
            frames.append(base / TCP(sport={{ClientPort}}, dport=9, flags="SF", seq=seq))           # SYN+FIN
            frames.append(base / TCP(sport={{ClientPort}}, dport=9, flags="PA", seq=seq, ack=random.getrandbits(32)) / Raw(b"x" * 100))  # data beyond the window
            bad = TCP(sport={{ClientPort}}, dport=9, flags="A", seq=seq, options=[(2, b"\x05")])     # MSS option with a wrong length
            frames.append(base / bad)
            frames.append(base / TCP(sport={{ClientPort}}, dport=9, flags="A", seq=seq, ack=random.getrandbits(32)))  # ACK for data never sent
        sendp(frames, iface=iface, verbose=False)
        """;
}
