using Seqs.Ntp;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Ntp;

/// <summary>The SNTP client on stack A against <see cref="SimulatedNtpServer"/> on stack B, in virtual time.</summary>
public sealed class NtpClientSimulationTests
{
    private static readonly TimeSpan OneWay = TimeSpan.FromMilliseconds(1);

    [Test]
    public void Poll_MeasuresTheServersOffset_AndTheClockReadsNetworkTime()
    {
        using var net = new Network();
        net.Server.Offset = TimeSpan.FromSeconds(1.5);

        NtpSample sample = net.Synchronize();

        Assert.That(sample.Offset, Is.EqualTo(TimeSpan.FromSeconds(1.5)).Within(TimeSpan.FromMicroseconds(10)));
        Assert.That(sample.Delay, Is.EqualTo(2 * OneWay).Within(TimeSpan.FromMicroseconds(10)));
        Assert.That(sample.Stratum, Is.EqualTo(2));
        Assert.That(net.Client.Clock.IsSynchronized, Is.True);
        Assert.That(net.Client.Clock.GetUtcNow() - net.Pair.Simulation.Clock.GetUtcNow(), Is.EqualTo(TimeSpan.FromSeconds(1.5)).Within(TimeSpan.FromMicroseconds(10)));
        Assert.That(net.Server.Requests, Is.EqualTo(4));
        Assert.That(net.Client.Counters.RepliesAccepted, Is.EqualTo(4));
    }

    [Test]
    public void ClockBehindTheServer_GetsANegativeOffset()
    {
        using var net = new Network();
        net.Server.Offset = TimeSpan.FromMinutes(-3);
        Assert.That(net.Synchronize().Offset, Is.EqualTo(TimeSpan.FromMinutes(-3)).Within(TimeSpan.FromMicroseconds(10)));
    }

    [Test]
    public void Samples_KeepTheOneWithTheLowestDelay()
    {
        using var net = new Network();
        net.Server.Offset = TimeSpan.FromSeconds(10);
        // Held replies look like long, asymmetric round trips: their offsets are off by half the hold.
        net.Server.Holds = [TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(150), TimeSpan.Zero, TimeSpan.FromMilliseconds(60)];

        NtpSample sample = net.Synchronize();

        Assert.That(sample.Delay, Is.EqualTo(2 * OneWay).Within(TimeSpan.FromMicroseconds(10)));
        Assert.That(sample.Offset, Is.EqualTo(TimeSpan.FromSeconds(10)).Within(TimeSpan.FromMicroseconds(10)));
    }

