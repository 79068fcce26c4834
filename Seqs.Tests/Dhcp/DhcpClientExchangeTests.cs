using System.Buffers.Binary;
using Seqs.Dhcp;
using Seqs.Wire;

namespace Seqs.Tests.Dhcp;

/// <summary>The client's answers to single messages, including hostile ones, which it ignores and counts.</summary>
public sealed class DhcpClientExchangeTests
{
    [Test]
    public void Discover_CarriesClientIdentifierHostNameAndParameterList()
    {
        using var server = new ScriptedDhcpServer(c => c.HostName = "probe-me");
        var frames = new List<byte[]>();
        server.Simulation.FrameDelivered += (_, nic, frame) => frames.Add(frame.ToArray());
        server.Client.Start();
        server.Simulation.RunFor(TimeSpan.Zero);

        Assert.That(DhcpMessage.TryParse(frames[^1].AsSpan(ScriptedDhcpServer.DhcpOffset), out DhcpMessage discover, out _), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(discover.MessageType, Is.EqualTo(DhcpMessageType.Discover));
            Assert.That(discover.ClientHardwareAddress, Is.EqualTo(ScriptedDhcpServer.ClientMac));
            Assert.That(discover.TryGetOption(DhcpOptionCode.ClientIdentifier, out ReadOnlySpan<byte> id) ? id.ToArray() : null, Is.EqualTo(new byte[] { 1, 2, 0, 0, 0, 9, 2 }));
            Assert.That(discover.TryGetOption(DhcpOptionCode.HostName, out ReadOnlySpan<byte> name) ? name.ToArray() : null, Is.EqualTo("probe-me"u8.ToArray()));
            Assert.That(discover.HasOption(DhcpOptionCode.ParameterRequestList), Is.True);
            Assert.That(discover.TryGetUInt16(DhcpOptionCode.MaximumMessageSize, out ushort size) ? size : 0, Is.EqualTo(576));
            Assert.That(frames[^1].Length - ScriptedDhcpServer.DhcpOffset, Is.EqualTo(DhcpMessageWriter.MinimumLength));
        }
    }

    [Test]
    public void OfferThenAck_BindsTheClient()
    {
        using var server = new ScriptedDhcpServer();
        server.Bind();

        Assert.That(server.Client.State, Is.EqualTo(DhcpClientState.Bound));
        Assert.That(server.Stack.Address, Is.EqualTo(new Ipv4Cidr(ScriptedDhcpServer.LeasedAddress, 24)));
        Assert.That(server.LastMessageType, Is.EqualTo(DhcpMessageType.Request));
    }

    [Test]
    public void OfferWithAnotherTransactionId_IsIgnoredAndCounted()
    {
        using var server = new ScriptedDhcpServer();
        server.StartSelecting();
        byte[] offer = server.Offer;
        BinaryPrimitives.WriteUInt32BigEndian(offer.AsSpan(ScriptedDhcpServer.DhcpOffset + 4), server.LastTransactionId + 1);

        server.Send(offer);

        Assert.That(server.Client.Counters.WrongTransaction, Is.EqualTo(1));
        Assert.That(server.Client.State, Is.EqualTo(DhcpClientState.Selecting));
    }

    [Test]
    public void AckWhileSelecting_IsIgnoredAndCounted()
    {
        using var server = new ScriptedDhcpServer();
        server.StartSelecting();

        server.Answer(server.Ack);

        Assert.That(server.Client.Counters.Unexpected, Is.EqualTo(1));
        Assert.That(server.Client.State, Is.EqualTo(DhcpClientState.Selecting));
    }

    [Test]
    public void OfferWithoutServerIdentifier_IsIgnored()
    {
        using var server = new ScriptedDhcpServer();
        byte[] message = new byte[300];
        var writer = new DhcpMessageWriter(message, DhcpOperation.BootReply, DhcpMessageType.Offer, 0, ScriptedDhcpServer.ClientMac);
        writer.SetYourAddress(ScriptedDhcpServer.LeasedAddress);
        byte[] offer = ScriptedDhcpServer.Frame(message.AsSpan(0, writer.Finish()));
        server.StartSelecting();

        server.Answer(offer);

        Assert.That(server.Client.Counters.Unexpected, Is.EqualTo(1));
        Assert.That(server.Client.State, Is.EqualTo(DhcpClientState.Selecting));
    }

    [TestCase(new byte[] { 255, 255, 255, 255 }, TestName = "OfferOfTheBroadcastAddress_IsIgnored")]
    [TestCase(new byte[] { 127, 0, 0, 1 }, TestName = "OfferOfALoopbackAddress_IsIgnored")]
    [TestCase(new byte[] { 224, 0, 0, 1 }, TestName = "OfferOfAMulticastAddress_IsIgnored")]
    [TestCase(new byte[] { 0, 0, 0, 0 }, TestName = "OfferOfNoAddress_IsIgnored")]
    public void OfferOfAnUnusableAddress_IsIgnored(byte[] address)
    {
        using var server = new ScriptedDhcpServer();
        byte[] offer = (byte[])server.Offer.Clone();
        address.CopyTo(offer, ScriptedDhcpServer.DhcpOffset + 16);
        server.StartSelecting();

        server.Answer(offer);

        Assert.That(server.Client.Counters.Unexpected, Is.EqualTo(1));
        Assert.That(server.Client.State, Is.EqualTo(DhcpClientState.Selecting));
    }

    [TestCaseSource(nameof(HostileMessages))]
    public void HostileMessage_IsIgnoredAndCountedAsMalformed(byte[] dhcp)
    {
        using var server = new ScriptedDhcpServer();
        server.StartSelecting();

        server.Send(ScriptedDhcpServer.Frame(dhcp));

        Assert.That(server.Client.Counters.Malformed, Is.EqualTo(1));
        Assert.That(server.Client.State, Is.EqualTo(DhcpClientState.Selecting));
        Assert.That(server.Stack.Counters.InternalErrors, Is.Zero);
    }

