using System.Diagnostics;
using System.Globalization;
using MQTTnet;
using MQTTnet.Protocol;
using Seqs.Device.Mqtt;
using Seqs.Stack;

namespace Seqs.Device.Diagnostics;

/// <summary>
/// <c>seqs-device mqtt-bench BROKER[:PORT] [--count N]</c>: the device's MQTT path (MQTTnet over the stack's TCP, as
/// <c>--mqtt-broker</c> uses it) measured against a broker: N QoS 0 publishes of 64 bytes as fast as they go (closed
/// by a QoS 1 publish, whose PUBACK says the broker has read them all), then N/10 QoS 1 publishes one at a time, each
/// timed from PUBLISH to PUBACK.
/// </summary>
internal sealed class MqttBenchJob(string host, int port, int count) : IDiagnosticJob
{
    private const string CountSwitch = "--count";
    private const int DefaultCount = 20_000, MaxCount = 1_000_000, PayloadLength = 64;
    private const string Topic = "seqs/bench";

    /// <summary>Reads <c>BROKER[:PORT]</c> and takes <c>--count N</c> out of <paramref name="switches"/> (the rest are the device's).</summary>
    public static bool TryCreate(string target, ref string[] switches, out MqttBenchJob job, out string error)
    {
        job = null!;
        error = "";
        int colon = target.LastIndexOf(':');
        string host = colon < 0 ? target : target[..colon];
        int port = MqttSettings.PlainPort;
        if (colon >= 0 && (!int.TryParse(target[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            error = $"mqtt-bench '{target}' has no TCP port after the colon; give 1 to 65535, such as 10.0.0.1:1883.";
            return false;
        }
        int count = DefaultCount;
        int at = Array.IndexOf(switches, CountSwitch);
        if (at >= 0)
        {
            if (at + 1 >= switches.Length || !int.TryParse(switches[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 10 or > MaxCount)
            {
                error = $"{CountSwitch} needs a number of publishes from 10 to {MaxCount}, such as {CountSwitch} {DefaultCount}.";
                return false;
            }
            switches = [.. switches[..at], .. switches[(at + 2)..]];
        }
        job = new MqttBenchJob(host, port, count);
        return true;
    }

    public async Task<int> RunAsync(NetStack stack, NetworkTimeService? time, TextWriter output, CancellationToken cancellationToken)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithStreamProvider(new StackStreamProvider(stack, tls: null))
            .WithClientId($"seqs-bench-{Environment.ProcessId}")
            .WithCleanSession(true)
            .WithTimeout(MqttDeviceClient.OperationTimeout)
            .Build();
        // Off the loop, as the device's client runs: the loop only moves the bytes.
        return await Task.Run(async () =>
        {
            MqttClientConnectResult connected = await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                await output.WriteLineAsync($"mqtt-bench: {host}:{port} refused the connection ({connected.ResultCode})").ConfigureAwait(false);
                return 1;
            }
            byte[] payload = new byte[PayloadLength];
            MqttApplicationMessage qos0 = Message(payload, MqttQualityOfServiceLevel.AtMostOnce), qos1 = Message(payload, MqttQualityOfServiceLevel.AtLeastOnce);
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
                await client.PublishAsync(qos0, cancellationToken).ConfigureAwait(false);
            await client.PublishAsync(qos1, cancellationToken).ConfigureAwait(false);
            double seconds = clock.Elapsed.TotalSeconds;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"QoS 0: {count} publishes of {PayloadLength} bytes in {seconds:0.000} s: {count / seconds:0} messages/s")).ConfigureAwait(false);

            double[] roundTrips = new double[count / 10];
            for (int i = 0; i < roundTrips.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                await client.PublishAsync(qos1, cancellationToken).ConfigureAwait(false);
                roundTrips[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            Array.Sort(roundTrips);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"QoS 1: {roundTrips.Length} publishes one at a time, PUBLISH to PUBACK mean {roundTrips.Average():0.000} ms, median {roundTrips[roundTrips.Length / 2]:0.000} ms, 99th percentile {roundTrips[roundTrips.Length * 99 / 100]:0.000} ms")).ConfigureAwait(false);
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(true);
    }

    private static MqttApplicationMessage Message(byte[] payload, MqttQualityOfServiceLevel qos) =>
        new MqttApplicationMessageBuilder().WithTopic(Topic).WithPayload(payload).WithQualityOfServiceLevel(qos).Build();
}
