using System.Globalization;
using System.Text;
using Seqs.Device.Mqtt;
using Seqs.Device.Nics;
using Seqs.Wire;

namespace Seqs.Device;

public sealed partial class DeviceOptions
{
    private const string MqttBrokerOption = "--mqtt-broker", MqttTlsOption = "--mqtt-tls", CaFileOption = "--ca-file",
        MqttUserOption = "--mqtt-user", MqttPasswordOption = "--mqtt-pass", MqttPasswordFileOption = "--mqtt-pass-file",
        MqttClientIdOption = "--mqtt-client-id", MqttTopicOption = "--mqtt-topic", MqttIntervalOption = "--mqtt-interval",
        MqttKeepAliveOption = "--mqtt-keepalive";

    /// <summary>The switches that only mean something with <c>--mqtt-broker</c>.</summary>
    private static readonly string[] MqttDetailOptions =
        [MqttTlsOption, CaFileOption, MqttUserOption, MqttPasswordOption, MqttPasswordFileOption, MqttClientIdOption, MqttTopicOption, MqttIntervalOption, MqttKeepAliveOption];

    /// <summary>MQTT 3.1.1 §1.5.3: a UTF-8 string (a topic, a client identifier) is at most 65,535 bytes.</summary>
    private const int MaxMqttStringBytes = 65_535;

    private const int MaxMqttIntervalSeconds = 86_400;

    /// <summary>The MQTT client of <c>--mqtt-broker</c>; null when the device talks to no broker.</summary>
    public MqttSettings? Mqtt { get; private set; }

    private bool TryReadMqtt(GivenSwitches values, out string error)
    {
        error = "";
        if (!values.TryGetValue(MqttBrokerOption, out string? broker))
        {
            string? stray = values.FirstGiven(MqttDetailOptions);
            return stray is null || Fail($"{stray} configures the MQTT client; add --mqtt-broker HOST[:PORT] to turn it on.", out error);
        }
        if (IsSimulated)
            return Fail($"--mqtt-broker needs a real link, {RealLinks}; the simulated LAN has no broker.", out error);
        bool tls = values.ContainsKey(MqttTlsOption);
        if (!TryReadBroker(broker, tls, out string host, out int port, out error))
            return false;
        string? caFile = values.GetValueOrDefault(CaFileOption);
        if (caFile is not null && !tls)
            return Fail($"--ca-file {caFile} is for TLS: add --mqtt-tls, or drop --ca-file for plain MQTT.", out error);
        if (caFile is not null && !File.Exists(caFile))
            return Fail($"--ca-file {caFile} does not exist; give the PEM file of the CA that signed the broker's certificate.", out error);
        if (!TryReadMqttCredentials(values, out string? user, out string? password, out error))
            return false;
        string? clientId = values.GetValueOrDefault(MqttClientIdOption);
        if (clientId is not null && (Encoding.UTF8.GetByteCount(clientId) > MaxMqttStringBytes || clientId.Any(char.IsControl)))
            return Fail($"--mqtt-client-id is not an MQTT client identifier; give up to {MaxMqttStringBytes} bytes without control characters, such as --mqtt-client-id kitchen-sensor (brokers must take 1 to 23 letters and digits).", out error);
        string prefix = values.GetValueOrDefault(MqttTopicOption, $"seqs/{HostName ?? DeviceServices.DefaultName}");
        // MQTT 3.1.1 §4.7.1: the wildcards + and # may not appear in a topic name one publishes to.
        if (prefix.Length == 0 || prefix[0] == '/' || prefix[^1] == '/' || prefix.IndexOfAny(['+', '#', '\0']) >= 0 || Encoding.UTF8.GetByteCount(prefix) > MaxMqttStringBytes - 32)
            return Fail($"--mqtt-topic '{prefix}' is not a topic prefix; give topic levels without + or # and without a leading or trailing /, such as --mqtt-topic home/kitchen/seqs.", out error);
        if (!TryReadMqttInterval(values, out TimeSpan interval, out error) || !TryReadMqttKeepAlive(values, out TimeSpan keepAlive, out error))
            return false;
        Mqtt = new MqttSettings(host, port, tls, caFile, user, password, clientId, prefix, interval, keepAlive);
        return true;
    }

