using System.Buffers.Binary;
using System.Diagnostics;
using Seqs.Device.HostNics;
using Seqs.Wire;

namespace Seqs.Tests.Interop;

/// <summary>
/// TapNic against the Linux kernel, with frames built by hand (RFC 826 ARP, RFC 894 Ethernet framing). Each test
/// gets its own network namespace, so the addresses can repeat.
/// </summary>
[TestFixture]
[Category("Interop")]
[NonParallelizable]
public sealed class TapNicInteropTests
{
    private const ushort EtherTypeIpv4 = 0x0800;
    private const ushort EtherTypeArp = 0x0806;
    private const ushort ArpRequest = 1;
    private const ushort ArpReply = 2;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private static readonly Ipv4Cidr KernelSide = new(new Ipv4Address(10, 213, 7, 1), 24);
    private static readonly Ipv4Address StackAddress = new(10, 213, 7, 2);

    [Test]
    public void KernelArpRequest_FiresTheArmedWakeUpAndIsReceived()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ping");
        TapNic tap = ns.AddTap(KernelSide);
        byte[] buffer = new byte[tap.MaxFrameSize];
        Assert.That(tap.TryReceive(buffer, out _), Is.False, "the kernel sent a frame before anything asked it to");

        using var woken = new ManualResetEventSlim();
        tap.ArmWakeUp(woken.Set);
        ns.Start($"ping -c 3 -W 1 {StackAddress}");