    [Test]
    public void NakWhileRenewing_RemovesTheAddress_RaisesLost_AndStartsOver()
    {
        using var server = new ScriptedDhcpServer();
        server.Bind();
        int lost = 0;
        server.Client.Lost += (_, _) => lost++;
        server.Simulation.RunUntil(() => server.Client.State == DhcpClientState.Renewing, TimeSpan.FromHours(1));
        server.Drain();

        server.Answer(server.Nak);

        Assert.That(lost, Is.EqualTo(1));
        Assert.That(server.Stack.Address, Is.Null);
        Assert.That(server.Client.State, Is.EqualTo(DhcpClientState.Selecting));
    }

    [Test]
    public void ServerTimesOutOfOrder_FallBackToRfcDefaults()
    {
        using var server = new ScriptedDhcpServer();
        server.StartRequesting();

        server.Answer(ScriptedDhcpServer.Reply(DhcpMessageType.Ack, (ref DhcpMessageWriter w) =>
        {
            w.WriteUInt32(DhcpOptionCode.RenewalTime, 4000);
            w.WriteUInt32(DhcpOptionCode.RebindingTime, 100);
        }));

        DhcpClientLease lease = server.Client.Lease!.Value;
        Assert.That(lease.RenewalTime, Is.EqualTo(TimeSpan.FromMinutes(30)));
        Assert.That(lease.RebindingTime, Is.EqualTo(TimeSpan.FromMinutes(52.5)));
    }

    [Test]
    public void ZeroSecondLease_IsStretchedToTheMinimum_SoTheClientCannotSpin()
    {
        using var server = new ScriptedDhcpServer();
        server.StartRequesting();

        server.Answer(ScriptedDhcpServer.Reply(DhcpMessageType.Ack, leaseSeconds: 0));

        Assert.That(server.Client.Lease!.Value.LeaseTime, Is.EqualTo(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public void DomainNameWithControlCharacters_IsDropped()
    {
        using var server = new ScriptedDhcpServer();
        server.StartRequesting();

        server.Answer(ScriptedDhcpServer.Reply(DhcpMessageType.Ack, (ref DhcpMessageWriter w) => w.Write(DhcpOptionCode.DomainName, "evil\nname"u8)));

        Assert.That(server.Client.State, Is.EqualTo(DhcpClientState.Bound));
        Assert.That(server.Client.Lease!.Value.DomainName, Is.Null);
    }

    [Test]
    public void DiscoverRetransmissions_BackOffFrom4To64Seconds_WithinOneSecond()
    {
        using var server = new ScriptedDhcpServer();
        var sentAt = new List<TimeSpan>();
        server.Simulation.FrameDelivered += (time, nic, _) =>
        {
            if (nic == server.Peer)
                sentAt.Add(time);
        };
        server.Client.Start();

        server.Simulation.RunFor(TimeSpan.FromSeconds(4 + 8 + 16 + 32 + 64 + 64 + 6));

        double[] gaps = sentAt.Zip(sentAt.Skip(1), (a, b) => (b - a).TotalSeconds).ToArray();
        Assert.That(gaps, Has.Length.EqualTo(6));
        double[] nominal = [4, 8, 16, 32, 64, 64];
        for (int i = 0; i < gaps.Length; i++)
            Assert.That(gaps[i], Is.EqualTo(nominal[i]).Within(1.0), $"retransmission {i + 1}");
    }

    private static IEnumerable<TestCaseData> HostileMessages()
    {
        byte[] valid = Valid();
        yield return new TestCaseData(valid[..239]).SetName("TruncatedBeforeTheCookie_IsMalformed");
        byte[] cookie = Valid();
        cookie[236] = 0;
        yield return new TestCaseData(cookie).SetName("WrongMagicCookie_IsMalformed");
        byte[] beyond = Valid();
        beyond[241] = 250;
        yield return new TestCaseData(beyond).SetName("OptionLengthBeyondThePacket_IsMalformed");
        byte[] noEnd = Valid();
        Array.Fill(noEnd, (byte)0, 243, noEnd.Length - 243);
        yield return new TestCaseData(noEnd).SetName("MissingEndOption_IsMalformed");
        byte[] type9 = Valid();
        type9[242] = 9;
        yield return new TestCaseData(type9).SetName("UnknownMessageType_IsMalformed");
        byte[] request = Valid();
        request[0] = (byte)DhcpOperation.BootRequest;
        yield return new TestCaseData(request).SetName("OfferInABootRequest_IsMalformed");
        byte[] htype = Valid();
        htype[1] = 6;
        yield return new TestCaseData(htype).SetName("TokenRingHardware_IsMalformed");
        byte[] mask = new byte[300];
        var writer = new DhcpMessageWriter(mask, DhcpOperation.BootReply, DhcpMessageType.Offer, 0, ScriptedDhcpServer.ClientMac);
        writer.Write(DhcpOptionCode.SubnetMask, [255, 255, 255]);
        writer.Finish();
        yield return new TestCaseData(mask).SetName("ThreeOctetSubnetMask_IsMalformed");
    }

    private static byte[] Valid()
    {
        var message = new byte[300];
        var writer = new DhcpMessageWriter(message, DhcpOperation.BootReply, DhcpMessageType.Offer, 0, ScriptedDhcpServer.ClientMac);
        writer.WriteAddress(DhcpOptionCode.ServerIdentifier, ScriptedDhcpServer.ServerAddress);
        writer.Finish();
        return message;
    }
}