    private bool TryReadBroker(string broker, bool tls, out string host, out int port, out string error)
    {
        error = "";
        host = broker;
        port = tls ? MqttSettings.TlsPort : MqttSettings.PlainPort;
        int colon = broker.LastIndexOf(':');
        if (colon >= 0)
        {
            host = broker[..colon];
            string portText = broker[(colon + 1)..];
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
                return Fail($"--mqtt-broker '{broker}' has no TCP port after the colon; give 1 to 65535, such as --mqtt-broker 10.0.0.1:1883.", out error);
        }
        if (Ipv4Address.TryParse(host.AsSpan(), out _))
            return true;
        if (DnsName.Encode(host) is null || host.Split('.').Any(label => !IsHostNameLabel(label)))
            return Fail($"--mqtt-broker '{broker}' is neither an IPv4 address nor a host name; give one such as --mqtt-broker 192.168.1.10 or --mqtt-broker broker.local:1883.", out error);
        if (!UseDhcp)
            return Fail($"--mqtt-broker {host} is a name, which needs DNS servers from --dhcp; with a static --ip give the broker's address.", out error);
        return true;
    }

    private static bool TryReadMqttCredentials(GivenSwitches values, out string? user, out string? password, out string error)
    {
        error = "";
        user = values.GetValueOrDefault(MqttUserOption);
        password = values.GetValueOrDefault(MqttPasswordOption);
        string? passwordFile = values.GetValueOrDefault(MqttPasswordFileOption);
        if (password is not null && passwordFile is not null)
            return Fail("--mqtt-pass and --mqtt-pass-file both give the password; give one of them (the file keeps it out of the process list).", out error);
        if (passwordFile is not null)
        {
            try
            {
                password = File.ReadAllText(passwordFile).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail($"--mqtt-pass-file {passwordFile} cannot be read ({e.Message}); give a readable file holding the password.", out error);
            }
            if (password.Length == 0)
                return Fail($"--mqtt-pass-file {passwordFile} is empty; put the password in it.", out error);
        }
        // MQTT 3.1.1 §3.1.2.9: a password may only be sent with a user name.
        if (password is not null && user is null)
            return Fail($"{(passwordFile is null ? MqttPasswordOption : MqttPasswordFileOption)} needs --mqtt-user: MQTT sends a password only with a user name.", out error);
        return true;
    }

    private static bool TryReadMqttInterval(GivenSwitches values, out TimeSpan interval, out string error)
    {
        error = "";
        interval = MqttSettings.DefaultInterval;
        if (!values.TryGetValue(MqttIntervalOption, out string? text))
            return true;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) || seconds is < 1 or > MaxMqttIntervalSeconds)
            return Fail($"--mqtt-interval '{text}' is not a number of seconds; give 1 to {MaxMqttIntervalSeconds}, such as --mqtt-interval 60.", out error);
        interval = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>
    /// MQTT 3.1.1 §3.1.2.10: the Keep Alive is a 16-bit number of seconds; the broker drops a client silent for one
    /// and a half times it, and 0 turns the mechanism off.
    /// </summary>
    private static bool TryReadMqttKeepAlive(GivenSwitches values, out TimeSpan keepAlive, out string error)
    {
        error = "";
        keepAlive = MqttSettings.DefaultKeepAlive;
        if (!values.TryGetValue(MqttKeepAliveOption, out string? text))
            return true;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) || seconds > ushort.MaxValue)
            return Fail($"--mqtt-keepalive '{text}' is not a number of seconds; give 0 (no keep-alive) to {ushort.MaxValue} (MQTT's 16-bit field), such as --mqtt-keepalive 30.", out error);
        keepAlive = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
