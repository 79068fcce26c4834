using System.Buffers;
using System.Net.Sockets;
using System.Text;
using MQTTnet;
using MQTTnet.Diagnostics.PacketInspection;
using MQTTnet.Exceptions;
using MQTTnet.Packets;
using Seqs.Simulation;

namespace Seqs.Tests.Device;

/// <summary>
/// A broker as the device's MQTT client meets it through MQTTnet's <see cref="IMqttClient"/>: refuses the first
/// <see cref="RefuseConnections"/> attempts as a closed port would, records each attempt, subscription and publish at
/// the virtual time it happened, and can drop the connection or deliver a message, as a broker restart or a
/// mosquitto_pub would.
/// </summary>
internal sealed class ScriptedMqttClient(VirtualClock clock) : IMqttClient
{
    private readonly object _gate = new();
    private readonly List<TimeSpan> _attempts = [];
    private readonly List<string> _subscriptions = [];
    private readonly List<(string Topic, string Payload, bool Retain)> _published = [];

    /// <summary>Attempts still to refuse.</summary>
    public int RefuseConnections { get; set; }

    public event Func<MqttApplicationMessageReceivedEventArgs, Task>? ApplicationMessageReceivedAsync;

    public event Func<MqttClientConnectedEventArgs, Task>? ConnectedAsync { add { } remove { } }

    public event Func<MqttClientConnectingEventArgs, Task>? ConnectingAsync { add { } remove { } }

    public event Func<MqttClientDisconnectedEventArgs, Task>? DisconnectedAsync;

    public event Func<InspectMqttPacketEventArgs, Task>? InspectPacketAsync { add { } remove { } }

    public bool IsConnected { get; private set; }

    public MqttClientOptions Options { get; private set; } = new();

    public TimeSpan[] Attempts
    {
        get
        {
            lock (_gate)
                return [.. _attempts];
        }
    }

    public string[] Subscriptions
    {
        get
        {
            lock (_gate)
                return [.. _subscriptions];
        }
    }

    public (string Topic, string Payload, bool Retain)[] Published
    {
        get
        {
            lock (_gate)
                return [.. _published];
        }
    }

    public Task<MqttClientConnectResult> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        lock (_gate)
            _attempts.Add(clock.Elapsed);
        Options = options;
        if (RefuseConnections > 0)
        {
            RefuseConnections--;
            throw new MqttCommunicationException(new SocketException((int)SocketError.ConnectionRefused));
        }
        IsConnected = true;
        return Task.FromResult(new MqttClientConnectResult { ResultCode = MqttClientConnectResultCode.Success });
    }

    public Task DisconnectAsync(MqttClientDisconnectOptions options, CancellationToken cancellationToken)
    {
        IsConnected = false;
        return Task.CompletedTask;
    }

    public Task<MqttClientPublishResult> PublishAsync(MqttApplicationMessage applicationMessage, CancellationToken cancellationToken)
    {
        if (!IsConnected)
            throw new MqttCommunicationException("The client is not connected.");
        lock (_gate)
            _published.Add((applicationMessage.Topic, Encoding.UTF8.GetString(applicationMessage.Payload), applicationMessage.Retain));
        return Task.FromResult(new MqttClientPublishResult(null, MqttClientPublishReasonCode.Success, null, []));
    }

    public Task<MqttClientSubscribeResult> SubscribeAsync(MqttClientSubscribeOptions options, CancellationToken cancellationToken)
    {
        lock (_gate)
            _subscriptions.AddRange(options.TopicFilters.Select(filter => filter.Topic));
        return Task.FromResult(new MqttClientSubscribeResult(0, [], null, []));
    }

    /// <summary>The broker goes away, as when it is restarted.</summary>
    public Task DropAsync()
    {
        IsConnected = false;
        return DisconnectedAsync?.Invoke(new MqttClientDisconnectedEventArgs(true, null, MqttClientDisconnectReason.UnspecifiedError, null, null,
            new MqttCommunicationException(new SocketException((int)SocketError.ConnectionReset)))) ?? Task.CompletedTask;
    }

    /// <summary>A message from the broker on <paramref name="topic"/>.</summary>
    public Task DeliverAsync(string topic, string payload)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).Build();
        return ApplicationMessageReceivedAsync?.Invoke(new MqttApplicationMessageReceivedEventArgs("device", message, new MqttPublishPacket(), null)) ?? Task.CompletedTask;
    }

    public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SendEnhancedAuthenticationExchangeDataAsync(MqttEnhancedAuthenticationExchangeData data, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<MqttClientUnsubscribeResult> UnsubscribeAsync(MqttClientUnsubscribeOptions options, CancellationToken cancellationToken) => throw new NotSupportedException();

    public void Dispose()
    {
    }
}
