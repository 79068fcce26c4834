using Seqs.Wire;

namespace Seqs.Tests.Wire;

public sealed class UdpDatagramTests
{
    [Test]
    public void CapturedDatagram_DeconstructsEveryField()
    {
        byte[] bytes = CapturedFrames.TransportOf(CapturedFrames.Udp);
        Assert.That(UdpDatagram.TryParse(bytes, out UdpDatagram udp, out WireRejection rejection), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rejection, Is.EqualTo(WireRejection.None));
            Assert.That(udp.SourcePort, Is.EqualTo(36753));
            Assert.That(udp.DestinationPort, Is.EqualTo(7777));
            Assert.That(udp.Length, Is.EqualTo(18));
            Assert.That(udp.Checksum, Is.EqualTo(0x1209));
            Assert.That(udp.Payload.ToArray(), Is.EqualTo("hello seqs"u8.ToArray()));
            Assert.That(udp.VerifyChecksum(CapturedFrames.HostAIp, CapturedFrames.HostBIp), Is.True);
            Assert.That(udp.ToString(), Is.EqualTo("UDP 36753 > 7777 len 18"));
        }
    }

    [Test]
    public void CapturedDatagram_IsRebuiltByWriter()
    {
        var datagram = new byte[18];
        "hello seqs"u8.CopyTo(datagram.AsSpan(8));
        int written = UdpDatagram.WriteHeader(datagram, 36753, 7777, 10, CapturedFrames.HostAIp, CapturedFrames.HostBIp);
        Assert.That(written, Is.EqualTo(18));
        Assert.That(datagram, Is.EqualTo(CapturedFrames.TransportOf(CapturedFrames.Udp)));
    }

    [Test]
    public void WrongPseudoHeader_FailsChecksum()
    {
        Assert.That(UdpDatagram.TryParse(CapturedFrames.TransportOf(CapturedFrames.Udp), out UdpDatagram udp, out _), Is.True);
        Assert.That(udp.VerifyChecksum(CapturedFrames.HostAIp, CapturedFrames.RouterIp), Is.False);
    }

    [Test]
    public void CorruptedPayload_FailsChecksum()
    {
        byte[] bytes = CapturedFrames.TransportOf(CapturedFrames.Udp);
        bytes[^1] ^= 0x20;
        Assert.That(UdpDatagram.TryParse(bytes, out UdpDatagram udp, out _), Is.True);
        Assert.That(udp.VerifyChecksum(CapturedFrames.HostAIp, CapturedFrames.HostBIp), Is.False);
    }

    [Test]
    public void ZeroChecksum_MeansNoneSentAndVerifies()
    {
        byte[] bytes = CapturedFrames.TransportOf(CapturedFrames.Udp);
        bytes[6] = bytes[7] = 0;
        bytes[^1] ^= 0x20;
        Assert.That(UdpDatagram.TryParse(bytes, out UdpDatagram udp, out _), Is.True);
        Assert.That(udp.VerifyChecksum(CapturedFrames.HostAIp, CapturedFrames.HostBIp), Is.True);
    }

    [Test]
    public void ComputedZeroChecksum_IsSentAsAllOnes()
    {
        // Payload chosen so that the sum over pseudo-header, header and payload is 0xFFFF: find the
        // complement word by writing once with a zero payload word.
        var datagram = new byte[10];
        UdpDatagram.WriteHeader(datagram, 1, 2, 2, CapturedFrames.HostAIp, CapturedFrames.HostBIp);
        ushort first = (ushort)(datagram[6] << 8 | datagram[7]);
        datagram[8] = (byte)(first >> 8);
        datagram[9] = (byte)first;
        UdpDatagram.WriteHeader(datagram, 1, 2, 2, CapturedFrames.HostAIp, CapturedFrames.HostBIp);
        Assert.That(datagram[6..8], Is.EqualTo(new byte[] { 0xFF, 0xFF }));
        Assert.That(UdpDatagram.TryParse(datagram, out UdpDatagram udp, out _), Is.True);
        Assert.That(udp.VerifyChecksum(CapturedFrames.HostAIp, CapturedFrames.HostBIp), Is.True);
    }

    [Test]
    public void OctetsPastLength_AreIgnored()
    {
        byte[] bytes = [.. CapturedFrames.TransportOf(CapturedFrames.Udp), 0xEE, 0xEE];
        Assert.That(UdpDatagram.TryParse(bytes, out UdpDatagram udp, out _), Is.True);
        Assert.That(udp.Payload.ToArray(), Is.EqualTo("hello seqs"u8.ToArray()));
        Assert.That(udp.VerifyChecksum(CapturedFrames.HostAIp, CapturedFrames.HostBIp), Is.True);
    }

    [TestCase(0)]
    [TestCase(7)]
    public void ShorterThanHeader_IsTruncated(int length) =>
        AssertRejected(CapturedFrames.TransportOf(CapturedFrames.Udp)[..length], WireRejection.Truncated);

    [TestCase(0)]
    [TestCase(7)]
    public void LengthBelowHeader_IsRejected(byte length)
    {
        byte[] bytes = CapturedFrames.TransportOf(CapturedFrames.Udp);
        bytes[5] = length;
        AssertRejected(bytes, WireRejection.BadLength);
    }

    [Test]
    public void LengthPastReceivedOctets_IsRejected() =>
        AssertRejected(CapturedFrames.TransportOf(CapturedFrames.Udp)[..17], WireRejection.BadLength);

    [Test]
    public void WriterGivenShortBuffer_Throws() =>
        Assert.That(() => UdpDatagram.WriteHeader(new byte[17], 1, 2, 10, CapturedFrames.HostAIp, CapturedFrames.HostBIp),
            Throws.ArgumentException);

    private static void AssertRejected(byte[] bytes, WireRejection expected)
    {
        Assert.That(UdpDatagram.TryParse(bytes, out _, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(expected));
        Assert.That(new UdpDatagram(bytes).ToString(), Does.Contain(expected.ToString()));
    }
}
