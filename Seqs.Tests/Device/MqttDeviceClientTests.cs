using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using Seqs.Device.Mqtt;
using Seqs.Simulation;

namespace Seqs.Tests.Device;

/// <summary>
/// The device's MQTT client in virtual time against a scripted broker: the waits between refused attempts, the
/// resubscription and retained state after a lost connection, LED commands, and when the status is published.
/// </summary>
[TestFixture]
public sealed class MqttDeviceClientTests
{
    private const string Prefix = "seqs/test";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly MqttTopics Topics = new(Prefix);

    [Test]
    public void RefusedAttempts_WaitDoublingFromOneSecondToTheCeiling_EachWithinTwentyPercent()
    {
        using var run = new ClientRun(refuse: 9);
        for (int attempt = 1; attempt <= 9; attempt++)
            run.AdvanceToNextTimer(() => run.Broker.Attempts.Length == attempt);
        run.WaitUntil(() => run.Broker.Attempts.Length == 10 && run.Client.Status.Connected);

        TimeSpan[] attempts = run.Broker.Attempts;
        double[] nominal = [1, 2, 4, 8, 16, 32, 60, 60, 60];
        for (int i = 0; i < nominal.Length; i++)
        {
            double waited = (attempts[i + 1] - attempts[i]).TotalSeconds;
            Assert.That(waited, Is.InRange(nominal[i] * 0.8, nominal[i] * 1.2), $"wait {i + 1}: {waited} s for a nominal {nominal[i]} s");
        }
        Assert.That(run.Client.Status.FailedAttempts, Is.EqualTo(9));
        Assert.That(run.Client.Status.LastError, Does.Contain("refused"));
    }

    [Test]
    public void LostConnection_IsRetriedAfterAboutASecond_ResubscribingAndRepublishingTheRetainedState()
    {
        using var run = new ClientRun(refuse: 0);
        run.WaitUntil(() => run.Published(Topics.Status) == 1);
        Assert.That(run.Broker.Subscriptions, Is.EqualTo(new[] { Topics.LedSet }));
        int discovery = run.Broker.Published.Count(p => p.Topic.StartsWith("homeassistant/", StringComparison.Ordinal));
        Assert.That(discovery, Is.EqualTo(8), "the LED switch and seven sensors");

        TimeSpan dropped = run.Clock.Elapsed;
        run.Broker.DropAsync().GetAwaiter().GetResult();
        run.WaitUntil(() => run.Client.Status.State == "disconnected");
        run.AdvanceToNextTimer(() => run.Broker.Attempts.Length == 1);
        run.WaitUntil(() => run.Published(Topics.Status) == 2);

        Assert.That((run.Broker.Attempts[1] - dropped).TotalSeconds, Is.InRange(0.8, 1.2));
        Assert.That(run.Broker.Subscriptions, Is.EqualTo(new[] { Topics.LedSet, Topics.LedSet }), "subscribed again: every session starts clean");
        Assert.That(run.Broker.Published.Count(p => p.Topic.StartsWith("homeassistant/", StringComparison.Ordinal)), Is.EqualTo(2 * discovery));
        Assert.That(run.Broker.Published.Where(p => p.Topic == Topics.Availability).Select(p => p.Payload), Is.EqualTo(new[] { "online", "online" }));
        Assert.That(run.Published(Topics.LedState), Is.EqualTo(2));
        Assert.That(run.Broker.Published.All(p => p.Retain), Is.True, "all of it is state a newcomer should get at once");
        Assert.That(run.Client.Status.Reconnects, Is.EqualTo(1));
        Assert.That(run.Broker.Options.WillTopic, Is.EqualTo(Topics.Availability));
        Assert.That(run.Broker.Options.WillRetain, Is.True);
    }

    [Test]
    public void LedCommands_AreCarriedOutAndTheirStateEchoed_AndOtherPayloadsAreCountedAndDropped()
    {
        using var run = new ClientRun(refuse: 0);
        run.WaitUntil(() => run.Published(Topics.Status) == 1);

        run.Broker.DeliverAsync(Topics.LedSet, "ON").GetAwaiter().GetResult();
        run.WaitUntil(() => run.Published(Topics.LedState) == 2);
        run.Broker.DeliverAsync(Topics.LedSet, "toggle").GetAwaiter().GetResult();
        run.WaitUntil(() => run.Published(Topics.LedState) == 3);
        run.Broker.DeliverAsync(Topics.LedSet, "BLINK").GetAwaiter().GetResult();
        run.Broker.DeliverAsync(Topics.LedSet, new string('X', 4096)).GetAwaiter().GetResult();

        Assert.That(run.Broker.Published.Where(p => p.Topic == Topics.LedState).Select(p => p.Payload), Is.EqualTo(new[] { "OFF", "ON", "OFF" }));
        Assert.That(run.Device.LedOn, Is.False);
        Assert.That(run.Client.Status.CommandsRejected, Is.EqualTo(2));
        Assert.That(run.Client.Status.MessagesReceived, Is.EqualTo(4));
    }

