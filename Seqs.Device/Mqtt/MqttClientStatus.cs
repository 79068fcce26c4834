namespace Seqs.Device.Mqtt;

/// <summary>
/// The MQTT client's state and counters, in <c>/api/status</c> and <c>/api/stats</c> (<c>mqtt</c>). The client
/// updates them from its own task and the web server reads them on the loop, so each is read and written whole.
/// </summary>
public sealed class MqttClientStatus
{
    private long _messagesPublished;
    private long _messagesReceived;
    private long _commandsRejected;
    private long _connects;
    private long _failedAttempts;
    private volatile string _state = "connecting";
    private volatile string? _lastError;

    /// <summary>The broker as configured: <c>mqtt://HOST:PORT</c> or <c>mqtts://…</c>.</summary>
    public string Broker { get; init; } = "";

    /// <summary><c>connecting</c>, <c>connected</c> or <c>disconnected</c> (waiting to try again).</summary>
    public string State => _state;

    public bool Connected => _state == ConnectedState;

    /// <summary>Why the last attempt or connection failed; null until one has.</summary>
    public string? LastError => _lastError;

    public long MessagesPublished => Interlocked.Read(ref _messagesPublished);

    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    /// <summary>Messages to <c>PREFIX/led/set</c> that were not ON, OFF or TOGGLE, dropped.</summary>
    public long CommandsRejected => Interlocked.Read(ref _commandsRejected);

    /// <summary>Connections after the first: how often the client came back.</summary>
    public long Reconnects => Math.Max(0, Interlocked.Read(ref _connects) - 1);

    /// <summary>Attempts the broker refused or that failed before it answered.</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    internal const string ConnectingState = "connecting", ConnectedState = "connected", DisconnectedState = "disconnected";

    internal void OnConnecting() => _state = ConnectingState;

    internal void OnConnected()
    {
        Interlocked.Increment(ref _connects);
        _state = ConnectedState;
    }

    internal void OnAttemptFailed(string error)
    {
        Interlocked.Increment(ref _failedAttempts);
        _lastError = error;
        _state = DisconnectedState;
    }

    internal void OnDisconnected(string error)
    {
        _lastError = error;
        _state = DisconnectedState;
    }

    internal void OnPublished() => Interlocked.Increment(ref _messagesPublished);

    internal void OnReceived() => Interlocked.Increment(ref _messagesReceived);

    internal void OnCommandRejected() => Interlocked.Increment(ref _commandsRejected);
}
