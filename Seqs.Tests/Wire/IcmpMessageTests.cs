using Seqs.Wire;

namespace Seqs.Tests.Wire;

public sealed class IcmpMessageTests
{
    [Test]
    public void CapturedEchoRequest_DeconstructsEveryField()
    {
        byte[] bytes = CapturedFrames.TransportOf(CapturedFrames.EchoRequest);
        Assert.That(IcmpMessage.TryParse(bytes, out IcmpMessage message, out WireRejection rejection), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rejection, Is.EqualTo(WireRejection.None));
            Assert.That(message.Type, Is.EqualTo(IcmpType.EchoRequest));
            Assert.That(message.Code, Is.Zero);
            Assert.That(message.Checksum, Is.EqualTo(0xab66));
            Assert.That(message.Identifier, Is.EqualTo(0x1a26));
            Assert.That(message.SequenceNumber, Is.EqualTo(1));
            Assert.That(message.RestOfHeader, Is.EqualTo(0x1a26_0001u));
            Assert.That(message.IsError, Is.False);
            // ping's 8-octet timeval, then the -p pattern "SeqsSeqs" filling -s 24.
            Assert.That(message.Data.Length, Is.EqualTo(24));
            Assert.That(message.Data[^8..].ToArray(), Is.EqualTo("SeqsSeqs"u8.ToArray()));
            Assert.That(message.ToString(), Is.EqualTo("ICMP EchoRequest id 6694 seq 1 data 24"));
        }
    }

    [Test]
    public void CapturedEchoReply_IsRebuiltByWriter()
    {
        byte[] reply = CapturedFrames.TransportOf(CapturedFrames.EchoReply);
        var message = new byte[reply.Length];
        int written = IcmpMessage.WriteEcho(message, IcmpType.EchoReply, 0x1a26, 1, reply[8..]);
        Assert.That(written, Is.EqualTo(32));
        Assert.That(message, Is.EqualTo(reply));
    }

    [Test]
    public void EchoRequestTurnedIntoReplyInPlace_MatchesCapturedReply()
    {
        byte[] message = CapturedFrames.TransportOf(CapturedFrames.EchoRequest);
        Assert.That(IcmpMessage.TryParse(message, out IcmpMessage request, out _), Is.True);
        int written = IcmpMessage.WriteEcho(message, IcmpType.EchoReply, request.Identifier, request.SequenceNumber, message.AsSpan(8));
        Assert.That(message.AsSpan(0, written).ToArray(), Is.EqualTo(CapturedFrames.TransportOf(CapturedFrames.EchoReply)));
    }

    [Test]
    public void EchoDataOverlappingHeader_IsMovedIntact()
    {
        byte[] buffer = new byte[40];
        for (int i = 0; i < buffer.Length; i++)
            buffer[i] = (byte)i;
        byte[] expected = buffer[4..36];
        IcmpMessage.WriteEcho(buffer, IcmpType.EchoRequest, 1, 2, buffer.AsSpan(4, 32));
        Assert.That(buffer[8..40], Is.EqualTo(expected));
    }

    [Test]
    public void CapturedTimeExceeded_DeconstructsQuotedDatagram()
    {
        byte[] bytes = CapturedFrames.TransportOf(CapturedFrames.TimeExceeded);
        Assert.That(IcmpMessage.TryParse(bytes, out IcmpMessage message, out _), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(message.Type, Is.EqualTo(IcmpType.TimeExceeded));
            Assert.That(message.Code, Is.EqualTo((byte)IcmpTimeExceededCode.TimeToLiveExceededInTransit));
            Assert.That(message.Checksum, Is.EqualTo(0xf4ff));
            Assert.That(message.RestOfHeader, Is.Zero);
            Assert.That(message.IsError, Is.True);
            Assert.That(message.Data.ToArray(), Is.EqualTo(CapturedFrames.Ipv4Of(CapturedFrames.EchoRequestTtl1)));
            Assert.That(message.ToString(), Is.EqualTo("ICMP TimeExceeded code 0 data 84"));
        }
    }

    [Test]
    public void CapturedTimeExceeded_IsRebuiltByWriter()
    {
        var message = new byte[600];
        int written = IcmpMessage.WriteTimeExceeded(message, (byte)IcmpTimeExceededCode.TimeToLiveExceededInTransit,
            CapturedFrames.Ipv4Of(CapturedFrames.EchoRequestTtl1));
        Assert.That(message[..written], Is.EqualTo(CapturedFrames.TransportOf(CapturedFrames.TimeExceeded)));
    }

    [Test]
    public void CapturedPortUnreachable_DeconstructsQuotedDatagram()
    {
        Assert.That(IcmpMessage.TryParse(CapturedFrames.TransportOf(CapturedFrames.PortUnreachable), out IcmpMessage message, out _), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(message.Type, Is.EqualTo(IcmpType.DestinationUnreachable));
            Assert.That(message.Code, Is.EqualTo((byte)IcmpUnreachableCode.PortUnreachable));
            Assert.That(Ipv4Packet.TryParse(message.Data, out Ipv4Packet quoted, out _), Is.True);
            Assert.That(quoted.Protocol, Is.EqualTo(IpProtocol.Udp));
            Assert.That(UdpDatagram.TryParse(quoted.Payload, out UdpDatagram udp, out _), Is.True);
            Assert.That(udp.DestinationPort, Is.EqualTo(7778));
        }
    }

    [Test]
    public void CapturedUnreachables_AreRebuiltByWriter()
    {
        // B quotes the datagram as it arrived, after R decremented its TTL to 63.
        byte[] arrived = CapturedFrames.TransportOf(CapturedFrames.PortUnreachable)[8..];
        var message = new byte[600];
        int written = IcmpMessage.WriteDestinationUnreachable(message, (byte)IcmpUnreachableCode.PortUnreachable, arrived);
        Assert.That(message[..written], Is.EqualTo(CapturedFrames.TransportOf(CapturedFrames.PortUnreachable)));

        written = IcmpMessage.WriteDestinationUnreachable(message, (byte)IcmpUnreachableCode.NetUnreachable,
            CapturedFrames.TransportOf(CapturedFrames.NetUnreachable)[8..]);
        Assert.That(message[..written], Is.EqualTo(CapturedFrames.TransportOf(CapturedFrames.NetUnreachable)));
    }

    [Test]
    public void ErrorForLargeDatagram_FitsIn576OctetDatagram()
    {
        byte[] large = new byte[1500];
        Ipv4Packet.WriteHeader(large, CapturedFrames.HostAIp, CapturedFrames.HostBIp, IpProtocol.Udp, 1480, 1, 64, true);
        var message = new byte[1600];
        int written = IcmpMessage.WriteDestinationUnreachable(message, (byte)IcmpUnreachableCode.PortUnreachable, large);
        Assert.That(written + Ipv4Packet.MinHeaderLength, Is.EqualTo(576));
        Assert.That(message.AsSpan(8, 20).ToArray(), Is.EqualTo(large[..20]));
    }

    [Test]
    public void ErrorQuote_ExcludesLinkPadding()
    {
        byte[] padded = [.. CapturedFrames.Ipv4Of(CapturedFrames.UdpToClosedPort), .. new byte[8]];
        var message = new byte[100];
        int written = IcmpMessage.WriteDestinationUnreachable(message, 3, padded);
        Assert.That(written, Is.EqualTo(8 + 38));
    }

    [Test]
    public void FragmentationNeeded_CarriesNextHopMtu()
    {
        var message = new byte[100];
        int written = IcmpMessage.WriteFragmentationNeeded(message, 1400, CapturedFrames.Ipv4Of(CapturedFrames.Udp));
        Assert.That(IcmpMessage.TryParse(message.AsSpan(0, written), out IcmpMessage parsed, out _), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed.Code, Is.EqualTo((byte)IcmpUnreachableCode.FragmentationNeeded));
            Assert.That(parsed.NextHopMtu, Is.EqualTo(1400));
        }
    }

    [TestCase(0)]
    [TestCase(7)]
    public void ShorterThanHeader_IsTruncated(int length)
    {
        Assert.That(IcmpMessage.TryParse(CapturedFrames.TransportOf(CapturedFrames.EchoRequest)[..length], out _, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(WireRejection.Truncated));
    }

    [TestCase(2)] // the checksum itself
    [TestCase(31)] // the last data octet
    public void CorruptedMessage_FailsChecksum(int offset)
    {
        byte[] bytes = CapturedFrames.TransportOf(CapturedFrames.EchoRequest);
        bytes[offset] ^= 0x01;
        Assert.That(IcmpMessage.TryParse(bytes, out _, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(WireRejection.BadChecksum));
        Assert.That(new IcmpMessage(bytes).ToString(), Does.EndWith("bad-checksum"));
    }

    [Test]
    public void WriterGivenShortBuffer_Throws() =>
        Assert.That(() => IcmpMessage.WriteEcho(new byte[10], IcmpType.EchoRequest, 1, 1, new byte[3]), Throws.ArgumentException);
}
