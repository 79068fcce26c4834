using Seqs.Wire;

namespace Seqs.Tests.Wire;

public sealed class EthernetFrameTests
{
    [Test]
    public void CapturedArpRequest_DeconstructsEveryField()
    {
        Assert.That(EthernetFrame.TryParse(CapturedFrames.ArpRequest, out EthernetFrame frame, out WireRejection rejection), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rejection, Is.EqualTo(WireRejection.None));
            Assert.That(frame.Destination, Is.EqualTo(MacAddress.Broadcast));
            Assert.That(frame.Source, Is.EqualTo(CapturedFrames.HostA));
            Assert.That(frame.EtherType, Is.EqualTo(EtherType.Arp));
            Assert.That(frame.HasVlanTag, Is.False);
            Assert.That(frame.VlanId, Is.Zero);
            Assert.That(frame.PayloadOffset, Is.EqualTo(EthernetFrame.HeaderLength));
            Assert.That(frame.Payload.ToArray(), Is.EqualTo(CapturedFrames.ArpRequest[14..]));
            Assert.That(frame.ToString(), Is.EqualTo("Ethernet 02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff Arp payload 28"));
        }
    }

    [Test]
    public void CapturedEchoRequestHeader_IsRebuiltByWriter()
    {
        var frame = new byte[EthernetFrame.HeaderLength];
        int written = EthernetFrame.WriteHeader(frame, CapturedFrames.RouterA, CapturedFrames.HostA, EtherType.Ipv4);
        Assert.That(written, Is.EqualTo(14));
        Assert.That(frame, Is.EqualTo(CapturedFrames.EchoRequest[..14]));
    }

    [Test]
    public void VlanTaggedFrame_ExposesTagAndInnerEtherType()
    {
        Assert.That(EthernetFrame.TryParse(CapturedFrames.ArpRequestVlan5, out EthernetFrame frame, out _), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frame.HasVlanTag, Is.True);
            Assert.That(frame.VlanId, Is.EqualTo(5));
            Assert.That(frame.VlanPriority, Is.Zero);
            Assert.That(frame.EtherType, Is.EqualTo(EtherType.Arp));
            Assert.That(frame.PayloadOffset, Is.EqualTo(EthernetFrame.TaggedHeaderLength));
            Assert.That(frame.Payload.ToArray(), Is.EqualTo(CapturedFrames.ArpRequest[14..]));
            Assert.That(frame.ToString(), Does.Contain("vlan 5 Arp"));
        }
    }

    [Test]
    public void VlanTaggedHeader_IsRebuiltByWriter()
    {
        var frame = new byte[EthernetFrame.TaggedHeaderLength];
        int written = EthernetFrame.WriteHeader(frame, MacAddress.Broadcast, CapturedFrames.HostA, EtherType.Arp, vlanId: 5);
        Assert.That(written, Is.EqualTo(18));
        Assert.That(frame, Is.EqualTo(CapturedFrames.ArpRequestVlan5[..18]));
    }

    [TestCase(0)]
    [TestCase(13)]
    public void FrameShorterThanHeader_IsTruncated(int length)
    {
        Assert.That(EthernetFrame.TryParse(CapturedFrames.ArpRequest.AsSpan(0, length), out _, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(WireRejection.Truncated));
    }

    [TestCase(14)]
    [TestCase(17)]
    public void TaggedFrameShorterThanTaggedHeader_IsTruncated(int length)
    {
        Assert.That(EthernetFrame.TryParse(CapturedFrames.ArpRequestVlan5.AsSpan(0, length), out _, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(WireRejection.Truncated));
    }

    [Test]
    public void HeaderOnlyFrame_HasEmptyPayload()
    {
        Assert.That(EthernetFrame.TryParse(CapturedFrames.ArpRequest.AsSpan(0, 14), out EthernetFrame frame, out _), Is.True);
        Assert.That(frame.Payload.IsEmpty, Is.True);
    }

    [Test]
    public void UnknownEtherType_IsLeftForTheStackToJudge()
    {
        byte[] bytes = (byte[])CapturedFrames.ArpRequest.Clone();
        bytes[12] = 0x88;
        bytes[13] = 0xCC; // LLDP
        Assert.That(EthernetFrame.TryParse(bytes, out EthernetFrame frame, out _), Is.True);
        Assert.That((ushort)frame.EtherType, Is.EqualTo(0x88CC));
        Assert.That(frame.ToString(), Does.Contain("0x88cc"));
    }

    [Test]
    public void WriterGivenShortBuffer_Throws() =>
        Assert.That(() => EthernetFrame.WriteHeader(new byte[13], MacAddress.Broadcast, CapturedFrames.HostA, EtherType.Arp),
            Throws.ArgumentException);

    [Test]
    public void DefaultView_PrintsWithoutThrowing() =>
        Assert.That(default(EthernetFrame).ToString(), Is.EqualTo("Ethernet (malformed: Truncated, 0 octets)"));
}
