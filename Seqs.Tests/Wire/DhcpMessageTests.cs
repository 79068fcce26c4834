using Seqs.Wire;

namespace Seqs.Tests.Wire;

/// <summary>
/// DHCP messages (RFC 2131 §2) on vectors written out by hand from RFC 2131 Figure 1 and RFC 2132, octet by octet,
/// and rebuilt by <see cref="DhcpMessageWriter"/>.
/// </summary>
public sealed class DhcpMessageTests
{
    private static readonly MacAddress Chaddr = new(0x02_00_00_00_00_2a);

    /// <summary>A DHCPACK: xid 0x3903f326, secs 3, broadcast flag, ciaddr 0, yiaddr 192.168.1.100, siaddr
    /// 192.168.1.1, giaddr 0, chaddr 02:00:00:00:00:2a; options 53=5, 54=192.168.1.1, 51=86400, 1=/24, 3, 6 (two), End.</summary>
    private static byte[] Ack()
    {
        var bytes = new byte[300];
        byte[] header = Convert.FromHexString(
            "02010600" + "3903f326" + "0003" + "8000" + "00000000" + "c0a80164" + "c0a80101" + "00000000" + "02000000002a");
        header.CopyTo(bytes, 0);
        byte[] options = Convert.FromHexString(
            "63825363" + "350105" + "3604c0a80101" + "330400015180" + "0104ffffff00" + "0304c0a80101" + "0608c0a80101c0a80102" + "ff");
        options.CopyTo(bytes, 236);
        return bytes;
    }

