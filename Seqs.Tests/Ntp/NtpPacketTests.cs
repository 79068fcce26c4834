using Seqs.Wire;

namespace Seqs.Tests.Ntp;

public sealed class NtpPacketTests
{
    /// <summary>
    /// A stratum-2 server reply laid out per RFC 5905 §7.3: LI 0, VN 4, mode 4; poll 6, precision −23; root delay
    /// 0x00000a3d (≈ 0.04 s), root dispersion 0x00000ccc (≈ 0.05 s); reference ID 192.0.2.123; then the
    /// reference, origin, receive and transmit timestamps.
    /// </summary>
    private static readonly byte[] ServerReply = Convert.FromHexString(
        "24" + "02" + "06" + "e9" + "00000a3d" + "00000ccc" + "c000027b" +
        "e9a1b2c300000000" + "e9a1b2d080000000" + "e9a1b2d090000000" + "e9a1b2d0a0000000");

    [Test]
    public void ServerReply_DeconstructsEveryField()
    {
        Assert.That(NtpPacket.TryParse(ServerReply, out NtpPacket packet, out WireRejection rejection), Is.True, rejection.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(packet.LeapIndicator, Is.EqualTo(NtpLeapIndicator.NoWarning));
            Assert.That(packet.Version, Is.EqualTo(4));
            Assert.That(packet.Mode, Is.EqualTo(NtpMode.Server));
            Assert.That(packet.Stratum, Is.EqualTo(2));
            Assert.That(packet.Poll, Is.EqualTo(6));
            Assert.That(packet.Precision, Is.EqualTo(-23));
            Assert.That(packet.RootDelay.TotalSeconds, Is.EqualTo(0.04).Within(0.0001));
            Assert.That(packet.RootDispersion.TotalSeconds, Is.EqualTo(0.05).Within(0.0001));
            Assert.That(packet.ReferenceId, Is.EqualTo(0xC000027B));
            Assert.That(packet.OriginTimestamp.Value, Is.EqualTo(0xe9a1b2d080000000));
            Assert.That(packet.ReceiveTimestamp.Fraction, Is.EqualTo(0x90000000));
            Assert.That(packet.TransmitTimestamp.Seconds, Is.EqualTo(0xe9a1b2d0));
        }
    }

    [Test]
    public void ServerReply_IsRebuiltByWrite()
    {
        var buffer = new byte[NtpPacket.Length];
        var header = new NtpPacketHeader(NtpLeapIndicator.NoWarning, 4, NtpMode.Server, 2, 6, -23, 0x0a3d, 0x0ccc, 0xC000027B);
        NtpPacket.Write(buffer, header, new NtpTimestamp(0xe9a1b2c300000000), new NtpTimestamp(0xe9a1b2d080000000),
            new NtpTimestamp(0xe9a1b2d090000000), new NtpTimestamp(0xe9a1b2d0a0000000));
        Assert.That(buffer, Is.EqualTo(ServerReply));
    }

    [Test]
    public void ClientRequest_IsVersion4Mode3WithOnlyTheTransmitTimestamp()
    {
        var buffer = new byte[NtpPacket.Length];
        NtpPacket.WriteClientRequest(buffer, new NtpTimestamp(0x0102030405060708));
        Assert.That(buffer[0], Is.EqualTo(0x23));
        Assert.That(buffer.AsSpan(1, 39).ToArray(), Is.All.Zero);
        Assert.That(Convert.ToHexString(buffer, 40, 8), Is.EqualTo("0102030405060708"));
    }

    [TestCase(47, WireRejection.Truncated)]
    [TestCase(0, WireRejection.Truncated)]
    public void ShortPackets_AreTruncated(int length, WireRejection expected)
    {
        Assert.That(NtpPacket.TryParse(ServerReply.AsSpan(0, length), out NtpPacket packet, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(expected));
        Assert.That(packet.ToString(), Is.Not.Null);
    }

    [TestCase(0x04)]
    [TestCase(0x2C)]
    [TestCase(0x3C)]
    public void VersionOutside1To4_IsRejected(byte firstOctet)
    {
        byte[] bytes = ServerReply.ToArray();
        bytes[0] = firstOctet;
        Assert.That(NtpPacket.TryParse(bytes, out _, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(WireRejection.BadVersion));
    }

    [Test]
    public void KissOfDeath_CarriesItsCodeInTheReferenceId()
    {
        byte[] bytes = ServerReply.ToArray();
        bytes[1] = 0;
        "RATE"u8.CopyTo(bytes.AsSpan(12));
        Assert.That(NtpPacket.TryParse(bytes, out NtpPacket packet, out _), Is.True);
        Assert.That(packet.KissCode, Is.EqualTo(NtpKissCode.Rate));
    }

    [Test]
    public void Timestamp_RoundTripsInEra0()
    {
        var time = new DateTimeOffset(2024, 5, 17, 12, 34, 56, 789, TimeSpan.Zero).AddTicks(1234);
        var ntp = NtpTimestamp.FromDateTimeOffset(time);
        Assert.That(ntp.Seconds, Is.EqualTo((uint)(time - new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds));
        Assert.That((ntp.ToDateTimeOffset() - time).Duration(), Is.LessThanOrEqualTo(TimeSpan.FromTicks(1)));
    }

    [Test]
    public void Timestamp_After2036_IsInEra1()
    {
        var time = new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ntp = NtpTimestamp.FromDateTimeOffset(time);
        Assert.That(ntp.Seconds & 0x8000_0000, Is.Zero);
        Assert.That(ntp.ToDateTimeOffset(), Is.EqualTo(time));
    }

    [Test]
    public void Difference_IsSignedAndCorrectAcrossTheEraBoundary()
    {
        var before = new DateTimeOffset(2036, 2, 7, 6, 28, 15, TimeSpan.Zero);
        NtpTimestamp a = NtpTimestamp.FromDateTimeOffset(before);
        NtpTimestamp b = NtpTimestamp.FromDateTimeOffset(before.AddSeconds(2.5));
        Assert.That(b - a, Is.EqualTo(TimeSpan.FromSeconds(2.5)).Within(TimeSpan.FromTicks(1)));
        Assert.That(a - b, Is.EqualTo(TimeSpan.FromSeconds(-2.5)).Within(TimeSpan.FromTicks(1)));
    }

    [Test]
    public void RandomInput_NeverThrows()
    {
        var random = new Random(9);
        var buffer = new byte[60];
        for (int i = 0; i < 10_000; i++)
        {
            int length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            NtpPacket.TryParse(buffer.AsSpan(0, length), out NtpPacket packet, out _);
            _ = packet.ToString();
        }
    }
}
