using Seqs.Wire;

namespace Seqs.Tests.Wire;

public sealed class ArpPacketTests
{
    private static byte[] Request => CapturedFrames.ArpRequest[14..];

    [Test]
    public void CapturedRequest_DeconstructsEveryField()
    {
        Assert.That(ArpPacket.TryParse(Request, out ArpPacket arp, out WireRejection rejection), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rejection, Is.EqualTo(WireRejection.None));
            Assert.That(arp.HardwareType, Is.EqualTo(1));
            Assert.That(arp.ProtocolType, Is.EqualTo(EtherType.Ipv4));
            Assert.That(arp.HardwareAddressLength, Is.EqualTo(6));
            Assert.That(arp.ProtocolAddressLength, Is.EqualTo(4));
            Assert.That(arp.Operation, Is.EqualTo(ArpOperation.Request));
            Assert.That(arp.SenderHardwareAddress, Is.EqualTo(CapturedFrames.HostA));
            Assert.That(arp.SenderProtocolAddress, Is.EqualTo(CapturedFrames.HostAIp));
            Assert.That(arp.TargetHardwareAddress, Is.EqualTo(MacAddress.Zero));
            Assert.That(arp.TargetProtocolAddress, Is.EqualTo(CapturedFrames.RouterIp));
            Assert.That(arp.ToString(), Is.EqualTo("ARP request who-has 10.0.1.1 tell 10.0.1.2 (02:00:00:00:00:0a)"));
        }
    }

    [Test]
    public void CapturedReply_DeconstructsEveryField()
    {
        Assert.That(ArpPacket.TryParse(CapturedFrames.ArpReply.AsSpan(14), out ArpPacket arp, out _), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(arp.Operation, Is.EqualTo(ArpOperation.Reply));
            Assert.That(arp.SenderHardwareAddress, Is.EqualTo(CapturedFrames.RouterA));
            Assert.That(arp.SenderProtocolAddress, Is.EqualTo(CapturedFrames.RouterIp));
            Assert.That(arp.TargetHardwareAddress, Is.EqualTo(CapturedFrames.HostA));
            Assert.That(arp.TargetProtocolAddress, Is.EqualTo(CapturedFrames.HostAIp));
            Assert.That(arp.ToString(), Is.EqualTo("ARP reply 10.0.1.1 is-at 02:00:00:00:00:1a to 10.0.1.2 (02:00:00:00:00:0a)"));
        }
    }

    [Test]
    public void CapturedRequestAndReply_AreRebuiltByWriter()
    {
        var frame = new byte[42];
        int header = EthernetFrame.WriteHeader(frame, MacAddress.Broadcast, CapturedFrames.HostA, EtherType.Arp);
        int length = ArpPacket.Write(frame.AsSpan(header), ArpOperation.Request, CapturedFrames.HostA, CapturedFrames.HostAIp,
            MacAddress.Zero, CapturedFrames.RouterIp);
        Assert.That(length, Is.EqualTo(ArpPacket.Length));
        Assert.That(frame, Is.EqualTo(CapturedFrames.ArpRequest));

        header = EthernetFrame.WriteHeader(frame, CapturedFrames.HostA, CapturedFrames.RouterA, EtherType.Arp);
        ArpPacket.Write(frame.AsSpan(header), ArpOperation.Reply, CapturedFrames.RouterA, CapturedFrames.RouterIp,
            CapturedFrames.HostA, CapturedFrames.HostAIp);
        Assert.That(frame, Is.EqualTo(CapturedFrames.ArpReply));
    }

    [Test]
    public void EthernetPaddingAfterPacket_IsIgnored()
    {
        byte[] padded = [.. Request, .. new byte[18]];
        Assert.That(ArpPacket.TryParse(padded, out ArpPacket arp, out _), Is.True);
        Assert.That(arp.TargetProtocolAddress, Is.EqualTo(CapturedFrames.RouterIp));
    }

    [TestCase(0)]
    [TestCase(27)]
    public void ShortPacket_IsTruncated(int length) =>
        AssertRejected(Request[..length], WireRejection.Truncated);

    [TestCase(1, 6, WireRejection.UnsupportedHardwareType)] // ar$hrd 6, IEEE 802 networks (RFC 1042)
    [TestCase(2, 0x86, WireRejection.UnsupportedProtocolType)] // ar$pro 0x8600
    [TestCase(4, 8, WireRejection.BadAddressLength)] // ar$hln 8
    [TestCase(5, 16, WireRejection.BadAddressLength)] // ar$pln 16, an IPv6 size
    [TestCase(7, 3, WireRejection.UnknownOperation)] // RARP request (RFC 903)
    [TestCase(7, 0, WireRejection.UnknownOperation)]
    public void UnsupportedField_IsRejected(int offset, byte value, WireRejection expected)
    {
        byte[] bytes = Request;
        bytes[offset] = value;
        AssertRejected(bytes, expected);
    }

    [Test]
    public void WriterGivenShortBuffer_Throws() =>
        Assert.That(() => ArpPacket.Write(new byte[27], ArpOperation.Request, CapturedFrames.HostA, CapturedFrames.HostAIp,
            MacAddress.Zero, CapturedFrames.RouterIp), Throws.ArgumentException);

    private static void AssertRejected(byte[] bytes, WireRejection expected)
    {
        Assert.That(ArpPacket.TryParse(bytes, out _, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(expected));
        Assert.That(new ArpPacket(bytes).ToString(), Does.Contain(expected.ToString()));
    }
}
