using Seqs.Wire;

namespace Seqs.Tests.Wire;

public sealed class Ipv4PacketTests
{
    [Test]
    public void CapturedEchoRequest_DeconstructsEveryField()
    {
        byte[] bytes = CapturedFrames.Ipv4Of(CapturedFrames.EchoRequest);
        Assert.That(Ipv4Packet.TryParse(bytes, out Ipv4Packet packet, out WireRejection rejection), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rejection, Is.EqualTo(WireRejection.None));
            Assert.That(packet.Version, Is.EqualTo(4));
            Assert.That(packet.HeaderLength, Is.EqualTo(20));
            Assert.That(packet.DifferentiatedServices, Is.Zero);
            Assert.That(packet.TotalLength, Is.EqualTo(52));
            Assert.That(packet.Identification, Is.EqualTo(0xc85a));
            Assert.That(packet.DontFragment, Is.True);
            Assert.That(packet.MoreFragments, Is.False);
            Assert.That(packet.FragmentOffset, Is.Zero);
            Assert.That(packet.IsFragment, Is.False);
            Assert.That(packet.TimeToLive, Is.EqualTo(64));
            Assert.That(packet.Protocol, Is.EqualTo(IpProtocol.Icmp));
            Assert.That(packet.HeaderChecksum, Is.EqualTo(0x5c6c));
            Assert.That(packet.SourceAddress, Is.EqualTo(CapturedFrames.HostAIp));
            Assert.That(packet.DestinationAddress, Is.EqualTo(CapturedFrames.RouterIp));
            Assert.That(packet.Options.IsEmpty, Is.True);
            Assert.That(packet.Payload.ToArray(), Is.EqualTo(bytes[20..]));
            Assert.That(packet.ToString(), Is.EqualTo("IPv4 10.0.1.2 > 10.0.1.1 Icmp ttl 64 id 51290 DF len 52"));
        }
    }

    [Test]
    public void CapturedTimeExceeded_CarriesDifferentiatedServices()
    {
        Assert.That(Ipv4Packet.TryParse(CapturedFrames.Ipv4Of(CapturedFrames.TimeExceeded), out Ipv4Packet packet, out _), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(packet.DifferentiatedServices, Is.EqualTo(0xc0)); // CS6, as Linux marks ICMP errors
            Assert.That(packet.DontFragment, Is.False);
            Assert.That(packet.TotalLength, Is.EqualTo(112));
        }
    }

    [Test]
    public void CapturedHeaders_AreRebuiltByWriter()
    {
        byte[] request = CapturedFrames.Ipv4Of(CapturedFrames.EchoRequest);
        var header = new byte[20];
        int written = Ipv4Packet.WriteHeader(header, CapturedFrames.HostAIp, CapturedFrames.RouterIp, IpProtocol.Icmp,
            payloadLength: 32, identification: 0xc85a, timeToLive: 64, dontFragment: true);
        Assert.That(written, Is.EqualTo(Ipv4Packet.MinHeaderLength));
        Assert.That(header, Is.EqualTo(request[..20]));

        Ipv4Packet.WriteHeader(header, CapturedFrames.RouterIp, CapturedFrames.HostAIp, IpProtocol.Icmp,
            payloadLength: 32, identification: 0x4722, timeToLive: 64, dontFragment: false);
        Assert.That(header, Is.EqualTo(CapturedFrames.Ipv4Of(CapturedFrames.EchoReply)[..20]));

        Ipv4Packet.WriteHeader(header, CapturedFrames.RouterIp, CapturedFrames.HostAIp, IpProtocol.Icmp,
            payloadLength: 92, identification: 0x4723, timeToLive: 64, dontFragment: false, differentiatedServices: 0xc0);
        Assert.That(header, Is.EqualTo(CapturedFrames.Ipv4Of(CapturedFrames.TimeExceeded)[..20]));
    }

    [Test]
    public void LinkPaddingPastTotalLength_IsExcludedFromPayload()
    {
        // A 38-octet UDP datagram fills a minimum Ethernet frame only with 8 octets of padding.
        byte[] padded = [.. CapturedFrames.Ipv4Of(CapturedFrames.Udp), .. new byte[8]];
        Assert.That(Ipv4Packet.TryParse(padded, out Ipv4Packet packet, out _), Is.True);
        Assert.That(packet.Payload.Length, Is.EqualTo(18));
        Assert.That(packet.Datagram.Length, Is.EqualTo(38));
    }

    [Test]
    public void HeaderWithOptions_ExposesThemAndPayloadAfterThem()
    {
        // Echo request header grown to IHL 6 with a one-word option list (NOP NOP NOP EOL).
        byte[] original = CapturedFrames.Ipv4Of(CapturedFrames.EchoRequest);
        byte[] bytes = [.. original[..20], 1, 1, 1, 0, .. original[20..]];
        bytes[0] = 0x46;
        bytes[3] = 56;
        Rechecksum(bytes);
        Assert.That(Ipv4Packet.TryParse(bytes, out Ipv4Packet packet, out _), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(packet.HeaderLength, Is.EqualTo(24));
            Assert.That(packet.Options.ToArray(), Is.EqualTo(new byte[] { 1, 1, 1, 0 }));
            Assert.That(packet.Payload.ToArray(), Is.EqualTo(original[20..]));
        }
    }

    [TestCase(0x20, 0x00, true, false, 0)] // MF, first fragment
    [TestCase(0x00, 0xB9, false, false, 1480)] // last fragment at offset 185 × 8
    [TestCase(0x20, 0xB9, true, false, 1480)]
    [TestCase(0x40, 0x00, false, true, 0)]
    public void FragmentFields_AreDecoded(byte high, byte low, bool moreFragments, bool dontFragment, int offset)
    {
        byte[] bytes = CapturedFrames.Ipv4Of(CapturedFrames.Udp);
        bytes[6] = high;
        bytes[7] = low;
        Rechecksum(bytes);
        Assert.That(Ipv4Packet.TryParse(bytes, out Ipv4Packet packet, out _), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(packet.MoreFragments, Is.EqualTo(moreFragments));
            Assert.That(packet.DontFragment, Is.EqualTo(dontFragment));
            Assert.That(packet.FragmentOffset, Is.EqualTo(offset));
            Assert.That(packet.IsFragment, Is.EqualTo(moreFragments || offset != 0));
        }
    }

    [TestCase(0)]
    [TestCase(19)]
    public void ShorterThanMinimumHeader_IsTruncated(int length) =>
        AssertRejected(CapturedFrames.Ipv4Of(CapturedFrames.Udp)[..length], WireRejection.Truncated);

    [TestCase(0x65)] // IPv6's version number in an IPv4 EtherType frame
    [TestCase(0x05)]
    public void VersionOtherThanFour_IsRejected(byte versionIhl) =>
        AssertRejected(WithByte(0, versionIhl), WireRejection.BadVersion);

    [TestCase(0x40)]
    [TestCase(0x44)]
    public void IhlBelowFive_IsRejected(byte versionIhl) =>
        AssertRejected(WithByte(0, versionIhl), WireRejection.BadHeaderLength);

    [Test]
    public void IhlPastReceivedOctets_IsTruncated()
    {
        byte[] bytes = CapturedFrames.Ipv4Of(CapturedFrames.Udp)[..24];
        bytes[0] = 0x47; // 28 octets of header in 24 received
        AssertRejected(bytes, WireRejection.Truncated);
    }

    [Test]
    public void TotalLengthPastReceivedOctets_IsRejected() =>
        AssertRejected(CapturedFrames.Ipv4Of(CapturedFrames.Udp)[..37], WireRejection.BadTotalLength);

    [Test]
    public void TotalLengthBelowHeaderLength_IsRejected() =>
        AssertRejected(WithByte(3, 19), WireRejection.BadTotalLength);

    [Test]
    public void CorruptedHeader_FailsChecksum()
    {
        byte[] bytes = WithByte(8, 63); // TTL changed in flight without updating the checksum
        AssertRejected(bytes, WireRejection.BadChecksum);
        Assert.That(new Ipv4Packet(bytes).ToString(), Does.EndWith("bad-checksum"));
    }

    [Test]
    public void WriterGivenOversizedPayload_Throws() =>
        Assert.That(() => Ipv4Packet.WriteHeader(new byte[20], CapturedFrames.HostAIp, CapturedFrames.RouterIp, IpProtocol.Udp,
            payloadLength: 65516, identification: 0, timeToLive: 64, dontFragment: true), Throws.InstanceOf<ArgumentOutOfRangeException>());

    private static byte[] WithByte(int offset, byte value)
    {
        byte[] bytes = CapturedFrames.Ipv4Of(CapturedFrames.Udp);
        bytes[offset] = value;
        if (offset != 8)
            Rechecksum(bytes);
        return bytes;
    }

    private static void Rechecksum(byte[] packet)
    {
        int headerLength = Math.Max(20, (packet[0] & 0x0F) * 4);
        packet[10] = packet[11] = 0;
        ushort checksum = InternetChecksum.Compute(packet.AsSpan(0, Math.Min(headerLength, packet.Length)));
        packet[10] = (byte)(checksum >> 8);
        packet[11] = (byte)checksum;
    }

    private static void AssertRejected(byte[] bytes, WireRejection expected)
    {
        Assert.That(Ipv4Packet.TryParse(bytes, out _, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(expected));
        if (expected != WireRejection.BadChecksum)
            Assert.That(new Ipv4Packet(bytes).ToString(), Does.Contain(expected.ToString()));
    }
}
