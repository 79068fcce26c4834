using Seqs.Mdns;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Mdns;

/// <summary>The mDNS responder on stack B ("seqs"), watched and queried from stack A, in virtual time.</summary>
public sealed class MdnsResponderSimulationTests
{
    private static readonly Ipv4EndPoint Group = new(MdnsResponder.MulticastGroup, MdnsResponder.MdnsPort);
    private static readonly Ipv4Address OffLink = new(192, 0, 2, 7);

    [Test]
    public void Start_ProbesThreeTimes250msApart_ThenAnnouncesTwiceOneSecondApart()
    {
        using var net = new Network();
        net.Start();
        net.Pair.Simulation.RunFor(TimeSpan.FromSeconds(3));

        List<Heard> heard = net.Drain();
        Assert.That(heard, Has.Count.EqualTo(5));
        Assert.That(heard.Take(3).Select(h => h.IsProbe), Is.All.True);
        Assert.That(heard.Skip(3).Select(h => h.IsResponse), Is.All.True);
        Assert.That(heard[1].At - heard[0].At, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
        Assert.That(heard[2].At - heard[1].At, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
        Assert.That(heard[3].At - heard[2].At, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
        Assert.That(heard[4].At - heard[3].At, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(heard[0].At, Is.LessThan(TimeSpan.FromMilliseconds(250)));
        Assert.That(heard[3].Address, Is.EqualTo(SimulatedPair.AddressB));
        Assert.That(heard[3].Ttl, Is.EqualTo(120));
        Assert.That(heard[3].CacheFlush, Is.True);
        Assert.That(net.Responder.State, Is.EqualTo(MdnsResponderState.Ready));
    }

    [Test]
    public void MulticastQuery_GetsAMulticastAnswer()
    {
        using var net = new Network();
        net.StartAndSettle();

        net.Query(net.Listener, "SEQS.local", DnsType.A, Group);
        List<Heard> heard = net.Drain();

        Assert.That(heard, Has.Count.EqualTo(1));
        Assert.That(heard[0].IsResponse && heard[0].Address == SimulatedPair.AddressB && heard[0].Id == 0, Is.True);
        Assert.That(heard[0].Questions, Is.Zero);
        Assert.That(net.Responder.Counters.QueriesAnswered, Is.EqualTo(1));
    }

    [Test]
    public void LegacyUnicastQuery_GetsAUnicastAnswerWithItsIdQuestionAndShortTtl()
    {
        using var net = new Network();
        net.StartAndSettle();
        using var dig = new UdpSocket(net.Pair.A);
        dig.Bind(40000);

        net.Query(dig, "seqs.local", DnsType.A, Group, id: 0x4242);
        var buffer = new byte[512];
        Assert.That(dig.TryReceiveFrom(buffer, out UdpReceiveResult result), Is.True);
        Heard answer = Heard.Parse(buffer.AsSpan(0, result.ReceivedBytes), TimeSpan.Zero);

        Assert.That(result.RemoteEndPoint, Is.EqualTo(new Ipv4EndPoint(SimulatedPair.AddressB, MdnsResponder.MdnsPort)));
        Assert.That(answer.Id, Is.EqualTo(0x4242));
        Assert.That(answer.Questions, Is.EqualTo(1));
        Assert.That(answer.Address, Is.EqualTo(SimulatedPair.AddressB));
        Assert.That(answer.Ttl, Is.LessThanOrEqualTo(10));
        Assert.That(answer.CacheFlush, Is.False);
    }

    [Test]
    public void QueriesForOtherNamesOrTypes_AreNotAnswered()
    {
        using var net = new Network();
        net.StartAndSettle();
        net.Query(net.Listener, "other.local", DnsType.A, Group);
        net.Query(net.Listener, "seqs.local", DnsType.Txt, Group);
        Assert.That(net.Drain().Count(h => h.IsResponse), Is.Zero);
    }

    [Test]
    public void QueryListingTheAnswer_IsSuppressed()
    {
        using var net = new Network();
        net.StartAndSettle();
        net.Query(net.Listener, "seqs.local", DnsType.A, Group, knownAnswer: SimulatedPair.AddressB);
        Assert.That(net.Drain().Count(h => h.IsResponse), Is.Zero);
        Assert.That(net.Responder.Counters.KnownAnswersSuppressed, Is.EqualTo(1));
    }

    [Test]
    public void ConflictWhileProbing_RenamesAndProbesForTheNewName()
    {
        using var net = new Network();
        net.Start();
        net.Pair.Simulation.RunFor(TimeSpan.FromMilliseconds(260));
        net.Answer("seqs.local", new Ipv4Address(10, 0, 0, 99));
        net.Pair.Simulation.RunFor(TimeSpan.FromSeconds(4));

        Assert.That(net.Responder.HostName, Is.EqualTo("seqs-2"));
        Assert.That(net.Responder.State, Is.EqualTo(MdnsResponderState.Ready));
        Assert.That(net.Responder.Counters.Conflicts, Is.EqualTo(1));
        Assert.That(net.Drain().Where(h => h.IsResponse && h.Address == SimulatedPair.AddressB).Select(h => h.Name), Is.All.EqualTo("seqs-2.local"));
    }

    [Test]
    public void SimultaneousProbeWithLaterData_WinsTheTiebreak()
    {
        using var net = new Network();
        net.Start();
        net.Pair.Simulation.RunFor(TimeSpan.FromMilliseconds(260));
        net.Probe("seqs.local", new Ipv4Address(10, 0, 0, 200));
        net.Pair.Simulation.RunFor(TimeSpan.FromMilliseconds(900));

        Assert.That(net.Responder.Counters.TiebreaksLost, Is.EqualTo(1));
        Assert.That(net.Responder.State, Is.EqualTo(MdnsResponderState.Probing), "waiting a second before probing again");
        Assert.That(net.Responder.HostName, Is.EqualTo("seqs"));
    }

    [Test]
    public void AddressChange_IsAnnouncedWithoutBeingTold()
    {
        using var net = new Network();
        net.StartAndSettle();
        var moved = new Ipv4Address(10, 0, 0, 22);
        net.Pair.LoopB.InvokeAsync(() =>
        {
            net.Pair.B.Configure(new Ipv4Cidr(moved, 24));
            return Task.CompletedTask;
        });
        net.Pair.Simulation.RunFor(TimeSpan.FromSeconds(2));

        List<Heard> heard = net.Drain().Where(h => h.IsResponse).ToList();
        Assert.That(heard, Has.Count.EqualTo(2));
        Assert.That(heard.Select(h => h.Address), Is.All.EqualTo(moved));
    }

    /// <summary>RFC 6762 §6: a record is multicast at most once a second, however many queries ask for it.</summary>
    [Test]
    public void MulticastQueryFlood_IsAnsweredAtMostOnceASecond()
    {
        using var net = new Network();
        net.StartAndSettle();

        for (int i = 0; i < 300; i++)
            net.Query(net.Listener, "seqs.local", DnsType.A, Group);
        net.Pair.Simulation.RunFor(TimeSpan.FromSeconds(1));

        List<Heard> answers = net.DrainResponses();
        Assert.That(answers, Has.Count.EqualTo(4), "one at the first query, then one at each second the flood lasted");
        for (int i = 1; i < answers.Count; i++)
            Assert.That(answers[i].At - answers[i - 1].At, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(net.Responder.Counters.QueriesAnswered, Is.EqualTo(300));
    }

    /// <summary>RFC 6762 §6: queries within a second of an answer are held, then answered together by one message.</summary>
    [Test]
    public void QueriesWithinASecondOfAnAnswer_AreAnsweredTogetherOnceAllowed()
    {
        using var net = new Network();
        net.StartAndSettle();

        net.Query(net.Listener, "seqs.local", DnsType.A, Group);
        for (int i = 0; i < 5; i++)
        {
            net.Pair.Simulation.RunFor(TimeSpan.FromMilliseconds(90));
            net.Query(net.Listener, "seqs.local", DnsType.A, Group);
        }
        net.Pair.Simulation.RunFor(TimeSpan.FromSeconds(3));

        List<Heard> answers = net.DrainResponses();
        Assert.That(answers, Has.Count.EqualTo(2), "the first answer, then one for the five held queries");
        Assert.That(answers[1].At - answers[0].At, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(answers[1].Address, Is.EqualTo(SimulatedPair.AddressB));
        Assert.That(net.Responder.Counters.AnswersDelayed, Is.EqualTo(1));
        Assert.That(net.Responder.Counters.AnswersCoalesced, Is.EqualTo(4));
    }

    /// <summary>RFC 6762 §6: an answer defending the name against a probe waits only 250 ms after the last multicast.</summary>
    [Test]
    public void ProbeForOurNameJustAfterAnAnswer_IsDefended250msAfterIt()
    {
        using var net = new Network();
        net.StartAndSettle();

        net.Query(net.Listener, "seqs.local", DnsType.A, Group);
        net.Probe("seqs.local", new Ipv4Address(10, 0, 0, 200), unicastResponse: false);
        net.Pair.Simulation.RunFor(TimeSpan.FromSeconds(2));

        List<Heard> answers = net.DrainResponses();
        Assert.That(answers, Has.Count.EqualTo(2));
        Assert.That(answers[1].At - answers[0].At, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
        Assert.That(net.Responder.HostName, Is.EqualTo("seqs"));
    }

    /// <summary>
    /// RFC 6762 §11: a response sent to this host's address from a source off its subnet may have been routed from
    /// anywhere, so it is discarded (here it would have cost the device its name); one sent to 224.0.0.251 can only
    /// have come from the link, whatever its source address, so it is a conflict.
    /// </summary>
    [TestCase(false, 1, 0)]
    [TestCase(true, 0, 1)]
    public void ConflictingResponseFromAnotherSubnet_CountsOnlyWhenSentToTheGroup(bool toGroup, int offLink, int conflicts)
    {
        using var net = new Network();
        net.StartAndSettle();
        Ipv4EndPoint to = toGroup ? Group : new Ipv4EndPoint(SimulatedPair.AddressB, MdnsResponder.MdnsPort);
        MacAddress toMac = toGroup ? MacAddress.Parse("01:00:5e:00:00:fb") : SimulatedPair.MacB;

        net.Pair.SendFromA(PeerFrames.Udp(SimulatedPair.MacA, toMac, new Ipv4EndPoint(OffLink, MdnsResponder.MdnsPort), to, Network.Response("seqs.local", OffLink)));
        net.Pair.Simulation.RunFor(TimeSpan.FromSeconds(3));

        Assert.That(net.Responder.Counters.OffLink, Is.EqualTo(offLink));
        Assert.That(net.Responder.Counters.Conflicts, Is.EqualTo(conflicts));
        Assert.That(net.Responder.Counters.ProbesSent, Is.EqualTo(3 + 3 * conflicts), "RFC 6762 §9: a conflict after the claim means probing again");
        Assert.That(net.Responder.State, Is.EqualTo(MdnsResponderState.Ready));
    }

    /// <summary>RFC 6762 §11: every multicast DNS message is sent with IP TTL 255.</summary>
    [Test]
    public void Messages_AreSentWithTimeToLive255()
    {
        using var net = new Network();
        var ttls = new List<byte>();
        net.Pair.Simulation.FrameDelivered += (time, receiver, frame) =>
        {
            if (receiver == net.Pair.NicA && EthernetFrame.TryParse(frame, out EthernetFrame ethernet, out _)
                && Ipv4Packet.TryParse(ethernet.Payload, out Ipv4Packet ip, out _) && ip.Protocol == IpProtocol.Udp && ip.DestinationAddress == Group.Address)
                ttls.Add(ip.TimeToLive);
        };
        net.StartAndSettle();
        Assert.That(ttls, Is.Not.Empty);
        Assert.That(ttls, Is.All.EqualTo(255));
    }

    [Test]
    public void MalformedAndNonQueryMessages_AreIgnoredAndCounted()
    {
        using var net = new Network();
        net.StartAndSettle();
        net.Listener.SendTo(new byte[] { 1, 2, 3 }, Group);
        var buffer = new byte[64];
        var update = new DnsMessageWriter(buffer, 0, DnsMessage.ComposeFlags(response: false, opcode: DnsOpcode.Update));
        update.TryWriteQuestion(DnsName.Encode("seqs.local")!, DnsType.A);
        net.Listener.SendTo(buffer.AsSpan(0, update.Length), Group);
        net.Pair.Simulation.RunFor(TimeSpan.FromMilliseconds(10));

        Assert.That(net.Responder.Counters.Malformed, Is.EqualTo(1));
        Assert.That(net.Responder.Counters.Ignored, Is.EqualTo(1));
        Assert.That(net.Pair.B.Counters.InternalErrors, Is.Zero);
    }

    [Test]
    public void HostNameWithADot_IsRefused()
    {
        using var pair = new SimulatedPair();
        Assert.That(() => new MdnsResponder(pair.B, "a.b"), Throws.ArgumentException);
    }

    private readonly record struct Heard(TimeSpan At, ushort Id, bool IsResponse, bool IsProbe, int Questions, string? Name, Ipv4Address Address, uint Ttl, bool CacheFlush)
    {
        public static Heard Parse(ReadOnlySpan<byte> bytes, TimeSpan at)
        {
            Assert.That(DnsMessage.TryParse(bytes, out DnsMessage message, out _), Is.True);
            DnsRecordReader reader = message.Records;
            bool probe = reader.TryReadQuestion(out DnsQuestion question) && question.Type == DnsType.Any && question.UnicastResponse;
            string? name = null;
            Ipv4Address address = default;
            uint ttl = 0;
            bool flush = false;
            while (reader.TryReadRecord(out DnsRecord record))
            {
                if (record.TryGetIpv4Address(out address))
                {
                    name = record.Name.ToString();
                    ttl = record.Ttl;
                    flush = record.CacheFlush;
                    break;
                }
            }
            return new Heard(at, message.Id, message.IsResponse, probe && !message.IsResponse && message.AuthorityCount == 1, message.QuestionCount, name, address, ttl, flush);
        }
    }

    private sealed class Network : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public Network()
        {
            Pair = new SimulatedPair();
            Pair.A.JoinMulticastGroup(MdnsResponder.MulticastGroup);
            Listener = new UdpSocket(Pair.A);
            Listener.Bind(MdnsResponder.MdnsPort);
            Responder = new MdnsResponder(Pair.B, "seqs", new Random(8));
            Pair.Simulation.FrameDelivered += (time, receiver, frame) =>
            {
                if (receiver == Pair.NicA && IsToMdnsPort(frame))
                    _arrivals.Add(time);
            };
        }

        public SimulatedPair Pair { get; }

        public UdpSocket Listener { get; }

        public MdnsResponder Responder { get; }

        public void Start() => Pair.LoopB.InvokeAsync(() =>
        {
            Responder.Start(_stop.Token);
            return Task.CompletedTask;
        });

        public void StartAndSettle()
        {
            Start();
            Pair.Simulation.RunFor(TimeSpan.FromSeconds(3));
            Drain();
        }

        public List<Heard> Drain()
        {
            var heard = new List<Heard>();
            var buffer = new byte[1500];
            // The listener's queue keeps no arrival times; the frame tap recorded them in the same order.
            while (Listener.TryReceiveFrom(buffer, out UdpReceiveResult result))
                heard.Add(Heard.Parse(buffer.AsSpan(0, result.ReceivedBytes), _arrivals.Count > heard.Count ? _arrivals[heard.Count] : TimeSpan.Zero));
            _arrivals.RemoveRange(0, Math.Min(_arrivals.Count, heard.Count));
            return heard;
        }

        public List<Heard> DrainResponses() => Drain().Where(h => h.IsResponse).ToList();

        private readonly List<TimeSpan> _arrivals = [];

        private static bool IsToMdnsPort(ReadOnlySpan<byte> frame) =>
            EthernetFrame.TryParse(frame, out EthernetFrame ethernet, out _) && ethernet.EtherType == EtherType.Ipv4
            && Ipv4Packet.TryParse(ethernet.Payload, out Ipv4Packet ip, out _) && ip.Protocol == IpProtocol.Udp
            && UdpDatagram.TryParse(ip.Payload, out UdpDatagram udp, out _) && udp.DestinationPort == MdnsResponder.MdnsPort;

        public void Query(UdpSocket from, string name, DnsType type, Ipv4EndPoint to, ushort id = 0, Ipv4Address? knownAnswer = null)
        {
            var buffer = new byte[512];
            var query = new DnsMessageWriter(buffer, id, DnsMessage.ComposeFlags(response: false));
            query.TryWriteQuestion(DnsName.Encode(name)!, type);
            if (knownAnswer is { } known)
                query.TryWriteAddressRecord(DnsSection.Answer, DnsName.Encode(name)!, (ushort)DnsClass.Internet, 120, known);
            from.SendTo(buffer.AsSpan(0, query.Length), to);
            Pair.Simulation.RunFor(TimeSpan.FromMilliseconds(10));
        }

        public void Answer(string name, Ipv4Address address) => Listener.SendTo(Response(name, address), Group);

        /// <summary>An mDNS response claiming <paramref name="name"/> is at <paramref name="address"/>.</summary>
        public static byte[] Response(string name, Ipv4Address address)
        {
            var buffer = new byte[512];
            var response = new DnsMessageWriter(buffer, 0, DnsMessage.ComposeFlags(response: true, authoritativeAnswer: true));
            response.TryWriteAddressRecord(DnsSection.Answer, DnsName.Encode(name)!, (ushort)DnsClass.Internet | DnsRecord.CacheFlushBit, 120, address);
            return buffer.AsSpan(0, response.Length).ToArray();
        }

        public void Probe(string name, Ipv4Address address, bool unicastResponse = true)
        {
            var buffer = new byte[512];
            var probe = new DnsMessageWriter(buffer, 0, DnsMessage.ComposeFlags(response: false));
            probe.TryWriteQuestion(DnsName.Encode(name)!, DnsType.Any, (ushort)((ushort)DnsClass.Internet | (unicastResponse ? DnsQuestion.UnicastResponseBit : 0)));
            probe.TryWriteAddressRecord(DnsSection.Authority, DnsName.Encode(name)!, (ushort)DnsClass.Internet, 120, address);
            Listener.SendTo(buffer.AsSpan(0, probe.Length), Group);
        }

        public void Dispose()
        {
            _stop.Cancel();
            Responder.Dispose();
            Listener.Dispose();
            Pair.Dispose();
            _stop.Dispose();
        }
    }
}