        Assert.That(woken.Wait(Patience), Is.True, "the wake-up did not fire");
        Assert.That(tap.TryReceive(buffer, out int length), Is.True, "woken, but no frame was waiting");
        byte[] frame = buffer[..length];
        Assert.Multiple(() =>
        {
            Assert.That(MacAddress.Read(frame), Is.EqualTo(MacAddress.Broadcast), "destination");
            Assert.That(MacAddress.Read(frame.AsSpan(6)), Is.EqualTo(ns.KernelMacAddress(tap.Name)), "source");
            Assert.That(BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)), Is.EqualTo(EtherTypeArp), "EtherType");
            Assert.That(BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(20)), Is.EqualTo(ArpRequest), "ar$op");
            Assert.That(Ipv4Address.Read(frame.AsSpan(28)), Is.EqualTo(KernelSide.Address), "ar$spa");
            Assert.That(Ipv4Address.Read(frame.AsSpan(38)), Is.EqualTo(StackAddress), "ar$tpa");
            Assert.That(tap.ReceivedFrames, Is.EqualTo(1));
        });
    }

    [Test]
    public void ArpReply_EntersTheKernelNeighbourTableWithTheStacksMac()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ping");
        TapNic tap = ns.AddTap(KernelSide);
        ns.Start($"ping -c 3 -W 1 {StackAddress}");
        byte[] request = ReceiveFirst(tap, frame => IsArp(frame, ArpRequest, StackAddress));

        Assert.That(tap.TryTransmit(BuildArpReply(tap.MacAddress, StackAddress, MacAddress.Read(request.AsSpan(22)), KernelSide.Address)), Is.True);

        byte[] echoRequest = ReceiveFirst(tap, frame => EtherType(frame) == EtherTypeIpv4);
        string neighbour = ns.ExecChecked($"ip neigh show {StackAddress} dev {tap.Name}").StandardOutput;
        Assert.Multiple(() =>
        {
            Assert.That(neighbour, Does.Contain($"lladdr {tap.MacAddress}"));
            Assert.That(MacAddress.Read(echoRequest), Is.EqualTo(tap.MacAddress), "the kernel's next IPv4 frame goes to the stack's MAC");
            Assert.That(tap.TransmittedFrames, Is.EqualTo(1));
        });
    }

    [Test]
    public void StackMac_IsItsOwnAndNotTheKernelDevicesMac()
    {
        var chosen = new MacAddress(0x02_00_5E_00_00_42);
        using NetworkNamespace ns = NetworkNamespace.Create();
        TapNic tap = ns.AddTap(KernelSide);
        TapNic chosenTap = ns.AddTap(new Ipv4Cidr(new Ipv4Address(10, 213, 8, 1), 24), chosen);
        Assert.Multiple(() =>
        {
            Assert.That(tap.MacAddress, Is.Not.EqualTo(ns.KernelMacAddress(tap.Name)));
            Assert.That(tap.MacAddress.IsUnicast, Is.True);
            Assert.That(tap.MacAddress.Value & 0x0200_0000_0000, Is.Not.Zero, "locally administered bit");
            Assert.That(chosenTap.MacAddress, Is.EqualTo(chosen));
        });
    }

    [Test]
    public void WakeUp_StaysQuietWhileTheLinkIsIdle()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        TapNic tap = ns.AddTap(KernelSide);
        using var woken = new ManualResetEventSlim();
        tap.ArmWakeUp(woken.Set);
        Assert.That(woken.Wait(TimeSpan.FromMilliseconds(300)), Is.False);
    }

    [Test]
    public void Sleep_OfTheLoopsThread_EndsWhenTheKernelSendsAFrame()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ping");
        TapNic tap = ns.AddTap(KernelSide);
        byte[] buffer = new byte[tap.MaxFrameSize];
        var slept = Stopwatch.StartNew();
        ns.Start($"ping -c 3 -W 1 {StackAddress}");

        tap.Sleep(Patience);

        Assert.That(slept.Elapsed, Is.LessThan(Patience), "the sleep ran to its timeout");
        Assert.That(tap.TryReceive(buffer, out _), Is.True, "woken, but no frame was waiting");
    }

    [Test]
    public void Interrupt_FromAnotherThread_EndsTheSleep_AndASleepWithNothingToDoTimesOut()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        TapNic tap = ns.AddTap(KernelSide);
        var slept = Stopwatch.StartNew();
        tap.Sleep(TimeSpan.FromMilliseconds(50));
        Assert.That(slept.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(45)), "an idle link ended the sleep early");

        using var asleep = new ManualResetEventSlim();
        Task sleeping = Task.Factory.StartNew(() =>
        {
            asleep.Set();
            tap.Sleep(Timeout.InfiniteTimeSpan);
        }, TaskCreationOptions.LongRunning);
        asleep.Wait(Patience);
        tap.Interrupt();

        Assert.That(sleeping.Wait(Patience), Is.True, "the interrupt did not end the sleep");
    }

    [Test]
    public void WakeUp_ArmedWhileAFrameWaits_FiresAtOnce()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ping");
        TapNic tap = ns.AddTap(KernelSide);
        ns.Start($"ping -c 1 -W 1 {StackAddress}");
        byte[] buffer = new byte[tap.MaxFrameSize];
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Patience && ns.Exec($"cat /sys/class/net/{tap.Name}/statistics/tx_packets").StandardOutput.Trim() == "0")
            Thread.Sleep(10);

        using var woken = new ManualResetEventSlim();
        tap.ArmWakeUp(woken.Set);
        Assert.That(woken.Wait(Patience), Is.True);
        Assert.That(tap.TryReceive(buffer, out _), Is.True);
    }

    [Test]
    public void FrameLongerThanTheBuffer_IsDroppedAndCountedAndTheNextOneReturned()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ping");
        TapNic tap = ns.AddTap(KernelSide);
        ns.ExecChecked($"ip link set {tap.Name} mtu 4000 && ip neigh replace {StackAddress} lladdr {tap.MacAddress} dev {tap.Name} nud permanent");
        ns.ExecChecked($"ping -c 1 -W 1 -s 3000 {StackAddress} || true; ping -c 1 -W 1 -s 100 {StackAddress} || true");

        byte[] buffer = new byte[tap.MaxFrameSize];
        Assert.That(tap.TryReceive(buffer, out int length), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(length, Is.EqualTo(14 + 20 + 8 + 100), "Ethernet + IPv4 + ICMP echo header + 100 data bytes");
            Assert.That(tap.DroppedFrames, Is.EqualTo(1));
            Assert.That(tap.ReceivedFrames, Is.EqualTo(1));
        });
    }

    [Test]
    public void ShortFrame_IsPaddedToTheEthernetMinimum()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        TapNic tap = ns.AddTap(KernelSide);
        byte[] frame = new byte[42];
        MacAddress.Broadcast.Write(frame);
        tap.MacAddress.Write(frame.AsSpan(6));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x88B5); // IEEE 802 local experimental EtherType

        Assert.That(tap.TryTransmit(frame), Is.True);

        string rxBytes = ns.ExecChecked($"cat /sys/class/net/{tap.Name}/statistics/rx_bytes").StandardOutput.Trim();
        Assert.That(rxBytes, Is.EqualTo("60"));
    }

    [Test]
    public void DeletingTheDevice_TakesTheLinkDownAndFiresTheWakeUp()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        TapNic tap = ns.AddTap(KernelSide);
        using var linkChanged = new ManualResetEventSlim();
        using var woken = new ManualResetEventSlim();
        tap.LinkStateChanged += (_, _) => linkChanged.Set();
        tap.ArmWakeUp(woken.Set);

        ns.ExecChecked($"ip link delete {tap.Name}");

        Assert.That(linkChanged.Wait(Patience), Is.True, "LinkStateChanged was not raised");
        Assert.Multiple(() =>
        {
            Assert.That(woken.Wait(Patience), Is.True, "the wake-up did not fire");
            Assert.That(tap.IsLinkUp, Is.False);
            Assert.That(tap.TryReceive(new byte[tap.MaxFrameSize], out _), Is.False);
            Assert.That(tap.TryTransmit(new byte[60]), Is.True, "a frame sent without a link is dropped, not held back");
            Assert.That(tap.DroppedFrames, Is.EqualTo(1));
        });
    }

    [Test]
    public void Dispose_StopsTheArmedWakeUpThreadAndTakesTheLinkDown()
    {
        using NetworkNamespace ns = NetworkNamespace.Create();
        TapNic tap = ns.AddTap(KernelSide);
        tap.ArmWakeUp(() => { });
        var elapsed = Stopwatch.StartNew();
        tap.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(elapsed.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
            Assert.That(tap.IsLinkUp, Is.False);
            Assert.That(() => tap.TryReceive(new byte[tap.MaxFrameSize], out _), Throws.TypeOf<ObjectDisposedException>());
        });
    }

    [Test]
    public void Open_AttachesToAPersistentTapCreatedByIpTuntap()
    {
        InteropEnvironment.RequireNetworkNamespaces();
        string name = $"sqp{Environment.ProcessId}";
        HostCommand.RunChecked("ip", "tuntap", "add", "dev", name, "mode", "tap");
        try
        {
            using (TapNic tap = TapNic.Open(name))
                Assert.That(tap.Name, Is.EqualTo(name));
            Assert.That(HostCommand.Run("ip", ["link", "show", name]).ExitCode, Is.Zero, "a persistent device outlives the NIC");
        }
        finally
        {
            HostCommand.Run("ip", ["tuntap", "del", "dev", name, "mode", "tap"]);
        }
    }

    [Test]
    public void Open_WithoutNetAdmin_SaysToRunAsRootOrPrecreateTheDevice()
    {
        InteropEnvironment.RequireNetworkNamespaces();
        string name = $"sqn{Environment.ProcessId}";
        Exception? failure = null;
        ThreadCapabilities.RunWithoutNetAdmin(() => failure = Assert.Catch(() => TapNic.Open(name).Dispose()));
        Assert.That(failure, Is.TypeOf<UnauthorizedAccessException>()
            .With.Message.Contains("Run as root")
            .And.Message.Contains($"ip tuntap add dev {name} mode tap user $USER"));
    }

    [Test]
    public void Open_OfAnInterfaceThatIsNotATap_SaysWhatToFix()
    {
        InteropEnvironment.RequireNetworkNamespaces();
        Assert.That(() => TapNic.Open("lo"), Throws.TypeOf<IOException>().With.Message.Contains("not a single-queue TAP device"));
    }

    /// <summary>Receives frames, sleeping on the wake-up between them, until one matches.</summary>
    /// <summary>
    /// With offload, the kernel leaves the checksum of a segment from its own TCP to the reader (NEEDS_CSUM): the TAP
    /// vouches for the SYN's checksum and hands it over as it came, the field holding only the pseudo-header sum; the
    /// SYN's retransmission, read without asking for vouching, has its checksum completed, valid.
    /// </summary>
    [Test]
    public void KernelTcpSegment_WithOffload_IsVouchedForUnchecked_OrCompletedWhenNotAskedTo()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("socat");
        TapNic tap = ns.AddTap(KernelSide, receiveOffload: true);
        ns.ExecChecked($"ip neigh add {StackAddress} lladdr {tap.MacAddress} dev {tap.Name} nud permanent");
        ns.Start($"socat -T 10 - TCP4:{StackAddress}:4444,connect-timeout=10");
        bool checksumVouched = false;
        byte[] vouched = ReceiveFirst(tap, IsTcpSyn, (Span<byte> into, out int length) => tap.TryReceive(into, out length, out checksumVouched));
        Assert.That(checksumVouched, Is.True, "the SYN's checksum vouched for");
        Assert.That(TcpSegment.TryParse(vouched.AsSpan(34), out TcpSegment syn, out _), Is.True);
        Assert.That(syn.VerifyChecksum(KernelSide.Address, StackAddress), Is.False, "the field holds the pseudo-header sum only");

        byte[] completed = ReceiveFirst(tap, IsTcpSyn);
        Assert.That(TcpSegment.TryParse(completed.AsSpan(34), out TcpSegment again, out _), Is.True);
        Assert.That(again.VerifyChecksum(KernelSide.Address, StackAddress), Is.True);
    }

    private static bool IsTcpSyn(byte[] frame) =>
        EtherType(frame) == EtherTypeIpv4 && frame[14 + 9] == (byte)IpProtocol.Tcp && ((TcpFlags)frame[34 + 13] & TcpFlags.Syn) != 0;

    private delegate bool FrameReceiver(Span<byte> buffer, out int length);

    private static byte[] ReceiveFirst(TapNic tap, Func<byte[], bool> match, FrameReceiver? receive = null)
    {
        receive ??= tap.TryReceive;
        byte[] buffer = new byte[tap.MaxReceiveFrameSize];
        using var woken = new ManualResetEventSlim();
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < Patience)
        {
            while (receive(buffer, out int length))
            {
                if (match(buffer[..length]))
                    return buffer[..length];
            }
            woken.Reset();
            tap.ArmWakeUp(woken.Set);
            woken.Wait(Patience - elapsed.Elapsed);
        }
        Assert.Fail($"No matching frame within {Patience.TotalSeconds} s ({tap.ReceivedFrames} frames received).");
        return [];
    }

    private static ushort EtherType(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);

    private static bool IsArp(ReadOnlySpan<byte> frame, ushort operation, Ipv4Address target) =>
        frame.Length >= 42 && EtherType(frame) == EtherTypeArp && BinaryPrimitives.ReadUInt16BigEndian(frame[20..]) == operation && Ipv4Address.Read(frame[38..]) == target;

    // RFC 826: ar$hrd=1 (Ethernet), ar$pro=0x0800, ar$hln=6, ar$pln=4, ar$op, ar$sha, ar$spa, ar$tha, ar$tpa.
    private static byte[] BuildArpReply(MacAddress sender, Ipv4Address senderAddress, MacAddress target, Ipv4Address targetAddress)
    {
        byte[] frame = new byte[42];
        target.Write(frame);
        sender.Write(frame.AsSpan(6));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), EtherTypeArp);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), 1);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), EtherTypeIpv4);
        frame[18] = 6;
        frame[19] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(20), ArpReply);
        sender.Write(frame.AsSpan(22));
        senderAddress.Write(frame.AsSpan(28));
        target.Write(frame.AsSpan(32));
        targetAddress.Write(frame.AsSpan(38));
        return frame;
    }
}
