using Seqs.Wire;

namespace Seqs.Tests.Wire;

/// <summary>
/// The receive path must never throw: every TryParse, every accessor after a successful parse, and every ToString,
/// over random and mutated input. Seeded, so a failure reproduces.
/// </summary>
public sealed class WireFuzzTests
{
    private const int Iterations = 20_000;

    private static readonly byte[][] Seeds =
    [
        CapturedFrames.ArpRequest, CapturedFrames.ArpReply, CapturedFrames.ArpRequestVlan5, CapturedFrames.EchoRequest,
        CapturedFrames.EchoReply, CapturedFrames.TimeExceeded, CapturedFrames.NetUnreachable, CapturedFrames.Udp,
        CapturedFrames.PortUnreachable, CapturedFrames.TcpSyn, CapturedFrames.TcpData, CapturedFrames.TcpSack,
    ];

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void RandomAndMutatedFrames_NeverThrow(int seed)
    {
        var random = new Random(seed);
        int parsed = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] frame = i % 4 == 0 ? RandomBytes(random) : Mutate(random, Seeds[random.Next(Seeds.Length)]);
            try
            {
                parsed += ParseEverything(frame);
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i} threw on {Convert.ToHexString(frame)}: {e}");
            }
        }
        // Mutations keep many frames valid, so the accessors really run.
        Assert.That(parsed, Is.GreaterThan(Iterations / 4));
    }

    [Test]
    public void RandomOptionLists_NeverThrow()
    {
        var random = new Random(4);
        for (int i = 0; i < Iterations; i++)
        {
            var list = new byte[random.Next(0, 41)];
            random.NextBytes(list);
            // Bias towards the known kinds so that the length checks are reached.
            for (int j = 0; j < list.Length; j += random.Next(1, 6))
                list[j] = (byte)random.Next(0, 10);
            if (TcpOptions.TryParse(list, out TcpOptions options, out _))
                Touch(options);
            _ = options.ToString();
        }
    }

    private static int ParseEverything(byte[] frame)
    {
        int parsed = 0;
        if (EthernetFrame.TryParse(frame, out EthernetFrame ethernet, out _))
        {
            parsed++;
            _ = (ethernet.Destination, ethernet.Source, ethernet.EtherType, ethernet.HasVlanTag, ethernet.VlanId,
                ethernet.VlanPriority, ethernet.PayloadOffset, ethernet.Payload.Length);
        }
        _ = ethernet.ToString();
        _ = new EthernetFrame(frame).ToString();

        // Each inner parser sees the untagged and tagged payloads and the whole frame, valid or not.
        for (int offset = 0; offset <= 38 && offset <= frame.Length; offset += offset == 0 ? 14 : offset == 14 ? 4 : 20)
        {
            ReadOnlySpan<byte> bytes = frame.AsSpan(offset);
            parsed += ParseLayers(bytes);
        }
        return parsed;
    }

    private static int ParseLayers(ReadOnlySpan<byte> bytes)
    {
        int parsed = 0;
        if (ArpPacket.TryParse(bytes, out ArpPacket arp, out _))
        {
            parsed++;
            _ = (arp.HardwareType, arp.ProtocolType, arp.HardwareAddressLength, arp.ProtocolAddressLength, arp.Operation,
                arp.SenderHardwareAddress, arp.SenderProtocolAddress, arp.TargetHardwareAddress, arp.TargetProtocolAddress);
        }
        _ = arp.ToString();
        _ = new ArpPacket(bytes).ToString();

        ReadOnlySpan<byte> transport = bytes;
        Ipv4Address source = default, destination = default;
        if (Ipv4Packet.TryParse(bytes, out Ipv4Packet ip, out _))
        {
            (source, destination) = (ip.SourceAddress, ip.DestinationAddress);
            parsed++;
            _ = (ip.Version, ip.HeaderLength, ip.DifferentiatedServices, ip.TotalLength, ip.Identification, ip.DontFragment,
                ip.MoreFragments, ip.FragmentOffset, ip.IsFragment, ip.TimeToLive, ip.Protocol, ip.HeaderChecksum,
                ip.SourceAddress, ip.DestinationAddress, ip.Options.Length, ip.Datagram.Length);
            transport = ip.Payload;
        }
        _ = ip.ToString();
        _ = new Ipv4Packet(bytes).ToString();

        if (IcmpMessage.TryParse(transport, out IcmpMessage icmp, out _))
        {
            parsed++;
            _ = (icmp.Type, icmp.Code, icmp.Checksum, icmp.RestOfHeader, icmp.Identifier, icmp.SequenceNumber, icmp.Pointer,
                icmp.NextHopMtu, icmp.IsError, icmp.Data.Length);
            _ = IcmpMessage.QuotedLength(icmp.Data);
        }
        _ = icmp.ToString();
        _ = new IcmpMessage(transport).ToString();

        if (UdpDatagram.TryParse(transport, out UdpDatagram udp, out _))
        {
            parsed++;
            _ = (udp.SourcePort, udp.DestinationPort, udp.Length, udp.Checksum, udp.Payload.Length,
                udp.VerifyChecksum(source, destination));
        }
        _ = udp.ToString();
        _ = new UdpDatagram(transport).ToString();

        if (TcpSegment.TryParse(transport, out TcpSegment tcp, out _))
        {
            parsed++;
            _ = (tcp.SourcePort, tcp.DestinationPort, tcp.SequenceNumber, tcp.AcknowledgmentNumber, tcp.DataOffset,
                tcp.HeaderLength, tcp.Reserved, tcp.Flags, tcp.WindowSize, tcp.Checksum, tcp.UrgentPointer,
                tcp.Options.Length, tcp.Payload.Length, tcp.VerifyChecksum(source, destination));
            Touch(tcp.ParsedOptions);
        }
        _ = tcp.ToString();
        _ = new TcpSegment(transport).ToString();
        return parsed;
    }

    private static void Touch(TcpOptions options)
    {
        _ = (options.MaximumSegmentSize, options.WindowScale, options.SackPermitted, options.HasTimestamps,
            options.TimestampValue, options.TimestampEchoReply);
        for (int i = 0; i < options.SackBlockCount; i++)
            _ = options.GetSackBlock(i);
        _ = options.ToString();
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 130)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        byte[] bytes = random.Next(4) switch
        {
            0 => seed[..random.Next(0, seed.Length + 1)],
            1 => [.. seed, .. RandomBytes(random)],
            _ => (byte[])seed.Clone(),
        };
        int flips = random.Next(0, 4);
        for (int i = 0; i < flips && bytes.Length > 0; i++)
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        return bytes;
    }
}
