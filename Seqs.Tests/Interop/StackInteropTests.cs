using System.Text.RegularExpressions;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Interop;

/// <summary>
/// The stack against the Linux kernel and tools nobody on this project wrote: ping, arping, socat, tshark and
/// scapy, in a network namespace of its own per test.
/// </summary>
[TestFixture]
[Category("Interop")]
[NonParallelizable]
public sealed partial class StackInteropTests
{
    private static readonly Ipv4Cidr KernelSide = new(new Ipv4Address(10, 213, 9, 1), 24);
    private static readonly Ipv4Address StackAddress = new(10, 213, 9, 2);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [TestCase(0)]
    [TestCase(56)]
    [TestCase(1000)]
    [TestCase(1472, TestName = "Ping_OfTheLargestUnfragmentedSize_IsAnsweredWithoutLoss")]
    public void Ping_HundredsOfEchoes_AreAllAnswered(int size)
    {
        using var ns = NetworkNamespace.Create("ping");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);

        // -i 0.005 needs root, which interop tests have; 200 echoes take about a second.
        CommandResult ping = ns.Exec($"ping -q -n -c 200 -i 0.005 -W 2 -s {size} {StackAddress}", TimeSpan.FromSeconds(60));

        Assert.That(ping.ExitCode, Is.Zero, ping.ToString());
        Assert.That(ping.StandardOutput, Does.Contain("200 packets transmitted, 200 received, 0% packet loss"), ping.ToString());
        Assert.That(device.Stack.Counters.IcmpEchoRepliesSent, Is.GreaterThanOrEqualTo(200));
    }

    [Test]
    public void Arping_GetsArpRepliesWithTheStacksMac()
    {
        using var ns = NetworkNamespace.Create("arping");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);

        CommandResult arping = ns.Exec($"arping -c 3 -w 5 -i {device.Tap.Name} {StackAddress}", TimeSpan.FromSeconds(30));

        Assert.That(arping.ExitCode, Is.Zero, arping.ToString());
        Assert.That(arping.StandardOutput, Does.Contain(device.Stack.MacAddress.ToString()), arping.ToString());
        Assert.That(ReceivedCount().Match(arping.StandardOutput).Groups[1].Value, Is.EqualTo("3"), arping.ToString());
    }

    [Test]
    public void UdpEcho_WithSocat_ReturnsEachDatagram()
    {
        using var ns = NetworkNamespace.Create("socat");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);

        for (int i = 0; i < 5; i++)
        {
            string message = $"hello seqs {i} " + new string('x', i * 300);
            CommandResult socat = ns.Exec($"printf '{message}' | socat -t 2 - UDP4:{StackAddress}:7", TimeSpan.FromSeconds(20));
            Assert.That(socat.ExitCode, Is.Zero, socat.ToString());
            Assert.That(socat.StandardOutput, Is.EqualTo(message), socat.ToString());
        }
        Assert.That(device.UdpEchoes, Is.EqualTo(5));
    }

    [Test]
    public void UdpToAClosedPort_GetsPortUnreachable_SoTheSenderSeesConnectionRefused()
    {
        using var ns = NetworkNamespace.Create("socat");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);

        // A connected UDP socket turns ICMP port unreachable into ECONNREFUSED on the next read.
        CommandResult socat = ns.Exec($"printf 'x' | socat -t 2 - UDP4:{StackAddress}:4444", TimeSpan.FromSeconds(20));

        Assert.That(socat.ExitCode, Is.Not.Zero, socat.ToString());
        Assert.That(socat.StandardError, Does.Contain("Connection refused"), socat.ToString());
        Assert.That(device.Stack.Counters.IcmpErrorsSent, Is.EqualTo(1));
    }

    [Test]
    public void Tshark_FindsNoMalformedFrameOrBadChecksumInWhatTheStackSent()
    {
        using var ns = NetworkNamespace.Create("ping", "socat", "tshark");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        CommandResult ping = ns.Exec($"ping -q -n -c 20 -i 0.01 -s 1472 {StackAddress}", TimeSpan.FromSeconds(30));
        Assert.That(ping.ExitCode, Is.Zero, ping.ToString());
        CommandResult socat = ns.Exec($"printf 'checksum me' | socat -t 1 - UDP4:{StackAddress}:7", TimeSpan.FromSeconds(20));
        Assert.That(socat.ExitCode, Is.Zero, socat.ToString());
        ns.Exec($"printf 'x' | socat -t 1 - UDP4:{StackAddress}:4444", TimeSpan.FromSeconds(20));
        device.Stop();

        string ours = $"eth.src == {device.Stack.MacAddress}";
        string checks = "-o ip.check_checksum:TRUE -o udp.check_checksum:TRUE";
        CommandResult all = HostCommand.Run("tshark", ["-r", device.PcapPath, "-Y", ours], TimeSpan.FromSeconds(60));
        CommandResult bad = HostCommand.Run("sh", ["-c", $"tshark -r {device.PcapPath} {checks} -Y '({ours}) && (_ws.malformed || _ws.expert.severity >= error || ip.checksum.status == \"Bad\" || udp.checksum.status == \"Bad\" || icmp.checksum.status == \"Bad\")'"], TimeSpan.FromSeconds(60));

        Assert.That(all.ExitCode, Is.Zero, all.ToString());
        Assert.That(all.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.GreaterThanOrEqualTo(23), "ARP, 20 echo replies, the UDP echo, the ICMP error");
        Assert.That(bad.ExitCode, Is.Zero, bad.ToString());
        Assert.That(bad.StandardOutput.Trim(), Is.Empty, "frames tshark flags");
        Assert.That(all.StandardOutput, Does.Contain("Destination unreachable (Port unreachable)"));
    }

    [Test]
    public void CraftedBadFrames_AreDroppedAndCounted_AndPingStillWorks()
    {
        using var ns = NetworkNamespace.Create("ping", "/usr/bin/python3");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        ns.ExecChecked($"ip link set {device.Tap.Name} mtu 1600");
        Assert.That(ns.Exec($"ping -c 1 -W 2 {StackAddress}").ExitCode, Is.Zero, "the stack answers before the attack");
        NetStackCounters before = Snapshot(device.Stack.Counters);

        string script = Path.Combine(Path.GetTempPath(), $"{ns.Name}-bad.py");
        File.WriteAllText(script, BadFramesScript(device.Tap.Name, device.Stack.MacAddress, StackAddress));
        try
        {
            CommandResult scapy = ns.Exec($"/usr/bin/python3 {script}", TimeSpan.FromSeconds(60));
            Assert.That(scapy.ExitCode, Is.Zero, scapy.ToString());
        }
        finally
        {
            File.Delete(script);
        }

        NetStackCounters c = device.Stack.Counters;
        Assert.That(StackOnTap.WaitFor(() => c.Malformed - before.Malformed >= 6, Patience), Is.True, $"malformed drops: {c.Malformed - before.Malformed}, by reason: {string.Join(", ", Enum.GetValues<WireRejection>().Select(r => $"{r}={c.MalformedBy(r)}"))}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(c.MalformedBy(WireRejection.Truncated), Is.GreaterThanOrEqualTo(1), "truncated IPv4 header");
            Assert.That(c.MalformedBy(WireRejection.BadHeaderLength), Is.GreaterThanOrEqualTo(1), "IHL below 5");
            Assert.That(c.MalformedBy(WireRejection.BadTotalLength), Is.GreaterThanOrEqualTo(1), "total length past the frame");
            Assert.That(c.MalformedBy(WireRejection.BadChecksum), Is.GreaterThanOrEqualTo(2), "IPv4 header and ICMP checksums");
            Assert.That(c.MalformedBy(WireRejection.BadLength), Is.GreaterThanOrEqualTo(1), "UDP length past the datagram");
            Assert.That(c.UdpChecksumErrors - before.UdpChecksumErrors, Is.EqualTo(1));
            Assert.That(c.ArpNotForUs - before.ArpNotForUs, Is.GreaterThanOrEqualTo(1));
            Assert.That(c.Fragments - before.Fragments, Is.EqualTo(1));
            Assert.That(c.InternalErrors, Is.Zero);
            Assert.That(device.Tap.DroppedFrames + c.Malformed - before.Malformed, Is.GreaterThanOrEqualTo(7), "the oversized frame is dropped by the NIC or the stack");
            Assert.That(c.IcmpEchoRepliesSent - before.IcmpEchoRepliesSent, Is.Zero, "no bad frame got an answer");
            Assert.That(device.Stack.TryGetNeighbor(new Ipv4Address(10, 213, 9, 77), out _), Is.False, "ARP about other hosts is not cached");
        }
        CommandResult ping = ns.Exec($"ping -c 3 -i 0.2 -W 2 {StackAddress}", TimeSpan.FromSeconds(20));
        Assert.That(ping.ExitCode, Is.Zero, "the stack still answers after the attack: " + ping);
    }

    private static NetStackCounters Snapshot(NetStackCounters c) => new()
    {
        Malformed = c.Malformed,
        UdpChecksumErrors = c.UdpChecksumErrors,
        ArpNotForUs = c.ArpNotForUs,
        Fragments = c.Fragments,
        IcmpEchoRepliesSent = c.IcmpEchoRepliesSent,
    };

    /// <summary>Each frame breaks one rule a parser must enforce; scapy sends them on the kernel side of the TAP.</summary>
    private static string BadFramesScript(string tap, MacAddress stackMac, Ipv4Address stackAddress) => $$"""
        from scapy.all import Ether, IP, UDP, ICMP, ARP, Raw, sendp, raw
        iface = "{{tap}}"
        dst = "{{stackMac}}"
        ip = "{{stackAddress}}"
        peer = "{{KernelSide.Address}}"
        eth = Ether(dst=dst, type=0x0800)
        frames = []
        # (A frame shorter than the Ethernet header cannot be sent: packet sockets refuse it. Unit tests cover it.)
        frames.append(raw(eth / IP(src=peer, dst=ip))[:14 + 12])                  # truncated IPv4 header
        bad_ihl = bytearray(raw(eth / IP(src=peer, dst=ip) / ICMP()))
        bad_ihl[14] = 0x43                                                        # IHL 3: header shorter than 20
        frames.append(bytes(bad_ihl))
        frames.append(raw(eth / IP(src=peer, dst=ip, len=900) / ICMP()))         # total length past the frame
        frames.append(raw(eth / IP(src=peer, dst=ip, chksum=0x1234) / ICMP()))    # bad IPv4 header checksum
        frames.append(raw(eth / IP(src=peer, dst=ip) / ICMP(chksum=0x1234)))      # bad ICMP checksum
        frames.append(raw(eth / IP(src=peer, dst=ip) / UDP(sport=5000, dport=7, len=200) / Raw(b"abc")))   # UDP length past the datagram
        frames.append(raw(eth / IP(src=peer, dst=ip) / UDP(sport=5000, dport=7, chksum=0x1234) / Raw(b"abc")))  # bad UDP checksum
        frames.append(raw(eth / IP(src=peer, dst=ip, flags="MF") / ICMP()))       # a fragment
        frames.append(raw(Ether(dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, psrc="10.213.9.77", pdst="10.213.9.78")))  # ARP for other hosts
        frames.append(raw(eth / IP(src=peer, dst=ip) / ICMP() / Raw(b"z" * 1560)))  # oversized for a 1500-byte MTU
        for f in frames:
            sendp(f, iface=iface, verbose=False)
        """;

    [GeneratedRegex(@"(\d+) packets received")]
    private static partial Regex ReceivedCount();
}