    [Test]
    public void Ack_DeconstructsEveryField()
    {
        Assert.That(DhcpMessage.TryParse(Ack(), out DhcpMessage ack, out WireRejection rejection), Is.True, rejection.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ack.Operation, Is.EqualTo(DhcpOperation.BootReply));
            Assert.That(ack.HardwareType, Is.EqualTo(1));
            Assert.That(ack.HardwareAddressLength, Is.EqualTo(6));
            Assert.That(ack.Hops, Is.Zero);
            Assert.That(ack.TransactionId, Is.EqualTo(0x3903f326));
            Assert.That(ack.Seconds, Is.EqualTo(3));
            Assert.That(ack.IsBroadcast, Is.True);
            Assert.That(ack.ClientAddress, Is.EqualTo(Ipv4Address.Any));
            Assert.That(ack.YourAddress, Is.EqualTo(new Ipv4Address(192, 168, 1, 100)));
            Assert.That(ack.ServerAddress, Is.EqualTo(new Ipv4Address(192, 168, 1, 1)));
            Assert.That(ack.RelayAgentAddress, Is.EqualTo(Ipv4Address.Any));
            Assert.That(ack.ClientHardwareAddress, Is.EqualTo(Chaddr));
            Assert.That(ack.MessageType, Is.EqualTo(DhcpMessageType.Ack));
            Assert.That(ack.TryGetAddress(DhcpOptionCode.ServerIdentifier, out Ipv4Address server) ? server : default, Is.EqualTo(new Ipv4Address(192, 168, 1, 1)));
            Assert.That(ack.TryGetUInt32(DhcpOptionCode.IpAddressLeaseTime, out uint lease) ? lease : 0, Is.EqualTo(86400));
            Assert.That(ack.TryGetAddress(DhcpOptionCode.SubnetMask, out Ipv4Address mask) ? mask : default, Is.EqualTo(new Ipv4Address(255, 255, 255, 0)));
            Assert.That(ack.TryGetOption(DhcpOptionCode.DomainNameServer, out ReadOnlySpan<byte> dns) ? dns.Length : 0, Is.EqualTo(8));
            Assert.That(ack.HasOption(DhcpOptionCode.DomainName), Is.False);
            Assert.That(ack.ToString(), Is.EqualTo("DHCP Ack xid 0x3903f326 chaddr 02:00:00:00:00:2a ciaddr 0.0.0.0 yiaddr 192.168.1.100"));
        }
    }

    [Test]
    public void Ack_IsRebuiltByTheWriter()
    {
        var bytes = new byte[400];
        var writer = new DhcpMessageWriter(bytes, DhcpOperation.BootReply, DhcpMessageType.Ack, 0x3903f326, Chaddr);
        writer.SetSeconds(3);
        writer.SetFlags(DhcpMessage.BroadcastFlag);
        writer.SetYourAddress(new Ipv4Address(192, 168, 1, 100));
        writer.SetServerAddress(new Ipv4Address(192, 168, 1, 1));
        writer.WriteAddress(DhcpOptionCode.ServerIdentifier, new Ipv4Address(192, 168, 1, 1));
        writer.WriteUInt32(DhcpOptionCode.IpAddressLeaseTime, 86400);
        writer.WriteAddress(DhcpOptionCode.SubnetMask, new Ipv4Address(255, 255, 255, 0));
        writer.WriteAddresses(DhcpOptionCode.Router, [new Ipv4Address(192, 168, 1, 1)]);
        writer.WriteAddresses(DhcpOptionCode.DomainNameServer, [new Ipv4Address(192, 168, 1, 1), new Ipv4Address(192, 168, 1, 2)]);
        int length = writer.Finish();

        Assert.That(length, Is.EqualTo(300));
        Assert.That(bytes[..length], Is.EqualTo(Ack()));
    }

    [Test]
    public void OptionOverload_ReadsOptionsFromFileAndSname()
    {
        byte[] bytes = Ack();
        // Option 52 = 3 replaces End; 'file' holds the domain name, 'sname' T1.
        Convert.FromHexString("340103ff").CopyTo(bytes, 236 + 4 + 3 + 6 + 6 + 6 + 6 + 10);
        Convert.FromHexString("0f046c616e31ff").CopyTo(bytes, 108);
        Convert.FromHexString("3a0400000e10ff").CopyTo(bytes, 44);

        Assert.That(DhcpMessage.TryParse(bytes, out DhcpMessage ack, out WireRejection rejection), Is.True, rejection.ToString());
        Assert.That(ack.TryGetOption(DhcpOptionCode.DomainName, out ReadOnlySpan<byte> domain) ? domain.ToArray() : null, Is.EqualTo("lan1"u8.ToArray()));
        Assert.That(ack.TryGetUInt32(DhcpOptionCode.RenewalTime, out uint t1) ? t1 : 0, Is.EqualTo(3600));
    }

    [TestCase(0, 239, WireRejection.Truncated, TestName = "MessageShorterThanTheCookie_IsTruncated")]
    [TestCase(236, 0x64, WireRejection.BadMagicCookie, TestName = "WrongCookie_IsRejected")]
    [TestCase(1, 6, WireRejection.UnsupportedHardwareAddress, TestName = "IeeeTokenRingHtype_IsRejected")]
    [TestCase(2, 16, WireRejection.UnsupportedHardwareAddress, TestName = "SixteenOctetHlen_IsRejected")]
    [TestCase(241, 2, WireRejection.BadDhcpOption, TestName = "MessageTypeOfTwoOctets_IsRejected")]
    [TestCase(244, 200, WireRejection.BadDhcpOption, TestName = "OptionRunningPastThePacket_IsRejected")]
    [TestCase(242, 0, WireRejection.BadMessageType, TestName = "MessageTypeZero_IsRejected")]
    [TestCase(242, 1, WireRejection.BadMessageType, TestName = "DiscoverSentAsBootReply_IsRejected")]
    [TestCase(0, 3, WireRejection.BadMessageType, TestName = "UnknownOp_IsRejected")]
    [TestCase(250, 3, WireRejection.BadDhcpOption, TestName = "LeaseTimeOfThreeOctets_IsRejected")]
    public void MalformedMessage_IsRejectedWithItsReason(int offset, int value, WireRejection expected)
    {
        byte[] bytes = Ack();
        if (expected == WireRejection.Truncated)
            bytes = bytes[..value];
        else
            bytes[offset] = (byte)value;

        Assert.That(DhcpMessage.TryParse(bytes, out _, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(expected));
        Assert.That(new DhcpMessage(bytes).ToString(), Does.StartWith("DHCP (malformed: "));
    }

    [Test]
    public void MissingEnd_IsRejected()
    {
        byte[] bytes = Ack()[..(236 + 4 + 3 + 6 + 6 + 6 + 6 + 10)];

        Assert.That(DhcpMessage.TryParse(bytes, out _, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(WireRejection.MissingEndOption));
    }

    [Test]
    public void MissingMessageType_IsRejected()
    {
        byte[] bytes = Ack();
        bytes[240] = 0;
        bytes[241] = 0;
        bytes[242] = 0;

        Assert.That(DhcpMessage.TryParse(bytes, out _, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(WireRejection.BadMessageType));
    }

    [Test]
    public void RandomAndMutatedMessages_NeverThrow()
    {
        var random = new Random(21);
        byte[] seed = Ack();
        int parsed = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = (byte[])seed.Clone();
            int flips = random.Next(1, 6);
            for (int f = 0; f < flips; f++)
                bytes[random.Next(i % 2 == 0 ? 236 : 0, bytes.Length)] = (byte)random.Next(256);
            if (random.Next(4) == 0)
                bytes = bytes[..random.Next(bytes.Length)];
            if (DhcpMessage.TryParse(bytes, out DhcpMessage message, out _))
            {
                parsed++;
                _ = message.ToString();
                foreach (DhcpOptionCode code in Enum.GetValues<DhcpOptionCode>())
                {
                    message.TryGetOption(code, out _);
                    message.TryGetAddress(code, out _);
                    message.TryGetUInt32(code, out _);
                }
            }
            _ = new DhcpMessage(bytes).ToString();
        }
        Assert.That(parsed, Is.GreaterThan(1000));
    }

    [Test]
    public void WriterRefusesAnOptionBeyondTheBuffer()
    {
        var bytes = new byte[300];
        Assert.Throws<ArgumentException>(() =>
        {
            var writer = new DhcpMessageWriter(bytes, DhcpOperation.BootRequest, DhcpMessageType.Discover, 1, Chaddr);
            writer.Write(DhcpOptionCode.HostName, new byte[60]);
        });
    }
}
