using Seqs.Dhcp;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Dhcp;

/// <summary>
/// The server's answer to each client message (RFC 2131 §4.3), sent by hand from a bare NIC, including hostile
/// messages, which it ignores and counts. The conflict probe is off here; the simulation tests cover it.
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class DhcpServerExchangeTests : IDisposable
{
    private static readonly MacAddress ClientMac = new(0x02_00_00_00_05_02);
    private static readonly Ipv4Address ServerAddress = new(192, 168, 5, 1);
    private static readonly Ipv4Address First = new(192, 168, 5, 10);

    private readonly NetworkSimulation _simulation = new();
    private readonly VirtualNic _peer = new(ClientMac);
    private readonly NetStack _stack;
    private readonly byte[] _frame = new byte[1514];
    private DhcpServer _server;
    private CancellationTokenSource _stop;

    public DhcpServerExchangeTests()
    {
        var nic = new VirtualNic(new MacAddress(0x02_00_00_00_05_01));
        _simulation.Connect(nic, _peer);
        _stack = new NetStack(_simulation.CreateLoop(), nic, randomSeed: 1);
        _stack.Configure(new Ipv4Cidr(ServerAddress, 24), new Ipv4Address(192, 168, 5, 254));
        (_server, _stop) = StartServer(null, null);
    }

    public void Dispose()
    {
        StopServer();
        _simulation.Dispose();
    }

    /// <summary>The server of these tests: a pool of three, a two-hour lease, no conflict probe, unless <paramref name="configure"/> says otherwise.</summary>
    private (DhcpServer, CancellationTokenSource) StartServer(Action<DhcpServerOptions>? configure, ILeaseStore? store)
    {
        var options = new DhcpServerOptions
        {
            PoolStart = First,
            PoolEnd = new Ipv4Address(192, 168, 5, 12),
            ConflictProbeWait = TimeSpan.Zero,
            LeaseTime = TimeSpan.FromHours(2),
        };
        configure?.Invoke(options);
        var server = new DhcpServer(_stack, options, store);
        var stop = new CancellationTokenSource();
        _ = server.RunAsync(stop.Token);
        _simulation.RunFor(TimeSpan.Zero);
        return (server, stop);
    }

    private void RestartServer(Action<DhcpServerOptions>? configure = null, ILeaseStore? store = null)
    {
        StopServer();
        (_server, _stop) = StartServer(configure, store);
    }

    private void StopServer()
    {
        _stop.Cancel();
        _server.Dispose();
        _simulation.RunFor(TimeSpan.Zero);
        _stop.Dispose();
    }

    [Test]
    public void Discover_GetsAnOfferOfTheFirstPoolAddress_UnicastToTheClient()
    {
        Reply reply = Exchange(Message(DhcpMessageType.Discover, 1))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Type, Is.EqualTo(DhcpMessageType.Offer));
            Assert.That(reply.TransactionId, Is.EqualTo(1));
            Assert.That(reply.YourAddress, Is.EqualTo(First));
            Assert.That(reply.Destination, Is.EqualTo(First));
            Assert.That(reply.DestinationMac, Is.EqualTo(ClientMac));
            Assert.That(reply.LeaseSeconds, Is.EqualTo(7200));
            Assert.That(reply.ServerIdentifier, Is.EqualTo(ServerAddress));
        }
    }

    [Test]
    public void DiscoverWithBroadcastFlag_GetsABroadcastOffer()
    {
        Reply reply = Exchange(Message(DhcpMessageType.Discover, 1, flags: DhcpMessage.BroadcastFlag))!;

        Assert.That(reply.Destination, Is.EqualTo(Ipv4Address.Broadcast));
    }

    [Test]
    public void DiscoverAskingForAShorterLease_GetsIt()
    {
        Reply reply = Exchange(Message(DhcpMessageType.Discover, 1, (ref DhcpMessageWriter w) => w.WriteUInt32(DhcpOptionCode.IpAddressLeaseTime, 600)))!;

        Assert.That(reply.LeaseSeconds, Is.EqualTo(600));
    }

    [Test]
    public void RequestForTheOffer_IsAcknowledged_AndRequestForAnotherAddress_IsRefused()
    {
        Exchange(Message(DhcpMessageType.Discover, 1));

        Reply wrong = Exchange(Message(DhcpMessageType.Request, 1, (ref DhcpMessageWriter w) => SelectingOptions(ref w, new Ipv4Address(192, 168, 5, 11))))!;
        Reply right = Exchange(Message(DhcpMessageType.Request, 1, (ref DhcpMessageWriter w) => SelectingOptions(ref w, First)))!;

        Assert.That(wrong.Type, Is.EqualTo(DhcpMessageType.Nak));
        Assert.That(wrong.Destination, Is.EqualTo(Ipv4Address.Broadcast));
        Assert.That(right.Type, Is.EqualTo(DhcpMessageType.Ack));
        Assert.That(_server.Leases.Single().State, Is.EqualTo(DhcpLeaseState.Bound));
    }

    [Test]
    public void RequestNamingAnotherServer_IsSilent_AndFreesTheOffer()
    {
        Exchange(Message(DhcpMessageType.Discover, 1));

        Reply? reply = Exchange(Message(DhcpMessageType.Request, 1, (ref DhcpMessageWriter w) =>
        {
            w.WriteAddress(DhcpOptionCode.RequestedIpAddress, First);
            w.WriteAddress(DhcpOptionCode.ServerIdentifier, new Ipv4Address(192, 168, 5, 99));
        }));

        Assert.That(reply, Is.Null);
        Assert.That(_server.Leases.Single().State, Is.EqualTo(DhcpLeaseState.Released));
    }

    [Test]
    public void InitRebootFromAnUnknownClient_IsSilent()
    {
        Reply? reply = Exchange(Message(DhcpMessageType.Request, 1, (ref DhcpMessageWriter w) => w.WriteAddress(DhcpOptionCode.RequestedIpAddress, First)));

        Assert.That(reply, Is.Null);
        Assert.That(_server.Counters.Ignored, Is.EqualTo(1));
    }

    [Test]
    public void Renewal_IsAcknowledgedByUnicastToCiaddr()
    {
        Bind();

        Reply reply = Exchange(Message(DhcpMessageType.Request, 2, ciaddr: First))!;

        Assert.That(reply.Type, Is.EqualTo(DhcpMessageType.Ack));
        Assert.That(reply.Destination, Is.EqualTo(First));
        Assert.That(reply.ClientAddress, Is.EqualTo(First));
    }

    [Test]
    public void Decline_TakesTheAddressOutOfThePool()
    {
        Bind();

        Exchange(Message(DhcpMessageType.Decline, 3, (ref DhcpMessageWriter w) => SelectingOptions(ref w, First)));
        // RFC 2131 §3.1 step 5: the client SHOULD wait ten seconds before it starts over.
        _simulation.RunFor(TimeSpan.FromSeconds(10));
        Reply next = Exchange(Message(DhcpMessageType.Discover, 4))!;

        Assert.That(_server.Leases.Single(l => l.Address == First).State, Is.EqualTo(DhcpLeaseState.Declined));
        Assert.That(next.YourAddress, Is.EqualTo(new Ipv4Address(192, 168, 5, 11)));
    }

    [Test]
    public void Release_FreesTheAddress_ButTheClientGetsItBackNextTime()
    {
        Bind();

        Exchange(Message(DhcpMessageType.Release, 3, (ref DhcpMessageWriter w) => w.WriteAddress(DhcpOptionCode.ServerIdentifier, ServerAddress), ciaddr: First));
        Reply next = Exchange(Message(DhcpMessageType.Discover, 4))!;

        Assert.That(_server.Counters.Releases, Is.EqualTo(1));
        Assert.That(next.YourAddress, Is.EqualTo(First));
    }

    [Test]
    public void Inform_GetsTheOptionsWithoutALease()
    {
        var address = new Ipv4Address(192, 168, 5, 77);
        // The informing client has its address and answers ARP; its request to the server teaches the server its MAC.
        _peer.TryTransmit(PeerFrames.Arp(ArpOperation.Request, ClientMac, address, MacAddress.Zero, ServerAddress));

        Reply reply = Exchange(Message(DhcpMessageType.Inform, 5, ciaddr: address))!;

        Assert.That(reply.Type, Is.EqualTo(DhcpMessageType.Ack));
        Assert.That(reply.YourAddress, Is.EqualTo(Ipv4Address.Any));
        Assert.That(reply.LeaseSeconds, Is.Null);
        Assert.That(reply.Destination, Is.EqualTo(address));
    }

    [TestCase(DhcpMessageType.Offer, TestName = "OfferSentToTheServer_IsIgnored")]
    [TestCase(DhcpMessageType.Ack, TestName = "AckSentToTheServer_IsIgnored")]
    public void ServerMessageFromAClient_IsIgnored(DhcpMessageType type)
    {
        var message = new byte[300];
        var writer = new DhcpMessageWriter(message, DhcpOperation.BootReply, type, 1, ClientMac);
        writer.Finish();

        Assert.That(Exchange(message), Is.Null);
        Assert.That(_server.Counters.Ignored, Is.EqualTo(1));
    }

    [Test]
    public void HostileMessages_AreIgnoredAndCounted_NeverThrow()
    {
        var random = new Random(8);
        byte[] valid = Message(DhcpMessageType.Discover, 1);
        int rejected = 0;
        for (int i = 0; i < 500; i++)
        {
            byte[] message = (byte[])valid.Clone();
            for (int f = 0; f < 4; f++)
                message[random.Next(236, message.Length)] = (byte)random.Next(256);
            if (!DhcpMessage.TryParse(message, out _, out _))
                rejected++;
            Exchange(message);
        }

        Assert.That(_server.Counters.Malformed, Is.EqualTo(rejected));
        Assert.That(rejected, Is.GreaterThan(100));
        Assert.That(_server.Counters.Ignored, Is.LessThan(500 - rejected));
    }

    [Test]
    public void ManyClients_NeverShareAnAddress_AndTheFourthGetsNothing()
    {
        var offered = new List<Ipv4Address>();
        for (int i = 0; i < 4; i++)
        {
            // Apart by the new-client limit's interval: a pool of three takes one new client per interval.
            _simulation.RunFor(DhcpServerOptions.DefaultOfferHoldTime);
            var mac = new MacAddress(0x02_00_00_00_06_00UL + (ulong)i);
            if (Exchange(Message(DhcpMessageType.Discover, (uint)i, chaddr: mac)) is not Reply reply)
                continue;
            offered.Add(reply.YourAddress);
            Exchange(Message(DhcpMessageType.Request, (uint)i, (ref DhcpMessageWriter w) => SelectingOptions(ref w, reply.YourAddress), chaddr: mac));
        }

        Assert.That(offered, Is.Unique);
        Assert.That(offered, Has.Count.EqualTo(3));
        Assert.That(_server.Counters.PoolExhausted, Is.EqualTo(1));
    }

    [Test]
    public void Binding_IsWrittenAfterTheAck_OnceForTheWholeExchange()
    {
        var store = new MemoryLeaseStore();
        RestartServer(store: store);

        Bind();
        int writesWhenAcknowledged = store.Saves;
        for (uint xid = 2; xid < 10; xid++)
            Exchange(Message(DhcpMessageType.Request, xid, (ref DhcpMessageWriter w) => SelectingOptions(ref w, First)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_server.Counters.Acks, Is.EqualTo(9));
            Assert.That(writesWhenAcknowledged, Is.Zero, "the ACK goes out before the write");
            Assert.That(WritesAfter(LeaseWriter.Delay, store), Is.EqualTo(1));
            Assert.That(store.Load().Single().State, Is.EqualTo(DhcpLeaseState.Bound));
        }
    }

    [Test]
    public void RenewalsEveryMinute_AreWrittenOncePerLeaseTime()
    {
        var store = new MemoryLeaseStore();
        RestartServer(store: store);
        Bind();

        // Five hours of a client renewing every minute; the lease is two hours.
        for (uint xid = 2; xid <= 301; xid++)
        {
            // Each write ends before virtual time goes on, as it would in real time.
            WritesAfter(TimeSpan.FromMinutes(1), store);
            Exchange(Message(DhcpMessageType.Request, xid, ciaddr: First));
        }

        Assert.That(_server.Counters.Acks, Is.EqualTo(301));
        Assert.That(WritesAfter(LeaseWriter.Delay, store), Is.EqualTo(3), "the binding, then at two and four hours");
    }

    [Test]
    public void Release_IsWritten_ButOffersAreNot()
    {
        var store = new MemoryLeaseStore();
        RestartServer(store: store);
        Bind();
        WritesAfter(LeaseWriter.Delay, store);

        Exchange(Message(DhcpMessageType.Release, 3, (ref DhcpMessageWriter w) => w.WriteAddress(DhcpOptionCode.ServerIdentifier, ServerAddress), ciaddr: First));
        int afterRelease = WritesAfter(LeaseWriter.Delay, store);
        Exchange(Message(DhcpMessageType.Discover, 4, chaddr: new MacAddress(0x02_00_00_00_06_01)));

        Assert.That(afterRelease, Is.EqualTo(2));
        Assert.That(store.Load().Single().State, Is.EqualTo(DhcpLeaseState.Released));
        Assert.That(WritesAfter(LeaseWriter.Delay, store), Is.EqualTo(2));
    }

    [Test]
    public void UnansweredOffer_GivesItsAddressBackAfterTheHoldTime()
    {
        RestartServer(o => o.PoolEnd = new Ipv4Address(192, 168, 5, 29));
        DhcpOptionsWriter askForFirst = (ref DhcpMessageWriter w) => w.WriteAddress(DhcpOptionCode.RequestedIpAddress, First);

        Reply first = Exchange(Message(DhcpMessageType.Discover, 1, chaddr: new MacAddress(0x02_00_00_00_06_01)))!;
        _simulation.RunFor(DhcpServerOptions.DefaultOfferHoldTime / 2);
        Reply whileHeld = Exchange(Message(DhcpMessageType.Discover, 2, askForFirst, chaddr: new MacAddress(0x02_00_00_00_06_02)))!;
        _simulation.RunFor(DhcpServerOptions.DefaultOfferHoldTime / 2);
        Reply afterwards = Exchange(Message(DhcpMessageType.Discover, 3, askForFirst, chaddr: new MacAddress(0x02_00_00_00_06_03)))!;

        Assert.That(first.YourAddress, Is.EqualTo(First));
        Assert.That(whileHeld.YourAddress, Is.Not.EqualTo(First));
        Assert.That(afterwards.YourAddress, Is.EqualTo(First), "the first offer lapsed and its address went back to the pool");
    }

    [Test]
    public void AddressUnderProbe_IsHeldOnlyOnceTheOfferGoesOut_AndNeverProbedForTwoClients()
    {
        RestartServer(o =>
        {
            o.PoolEnd = new Ipv4Address(192, 168, 5, 29);
            o.ConflictProbeWait = TimeSpan.FromMilliseconds(500);
        });

        Reply? whileProbing = Exchange(Message(DhcpMessageType.Discover, 1, chaddr: new MacAddress(0x02_00_00_00_06_01)));
        int heldWhileProbing = _server.Leases.Count;
        Exchange(Message(DhcpMessageType.Discover, 2, chaddr: new MacAddress(0x02_00_00_00_06_02)));
        _simulation.RunFor(TimeSpan.FromSeconds(1));

        Assert.That(whileProbing, Is.Null);
        Assert.That(heldWhileProbing, Is.Zero);
        Assert.That(_server.Counters.Offers, Is.EqualTo(2));
        Assert.That(_server.Leases.Select(l => l.Address), Is.EquivalentTo(new[] { First, new Ipv4Address(192, 168, 5, 11) }));
        Assert.That(_server.Leases.Select(l => l.State), Is.All.EqualTo(DhcpLeaseState.Offered));
    }

    [Test]
    public void RandomClientIdentifiersFromOneHost_GetTheirBurstOfOffers_AndAnotherNewClientStillGetsOne()
    {
        RestartServer(o => o.PoolEnd = new Ipv4Address(192, 168, 5, 29));
        var random = new Random(3);
        var attacker = new MacAddress(0x02_00_00_00_0A_01);

        for (uint xid = 1; xid <= 200; xid++)
            Exchange(Message(DhcpMessageType.Discover, xid, (ref DhcpMessageWriter w) => w.Write(DhcpOptionCode.ClientIdentifier, RandomClientIdentifier(random)), chaddr: attacker));
        Reply? legitimate = Exchange(Message(DhcpMessageType.Discover, 500));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_server.Counters.Offers, Is.EqualTo(1 + NewClientLimit.BurstPerHardwareAddress));
            Assert.That(_server.Counters.NewClientsRefused, Is.EqualTo(200 - NewClientLimit.BurstPerHardwareAddress));
            Assert.That(_server.Counters.PoolExhausted, Is.Zero);
            Assert.That(legitimate?.Type, Is.EqualTo(DhcpMessageType.Offer));
        }
    }

    [Test]
    public void RandomHardwareAddressFlood_HoldsAtMostHalfThePool_AndANewClientGetsAnOfferWithinTheHoldTime()
    {
        RestartServer(o => o.PoolEnd = new Ipv4Address(192, 168, 5, 29));
        var random = new Random(4);
        int mostHeld = 0;

        // 200 forged clients in 20 s, none of which ever sends a DHCPREQUEST.
        for (uint xid = 1; xid <= 200; xid++)
        {
            var mac = new MacAddress(0x02_00_00_00_00_00UL | (ulong)random.NextInt64(1L << 32));
            Exchange(Message(DhcpMessageType.Discover, xid, (ref DhcpMessageWriter w) => w.Write(DhcpOptionCode.ClientIdentifier, RandomClientIdentifier(random)), chaddr: mac));
            _simulation.RunFor(TimeSpan.FromMilliseconds(90));
            DateTimeOffset now = _stack.Loop.TimeProvider.GetUtcNow();
            mostHeld = Math.Max(mostHeld, _server.Leases.Count(l => l.State == DhcpLeaseState.Offered && l.ExpiresAt > now));
        }
        TimeSpan floodEnded = _simulation.Now;
        Reply? legitimate = null;
        while (legitimate is null && _simulation.Now - floodEnded < DhcpServerOptions.DefaultOfferHoldTime)
        {
            // A client retransmitting its DISCOVER, as udhcpc does every 2 to 3 s.
            legitimate = Exchange(Message(DhcpMessageType.Discover, 500));
            _simulation.RunFor(TimeSpan.FromSeconds(2));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(mostHeld, Is.InRange(1, 10));
            Assert.That(_server.Counters.PoolExhausted, Is.Zero);
            Assert.That(_server.Counters.NewClientsRefused, Is.GreaterThan(150));
            Assert.That(legitimate?.Type, Is.EqualTo(DhcpMessageType.Offer));
        }
    }

    [Test]
    public void KnownClient_IsNotLimited_WhileNewClientsAreRefused()
    {
        RestartServer(o => o.PoolEnd = new Ipv4Address(192, 168, 5, 29));
        Bind();
        Exchange(Message(DhcpMessageType.Release, 2, (ref DhcpMessageWriter w) => w.WriteAddress(DhcpOptionCode.ServerIdentifier, ServerAddress), ciaddr: First));
        for (uint xid = 10; xid < 60; xid++)
            Exchange(Message(DhcpMessageType.Discover, xid, chaddr: new MacAddress(0x02_00_00_00_0B_00UL + xid)));
        long refused = _server.Counters.NewClientsRefused;

        Reply? known = Exchange(Message(DhcpMessageType.Discover, 100));

        Assert.That(refused, Is.GreaterThan(40));
        Assert.That(known?.YourAddress, Is.EqualTo(First));
    }

    [Test]
    public void InformFromOffTheSubnet_IsIgnored()
    {
        Reply? reply = Exchange(Message(DhcpMessageType.Inform, 5, ciaddr: new Ipv4Address(10, 9, 9, 9)));

        Assert.That(reply, Is.Null);
        Assert.That(_server.Counters.Acks, Is.Zero);
        Assert.That(_server.Counters.Ignored, Is.EqualTo(1));
    }

    private static byte[] RandomClientIdentifier(Random random)
    {
        var id = new byte[1 + MacAddress.Length];
        random.NextBytes(id);
        id[0] = 1;
        return id;
    }

    /// <summary>Lets virtual time pass and the writer finish, then counts the store's writes.</summary>
    private int WritesAfter(TimeSpan time, MemoryLeaseStore store)
    {
        _simulation.RunFor(time);
        Assert.That(_server.LeaseWriter.Writing.Wait(TimeSpan.FromSeconds(30)), Is.True);
        return store.Saves;
    }

    private void Bind()
    {
        Exchange(Message(DhcpMessageType.Discover, 1));
        Exchange(Message(DhcpMessageType.Request, 1, (ref DhcpMessageWriter w) => SelectingOptions(ref w, First)));
    }

    private static void SelectingOptions(ref DhcpMessageWriter writer, Ipv4Address requested)
    {
        writer.WriteAddress(DhcpOptionCode.RequestedIpAddress, requested);
        writer.WriteAddress(DhcpOptionCode.ServerIdentifier, ServerAddress);
    }

    private static byte[] Message(DhcpMessageType type, uint xid, DhcpOptionsWriter? options = null, ushort flags = 0, Ipv4Address ciaddr = default, MacAddress? chaddr = null)
    {
        var message = new byte[400];
        var writer = new DhcpMessageWriter(message, DhcpOperation.BootRequest, type, xid, chaddr ?? ClientMac);
        writer.SetFlags(flags);
        writer.SetClientAddress(ciaddr);
        options?.Invoke(ref writer);
        return message[..writer.Finish()];
    }

    /// <summary>Sends a client message broadcast from 0.0.0.0:68 and returns the server's reply, if any.</summary>
    private Reply? Exchange(byte[] message)
    {
        while (_peer.TryReceive(_frame, out _))
        {
        }
        byte[] frame = PeerFrames.Udp(ClientMac, MacAddress.Broadcast, new Ipv4EndPoint(Ipv4Address.Any, DhcpMessage.ClientPort), new Ipv4EndPoint(Ipv4Address.Broadcast, DhcpMessage.ServerPort), message);
        _peer.TryTransmit(frame);
        _simulation.RunFor(TimeSpan.FromMilliseconds(10));
        while (_peer.TryReceive(_frame, out int length))
        {
            if (!EthernetFrame.TryParse(_frame.AsSpan(0, length), out EthernetFrame ethernet, out _) || ethernet.EtherType != EtherType.Ipv4
                || !Ipv4Packet.TryParse(ethernet.Payload, out Ipv4Packet ip, out _) || !UdpDatagram.TryParse(ip.Payload, out UdpDatagram udp, out _)
                || !DhcpMessage.TryParse(udp.Payload, out DhcpMessage reply, out _))
                continue;
            return new Reply(reply.MessageType, reply.TransactionId, reply.YourAddress, reply.ClientAddress, ip.DestinationAddress, ethernet.Destination,
                reply.TryGetUInt32(DhcpOptionCode.IpAddressLeaseTime, out uint lease) ? lease : null,
                reply.TryGetAddress(DhcpOptionCode.ServerIdentifier, out Ipv4Address server) ? server : default);
        }
        return null;
    }

    private sealed record Reply(DhcpMessageType Type, uint TransactionId, Ipv4Address YourAddress, Ipv4Address ClientAddress,
        Ipv4Address Destination, MacAddress DestinationMac, uint? LeaseSeconds, Ipv4Address ServerIdentifier);
}