    [Test]
    public void Status_IsPublishedWhenItsStateChanges_AndOtherwiseEveryInterval()
    {
        using var run = new ClientRun(refuse: 0, interval: TimeSpan.FromSeconds(10));
        run.WaitUntil(() => run.Published(Topics.Status) == 1 && run.Clock.NextTimerDue is not null);

        for (int second = 1; second <= 3; second++)
            run.Tick();
        Assert.That(run.Published(Topics.Status), Is.EqualTo(1), "nothing changed");
        run.Device.ChangeKey = "address 10.0.0.3";
        run.Tick();
        Assert.That(run.Published(Topics.Status), Is.EqualTo(2), "the address changed");
        for (int second = 5; second < 14; second++)
            run.Tick();
        Assert.That(run.Published(Topics.Status), Is.EqualTo(2), "less than an interval since the change");
        run.Tick();
        Assert.That(run.Published(Topics.Status), Is.EqualTo(3), "an interval since the change");
    }

    [Test]
    public void Backoff_SpreadsEachWaitOverTheWholeTwentyPercent_AndStartsOverAfterAReset()
    {
        var backoff = new ReconnectBackoff(new Random(17));
        for (int failures = 1; failures <= 10; failures++)
        {
            TimeSpan nominal = ReconnectBackoff.Nominal(failures);
            Assert.That(nominal, Is.EqualTo(TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - 1), 60))));
            double[] spread = [.. Enumerable.Range(0, 500).Select(_ => new ReconnectBackoff(new Random(failures * 1000 + _)))
                .Select(b => { for (int i = 1; i < failures; i++) b.NextDelay(); return b.NextDelay() / nominal; })];
            Assert.That(spread.Min(), Is.GreaterThanOrEqualTo(0.8).And.LessThan(0.82));
            Assert.That(spread.Max(), Is.LessThanOrEqualTo(1.2).And.GreaterThan(1.18));
            backoff.NextDelay();
        }
        backoff.Reset();
        Assert.That(backoff.NextDelay().TotalSeconds, Is.InRange(0.8, 1.2));
    }

    /// <summary>The client running against a scripted broker on a virtual clock, stopped on dispose.</summary>
    private sealed class ClientRun : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _running;

        public ClientRun(int refuse, TimeSpan? interval = null)
        {
            Broker = new ScriptedMqttClient(Clock) { RefuseConnections = refuse };
            var settings = new MqttSettings("10.0.0.1", MqttSettings.PlainPort, false, null, null, null, "test", Prefix, interval ?? MqttSettings.DefaultInterval, MqttSettings.DefaultKeepAlive);
            MqttClientOptions options = MqttDeviceClient.Options(settings, "test", Topics, new RefusingStreams());
            Client = new MqttDeviceClient(Broker, options, Topics, HomeAssistantDiscovery.Documents("test", "device", "02:00:00:00:00:01", "test NIC", Topics),
                Device, settings.Interval, Clock, new Random(5), settings.ToString(), NullLogger.Instance);
            _running = Task.Run(() => Client.RunAsync(_stop.Token));
        }

        public VirtualClock Clock { get; } = new();

        public ScriptedMqttClient Broker { get; }

        public ScriptedDeviceState Device { get; } = new();

        public MqttDeviceClient Client { get; }

        public int Published(string topic) => Broker.Published.Count(p => p.Topic == topic);

        public void WaitUntil(Func<bool> condition) =>
            Assert.That(SpinWait.SpinUntil(condition, Patience), Is.True, "the client did not get there");

        /// <summary>Once <paramref name="ready"/> holds and the client waits on a timer, moves the clock to that timer.</summary>
        public void AdvanceToNextTimer(Func<bool> ready)
        {
            WaitUntil(() => ready() && Clock.NextTimerDue is not null);
            Clock.AdvanceTo(Clock.NextTimerDue!.Value);
        }

        /// <summary>One poll of the device: the clock moves to the poll's timer and the client reads and waits again.</summary>
        public void Tick()
        {
            int reads = Device.Reads;
            AdvanceToNextTimer(() => true);
            WaitUntil(() => Device.Reads > reads && Clock.NextTimerDue is not null);
        }

        public void Dispose()
        {
            _stop.Cancel();
            Assert.That(_running.Wait(Patience), Is.True, "the client stops when asked");
            Client.Dispose();
            _stop.Dispose();
        }
    }

    /// <summary>The scripted broker stands in for the whole connection, so no stream is ever asked for.</summary>
    private sealed class RefusingStreams : MQTTnet.Channel.IMqttClientStreamProvider
    {
        public Task<Stream> ConnectAsync(System.Net.EndPoint brokerEndPoint, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