    [Test]
    public void Requests_AreSpacedAndEachHasItsOwnTransmitTimestamp()
    {
        using var net = new Network();
        TimeSpan start = net.Pair.Simulation.Now;
        net.Synchronize();

        Assert.That(net.Pair.Simulation.Now - start, Is.EqualTo(TimeSpan.FromSeconds(6) + 2 * OneWay).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That(net.Server.Transmits.Distinct().Count(), Is.EqualTo(4));
    }

    [Test]
    public void TransmitTimestamps_AreRandomNonces_NotTheClock()
    {
        using var net = new Network();
        DateTimeOffset sent = net.Pair.Simulation.Clock.GetUtcNow();

        NtpSample sample = net.Synchronize();

        // A clock reading with random low bits would be within a second of the send time; a 64-bit nonce is not.
        Assert.That(net.Server.Transmits, Has.Count.EqualTo(4));
        Assert.That(net.Server.Transmits.Select(t => (t.ToDateTimeOffset() - sent).Duration()), Has.All.GreaterThan(TimeSpan.FromDays(1)));
        Assert.That(sample.Offset, Is.EqualTo(TimeSpan.Zero).Within(TimeSpan.FromMicroseconds(10)), "offsets use the recorded send time");
        Assert.That(net.Client.Counters.RepliesAccepted, Is.EqualTo(4), "replies echoing the nonce pass the origin check");
    }

    [Test]
    public void EachPoll_SendsFromANewSourcePort()
    {
        using var net = new Network();

        net.Synchronize();
        net.Synchronize();
        net.Synchronize();

        ushort[] perPoll = [.. net.Server.SourcePorts.Where((_, i) => i % 4 == 0)];
        Assert.That(net.Server.SourcePorts, Has.Count.EqualTo(12));
        Assert.That(perPoll.Distinct().Count(), Is.EqualTo(3));
        Assert.That(net.Server.SourcePorts, Has.All.InRange((ushort)49152, ushort.MaxValue));
        Assert.That(net.Client.Counters.RepliesAccepted, Is.EqualTo(12));
    }

    [TestCase(nameof(SimulatedNtpServer.WrongOrigin), NtpReplyRejection.OriginMismatch)]
    [TestCase(nameof(SimulatedNtpServer.Stratum), NtpReplyRejection.BadStratum)]
    [TestCase(nameof(SimulatedNtpServer.Leap), NtpReplyRejection.Unsynchronized)]
    [TestCase(nameof(SimulatedNtpServer.Mode), NtpReplyRejection.NotServerMode)]
    [TestCase(nameof(SimulatedNtpServer.ZeroTransmit), NtpReplyRejection.ZeroTimestamp)]
    [TestCase(nameof(SimulatedNtpServer.RootDispersion), NtpReplyRejection.BadRootDistance)]
    public void InsaneReplies_AreRejectedAndCounted_AndThePollFails(string fault, NtpReplyRejection expected)
    {
        using var net = new Network();
        net.Server.Offset = TimeSpan.FromHours(1);
        switch (fault)
        {
            case nameof(SimulatedNtpServer.WrongOrigin): net.Server.WrongOrigin = true; break;
            case nameof(SimulatedNtpServer.Stratum): net.Server.Stratum = 16; break;
            case nameof(SimulatedNtpServer.Leap): net.Server.Leap = NtpLeapIndicator.Unsynchronized; break;
            case nameof(SimulatedNtpServer.Mode): net.Server.Mode = NtpMode.SymmetricPassive; break;
            case nameof(SimulatedNtpServer.ZeroTransmit): net.Server.ZeroTransmit = true; break;
            default: net.Server.RootDispersion = 0x0001_0000; break;
        }

        Exception? failure = net.SynchronizeFailure();

        Assert.That(failure, Is.InstanceOf<NtpSynchronizationException>());
        Assert.That(net.Client.Counters.RejectedBy(expected), Is.EqualTo(4));
        Assert.That(net.Client.Clock.IsSynchronized, Is.False);
        Assert.That(net.Client.Clock.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(net.Client.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(128)), "failed polls back off");
    }

    [Test]
    public void KissOfDeathRate_DoublesThePollInterval_AndEndsThePoll()
    {
        using var net = new Network();
        net.Server.Kiss = NtpKissCode.Rate;

        Assert.That(net.SynchronizeFailure(), Is.InstanceOf<NtpSynchronizationException>());
        Assert.That(net.Server.Requests, Is.EqualTo(1));
        Assert.That(net.Client.Counters.KissOfDeath, Is.EqualTo(1));
        Assert.That(net.Client.PollInterval, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(128)));

        net.Server.Kiss = null;
        net.Synchronize();
        Assert.That(net.Client.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(128)), "the RATE floor stays");
    }

    [TestCase(NtpKissCode.Deny)]
    [TestCase(NtpKissCode.Restrict)]
    public void KissOfDeathDenyOrRestrict_StopsAllRequestsToTheServer(NtpKissCode code)
    {
        using var net = new Network();
        net.Server.Kiss = code;
        net.Pair.LoopA.InvokeAsync(() => { net.Client.Start(); return Task.CompletedTask; });

        net.Pair.Simulation.RunFor(TimeSpan.FromHours(1));

        Assert.That(net.Server.Requests, Is.EqualTo(1));
        Assert.That(net.Client.IsDenied, Is.True);
        Assert.That(net.SynchronizeFailure(), Is.InstanceOf<NtpSynchronizationException>().With.Property(nameof(NtpSynchronizationException.KissCode)).EqualTo(NtpKissCode.Deny));
    }

    [Test]
    public void ForgedKissWithTheWrongOrigin_IsIgnored()
    {
        using var net = new Network();
        net.Server.Kiss = NtpKissCode.Deny;
        net.Server.WrongOrigin = true;

        net.SynchronizeFailure();

        Assert.That(net.Client.IsDenied, Is.False);
        Assert.That(net.Client.Counters.RejectedBy(NtpReplyRejection.OriginMismatch), Is.EqualTo(4));
    }

    [Test]
    public void Started_PollsEveryPollInterval()
    {
        using var net = new Network();
        net.Server.Offset = TimeSpan.FromMilliseconds(250);
        int synchronized = 0;
        net.Client.Synchronized += (_, _) => synchronized++;
        net.Pair.LoopA.InvokeAsync(() => { net.Client.Start(); return Task.CompletedTask; });

        net.Pair.Simulation.RunFor(TimeSpan.FromMinutes(10));

        // Polls at 0, 64, 128, … 576 s: ten of them, each done 6 s after it starts.
        Assert.That(synchronized, Is.EqualTo(10));
        Assert.That(net.Server.Requests, Is.EqualTo(40));
        Assert.That(net.Client.Clock.Offset, Is.EqualTo(TimeSpan.FromMilliseconds(250)).Within(TimeSpan.FromMicroseconds(10)));
    }

    [Test]
    public void LossyLink_StillSynchronizes_FromTheRepliesThatArrive()
    {
        using var net = new Network(new LinkFaults { Seed = 4, LossProbability = 0.3, PropagationDelay = OneWay });
        net.Server.Offset = TimeSpan.FromSeconds(-2);
        net.Pair.LoopA.InvokeAsync(() => { net.Client.Start(); return Task.CompletedTask; });

        net.Pair.Simulation.RunFor(TimeSpan.FromMinutes(10));

        Assert.That(net.Client.Counters.Timeouts, Is.GreaterThan(0));
        Assert.That(net.Client.Counters.Synchronizations, Is.GreaterThanOrEqualTo(5));
        Assert.That(net.Client.Clock.Offset, Is.EqualTo(TimeSpan.FromSeconds(-2)).Within(TimeSpan.FromMicroseconds(10)));
    }

    [Test]
    public void PollIntervalBelow15Seconds_IsRefused()
    {
        using var pair = new SimulatedPair();
        Assert.That(() => new NtpClient(pair.A, SimulatedPair.AddressB, new NtpClientOptions { PollInterval = TimeSpan.FromSeconds(10) }),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    private sealed class Network : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public Network(LinkFaults? faults = null)
        {
            Pair = new SimulatedPair(faults ?? new LinkFaults { PropagationDelay = OneWay });
            Server = new SimulatedNtpServer(Pair.B);
            _ = Server.RunAsync(_stop.Token);
            Client = new NtpClient(Pair.A, SimulatedPair.AddressB);
            // Resolve ARP both ways first, so that the first sample's round trip is like the others.
            Task<Seqs.Stack.PingReply> ping = Pair.LoopA.InvokeAsync(() => Pair.A.PingAsync(SimulatedPair.AddressB, TimeSpan.FromSeconds(1)));
            Pair.Simulation.RunUntil(() => ping.IsCompleted, TimeSpan.FromSeconds(5));
        }

        public SimulatedPair Pair { get; }

        public SimulatedNtpServer Server { get; }

        public NtpClient Client { get; }

        public NtpSample Synchronize()
        {
            Task<NtpSample> poll = Pair.LoopA.InvokeAsync(() => Client.SynchronizeAsync());
            Assert.That(Pair.Simulation.RunUntil(() => poll.IsCompleted, TimeSpan.FromMinutes(1)), Is.True);
            return poll.Result;
        }

        public Exception? SynchronizeFailure()
        {
            Task<NtpSample> poll = Pair.LoopA.InvokeAsync(() => Client.SynchronizeAsync());
            Assert.That(Pair.Simulation.RunUntil(() => poll.IsCompleted, TimeSpan.FromMinutes(1)), Is.True);
            return poll.Exception?.InnerException;
        }

        public void Dispose()
        {
            _stop.Cancel();
            Client.Dispose();
            Server.Dispose();
            Pair.Dispose();
            _stop.Dispose();
        }
    }
}
