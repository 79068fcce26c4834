using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Channel;
using MQTTnet.Protocol;

namespace Seqs.Device.Mqtt;

/// <summary>
/// The device's MQTT client, on MQTTnet: keeps a connection to the broker, reconnecting with
/// <see cref="ReconnectBackoff"/> (MQTTnet 5 has no managed client); on each connection subscribes to
/// <c>PREFIX/led/set</c> and publishes, retained, <c>online</c> to the availability topic (whose last will is
/// <c>offline</c>), the Home Assistant discovery documents, the LED's state and the status; then publishes the status
/// when it changes and every interval, and obeys LED commands. Every session starts clean (MQTT 3.1.1 §3.1.2.4), so
/// the subscription and the retained state are made anew each time. Waits run on the injected clock.
/// </summary>
internal sealed partial class MqttDeviceClient : IDisposable
{
    /// <summary>How often the device is read for a change of state or an LED switched from elsewhere.</summary>
    public static readonly TimeSpan PollPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How long connecting, and each publish and subscribe, may take before the attempt counts as failed.</summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long a stop waits to say <c>offline</c> and disconnect before leaving the broker to the last will.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    /// <summary>LED commands waiting to be carried out; a flood keeps the newest.</summary>
    private const int CommandQueueLength = 16;

    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly MqttTopics _topics;
    private readonly IReadOnlyList<(string Topic, byte[] Json)> _discovery;
    private readonly IMqttDeviceState _device;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ReconnectBackoff _backoff;
    private readonly ILogger _log;
    private readonly Channel<LedCommand> _commands = Channel.CreateBounded<LedCommand>(
        new BoundedChannelOptions(CommandQueueLength) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private TaskCompletionSource<string> _disconnected = NewDisconnectedSignal();

    public MqttDeviceClient(IMqttClient client, MqttClientOptions options, MqttTopics topics, IReadOnlyList<(string Topic, byte[] Json)> discovery,
        IMqttDeviceState device, TimeSpan interval, TimeProvider time, Random random, string broker, ILogger log)
    {
        _client = client;
        _options = options;
        _topics = topics;
        _discovery = discovery;
        _device = device;
        _interval = interval;
        _time = time;
        _backoff = new ReconnectBackoff(random);
        _log = log;
        Status = new MqttClientStatus { Broker = broker };
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    public MqttClientStatus Status { get; }

    /// <summary>
    /// MQTTnet's options for the device: the broker through <paramref name="streams"/> (MQTTnet's own TLS off), a clean
    /// session, the settings' keep-alive, and the last will <c>offline</c>, retained, on the availability topic.
    /// </summary>
    public static MqttClientOptions Options(MqttSettings settings, string clientId, MqttTopics topics, IMqttClientStreamProvider streams)
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(settings.Host, settings.Port)
            .WithStreamProvider(streams)
            .WithClientId(clientId)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(settings.KeepAlive)
            .WithTimeout(OperationTimeout)
            .WithWillTopic(topics.Availability)
            .WithWillPayload(MqttTopics.Offline)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (settings.User is string user)
            builder.WithCredentials(user, settings.Password);
        return builder.Build();
    }

    /// <summary>Stays connected until <paramref name="cancellationToken"/> is cancelled, then says <c>offline</c> and disconnects.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string? failure = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                _backoff.Reset();
                failure = await ServeAsync(cancellationToken).ConfigureAwait(false);
                if (failure is null)
                    break;
                Status.OnDisconnected(failure);
                await ResetConnectionAsync().ConfigureAwait(false);
                TimeSpan again = _backoff.NextDelay();
                Log.ConnectionLost(_log, Status.Broker, failure, again.TotalSeconds);
                if (!await WaitAsync(again, cancellationToken).ConfigureAwait(false))
                    break;
                continue;
            }
            if (cancellationToken.IsCancellationRequested)
                break;
            Status.OnAttemptFailed(failure);
            TimeSpan delay = _backoff.NextDelay();
            Log.AttemptFailed(_log, Status.Broker, failure, delay.TotalSeconds);
            if (!await WaitAsync(delay, cancellationToken).ConfigureAwait(false))
                break;
        }
        await StopAsync().ConfigureAwait(false);
    }

    /// <summary>One attempt; null when the broker accepted the connection, else why not.</summary>
    private async Task<string?> ConnectAsync(CancellationToken cancellationToken)
    {
        Status.OnConnecting();
        _disconnected = NewDisconnectedSignal();
        try
        {
            MqttClientConnectResult result = await _client.ConnectAsync(_options, cancellationToken).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                await ResetConnectionAsync().ConfigureAwait(false);
                return Refusal(result.ResultCode);
            }
            Status.OnConnected();
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return "stopping";
        }
        catch (Exception e)
        {
            await ResetConnectionAsync().ConfigureAwait(false);
            return Describe(e);
        }
    }

    /// <summary>
    /// Publishes the retained state and then serves the connection until it drops (returns why) or
    /// <paramref name="cancellationToken"/> is cancelled (returns null).
    /// </summary>
    private async Task<string?> ServeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(_topics.LedSet, MqttQualityOfServiceLevel.AtLeastOnce, noLocal: false, retainAsPublished: false, MqttRetainHandling.SendAtSubscribe)
                .Build(), cancellationToken).ConfigureAwait(false);
            await PublishAsync(_topics.Availability, Encoding.ASCII.GetBytes(MqttTopics.Online), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
            foreach ((string topic, byte[] json) in _discovery)
                await PublishAsync(topic, json, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
            DeviceSnapshot device = await _device.ReadAsync(cancellationToken).ConfigureAwait(false);
            await PublishLedAsync(device.LedOn, cancellationToken).ConfigureAwait(false);
            await PublishAsync(_topics.Status, device.StatusJson, MqttQualityOfServiceLevel.AtMostOnce, cancellationToken).ConfigureAwait(false);
            Log.Connected(_log, Status.Broker, _options.ClientId, _topics.Status);
            return await PublishChangesAsync(device, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            return _disconnected.Task.IsCompleted ? _disconnected.Task.Result : Describe(e);
        }
    }

    private async Task<string?> PublishChangesAsync(DeviceSnapshot published, CancellationToken cancellationToken)
    {
        // Ends the waits still pending when the session does, so that no timer or channel reader outlives it.
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            return await WatchAsync(published, session.Token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await session.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Each <see cref="PollPeriod"/> or command: carries out commands, publishes what changed and the status when due.</summary>
    private async Task<string?> WatchAsync(DeviceSnapshot published, CancellationToken session, CancellationToken cancellationToken)
    {
        long statusDue = StatusDue();
        Task<bool>? command = null;
        Task? tick = null;
        while (true)
        {
            command ??= _commands.Reader.WaitToReadAsync(session).AsTask();
            tick ??= Task.Delay(PollPeriod, _time, session);
            Task woke = await Task.WhenAny(_disconnected.Task, command, tick).ConfigureAwait(false);
            if (woke == _disconnected.Task)
                return _disconnected.Task.Result;
            cancellationToken.ThrowIfCancellationRequested();
            if (command.IsCompleted)
            {
                command = null;
                while (_commands.Reader.TryRead(out LedCommand next))
                {
                    bool on = await _device.SwitchLedAsync(next, cancellationToken).ConfigureAwait(false);
                    Log.LedSwitched(_log, LedCommands.StatePayload(on), next.ToString().ToUpperInvariant());
                }
            }
            if (tick.IsCompleted)
                tick = null;
            DeviceSnapshot now = await _device.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (now.LedOn != published.LedOn)
                await PublishLedAsync(now.LedOn, cancellationToken).ConfigureAwait(false);
            if (now.ChangeKey != published.ChangeKey || _time.GetTimestamp() >= statusDue)
            {
                await PublishAsync(_topics.Status, now.StatusJson, MqttQualityOfServiceLevel.AtMostOnce, cancellationToken).ConfigureAwait(false);
                statusDue = StatusDue();
            }
            published = now;
        }
    }

    private long StatusDue() => _time.GetTimestamp() + (long)(_interval.TotalSeconds * _time.TimestampFrequency);

    private Task PublishLedAsync(bool on, CancellationToken cancellationToken) =>
        PublishAsync(_topics.LedState, Encoding.ASCII.GetBytes(LedCommands.StatePayload(on)), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);

    /// <summary>A retained message: every message of the device is state a newcomer should get at once.</summary>
    private async Task PublishAsync(string topic, byte[] payload, MqttQualityOfServiceLevel qos, CancellationToken cancellationToken)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(qos)
            .WithRetainFlag(true)
            .Build();
        await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        Status.OnPublished();
    }

    /// <summary>
    /// MQTTnet hands messages over on its receive loop, which must not wait for the broker (a QoS 1 publish there
    /// would wait for an acknowledgement that loop is meant to read), so commands are queued for <see cref="PublishChangesAsync"/>.
    /// </summary>
    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs received)
    {
        Status.OnReceived();
        MqttApplicationMessage message = received.ApplicationMessage;
        if (message.Topic == _topics.LedSet && LedCommands.TryParse(message.Payload, out LedCommand command))
        {
            _commands.Writer.TryWrite(command);
        }
        else
        {
            Status.OnCommandRejected();
            Log.CommandRejected(_log, message.Topic, message.Payload.Length);
        }
        return Task.CompletedTask;
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs disconnected)
    {
        if (disconnected.ClientWasConnected)
        {
            string why = disconnected.Exception is { } e ? Describe(e)
                : disconnected.ReasonString is { Length: > 0 } reason ? $"{disconnected.Reason}: {reason}"
                : $"the broker closed the connection ({disconnected.Reason})";
            _disconnected.TrySetResult(why);
        }
        return Task.CompletedTask;
    }

    /// <summary>Leaves MQTTnet ready for another <see cref="IMqttClient.ConnectAsync"/> after a failed attempt or a lost connection.</summary>
    private async Task ResetConnectionAsync()
    {
        try
        {
            if (_client.IsConnected)
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.UnspecifiedError).Build(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.ResetFailed(_log, e.Message);
        }
    }

    /// <summary>A clean stop: <c>offline</c> retained (a normal DISCONNECT discards the will, MQTT 3.1.1 §3.14.4), then DISCONNECT.</summary>
    private async Task StopAsync()
    {
        if (!_client.IsConnected)
            return;
        using var grace = new CancellationTokenSource(StopGrace, _time);
        try
        {
            await PublishAsync(_topics.Availability, Encoding.ASCII.GetBytes(MqttTopics.Offline), MqttQualityOfServiceLevel.AtLeastOnce, grace.Token).ConfigureAwait(false);
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), grace.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.ResetFailed(_log, e.Message);
        }
    }

    /// <summary>Waits <paramref name="delay"/> on the injected clock; false when cancelled first.</summary>
    private async Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>MQTT 3.1.1 §3.2.2.3 return codes (and MQTT 5's reason codes), as a person fixes them.</summary>
    private static string Refusal(MqttClientConnectResultCode code) => code switch
    {
        MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized =>
            $"the broker refused the user name or password ({code}); check --mqtt-user and --mqtt-pass or --mqtt-pass-file",
        MqttClientConnectResultCode.ClientIdentifierNotValid => $"the broker refused the client identifier ({code}); give another with --mqtt-client-id",
        _ => $"the broker refused the connection ({code})",
    };

    /// <summary>The message of <paramref name="e"/> and of what caused it, which is usually the part that says what went wrong.</summary>
    private static string Describe(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException or SocketException or Seqs.Dns.DnsResolveException)
                return inner.Message;
        }
        return e.InnerException is { } cause && cause.Message != e.Message ? $"{e.Message} ({cause.Message})" : e.Message;
    }

    public void Dispose()
    {
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync -= OnMessageAsync;
        _client.Dispose();
    }

    private static TaskCompletionSource<string> NewDisconnectedSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static partial class Log
    {
        [LoggerMessage(60, LogLevel.Information, "MQTT: connected to {Broker} as {ClientId}; status on {StatusTopic}")]
        public static partial void Connected(ILogger logger, string broker, string clientId, string statusTopic);

        [LoggerMessage(61, LogLevel.Warning, "MQTT: cannot connect to {Broker}: {Reason}; next attempt in {DelaySeconds:0.0} s")]
        public static partial void AttemptFailed(ILogger logger, string broker, string reason, double delaySeconds);

        [LoggerMessage(62, LogLevel.Warning, "MQTT: connection to {Broker} lost: {Reason}; reconnecting in {DelaySeconds:0.0} s")]
        public static partial void ConnectionLost(ILogger logger, string broker, string reason, double delaySeconds);

        [LoggerMessage(63, LogLevel.Information, "MQTT: LED {State} ({Command} from the broker)")]
        public static partial void LedSwitched(ILogger logger, string state, string command);

        [LoggerMessage(64, LogLevel.Debug, "MQTT: dropped a message on {Topic} ({Length} bytes): not ON, OFF or TOGGLE to the LED's command topic")]
        public static partial void CommandRejected(ILogger logger, string topic, long length);

        [LoggerMessage(65, LogLevel.Debug, "MQTT: closing the connection failed: {Reason}")]
        public static partial void ResetFailed(ILogger logger, string reason);
    }
}
