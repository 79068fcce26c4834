using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Seqs.Tests.Interop;

/// <summary>
/// The device's MQTT client (<c>--mqtt-broker</c>) against Debian's mosquitto in the test's namespace, read and driven
/// with mosquitto_sub and mosquitto_pub: the retained status, availability and Home Assistant discovery documents,
/// the LED switched and its state echoed, the way back after the broker restarts; TLS with a CA made by openssl in
/// the test and password authentication (mosquitto_passwd); wrong credentials logged and retried with backoff.
/// </summary>
public sealed partial class DeviceProcessTests
{
    private const string MqttPrefix = "seqs/mqtt-test";
    private static readonly TimeSpan MqttPatience = TimeSpan.FromSeconds(30);

    [Test]
    [Category("Interop")]
    public void MqttDevice_PublishesRetainedStatusAndDiscovery_ObeysTheLed_AndComesBackAfterTheBrokerRestarts()
    {
        using var ns = NetworkNamespace.Create("ping", "curl", "mosquitto", "mosquitto_sub", "mosquitto_pub", "chromium");
        string tap = AddPersistentTap(ns);
        string files = Directory.CreateTempSubdirectory("seqs-mqtt-").FullName;
        try
        {
            string config = WriteBrokerConfig(files, $"listener 1883 {KernelSide.Address}\nallow_anonymous true\n");
            BackgroundCommand broker = StartBroker(ns, config);
            using BackgroundCommand device = StartDeviceOnTap(ns, tap, "--mqtt-broker", KernelSide.Address.ToString(), "--mqtt-topic", MqttPrefix, "--mqtt-interval", "2");
            WaitUntilAnswering(ns, device);

            using (JsonDocument status = JsonDocument.Parse(ReadRetained(ns, $"{MqttPrefix}/status")))
                Assert.That(status.RootElement.GetProperty("address").GetString(), Is.EqualTo(DeviceAddress.Address.ToString()));
            Assert.That(ReadRetained(ns, $"{MqttPrefix}/availability"), Is.EqualTo("online"));
            AssertHomeAssistantDiscovery(ns, "");

            SwitchLedOverMqtt(ns, "ON", "ON", "");
            Assert.That(ns.Exec($"curl -sS --max-time 10 http://{DeviceAddress.Address}/api/status").StandardOutput, Does.Contain("\"ledOn\":true"));
            SwitchLedOverMqtt(ns, "TOGGLE", "OFF", "");
            ns.ExecChecked($"mosquitto_pub -h {KernelSide.Address} -t {MqttPrefix}/led/set -q 1 -m BLINK");

            broker.Dispose();
            Assert.That(StackOnTap.WaitFor(() => device.Output.Contains("MQTT: connection to", StringComparison.Ordinal), MqttPatience), Is.True, device.Output);
            broker = StartBroker(ns, config);
            Assert.That(StackOnTap.WaitFor(() => MqttConnections().Count(device.Output) >= 2, MqttPatience), Is.True, "back within the backoff: " + device.Output);
            Assert.That(ReadRetained(ns, $"{MqttPrefix}/availability"), Is.EqualTo("online"), "republished after the restart");
            AssertHomeAssistantDiscovery(ns, "");
            SwitchLedOverMqtt(ns, "ON", "ON", "");

            using (JsonDocument stats = JsonDocument.Parse(ns.ExecChecked($"curl -sS --max-time 10 http://{DeviceAddress.Address}/api/stats").StandardOutput))
            {
                JsonElement mqtt = stats.RootElement.GetProperty("mqtt");
                Assert.That(mqtt.GetProperty("state").GetString(), Is.EqualTo("connected"), mqtt.ToString());
                Assert.That(mqtt.GetProperty("reconnects").GetInt64(), Is.EqualTo(1), mqtt.ToString());
                Assert.That(mqtt.GetProperty("messagesReceived").GetInt64(), Is.GreaterThanOrEqualTo(4), mqtt.ToString());
                Assert.That(mqtt.GetProperty("commandsRejected").GetInt64(), Is.EqualTo(1), "BLINK is dropped and counted: " + mqtt);
            }
            string profile = Path.Combine(files, "chromium");
            CommandResult page = ns.Exec($"chromium --headless=new --no-sandbox --disable-gpu --user-data-dir={profile} --virtual-time-budget=5000 --dump-dom http://{DeviceAddress.Address}/", TimeSpan.FromSeconds(90));
            Assert.That(page.StandardOutput, Does.Contain($"<td id=\"mqtt\">connected, mqtt://{KernelSide.Address}:1883/{MqttPrefix}, "), page.ToString());

            Signal(device, "INT");
            AssertStoppedCleanly(device);
            Assert.That(ReadRetained(ns, $"{MqttPrefix}/availability"), Is.EqualTo("offline"), "a clean stop says offline");
            broker.Dispose();
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
    }

    [Test]
    [Category("Interop")]
    public void MqttDevice_OverTlsWithPassword_ChecksTheBrokerAgainstTheCaFile_AndLogsWrongCredentialsWithBackoff()
    {
        using var ns = NetworkNamespace.Create("ping", "openssl", "mosquitto", "mosquitto_sub", "mosquitto_pub", "mosquitto_passwd");
        string tap = AddPersistentTap(ns);
        string files = Directory.CreateTempSubdirectory("seqs-mqtts-").FullName;
        try
        {
            string ca = Path.Combine(files, "ca.pem"), certificate = Path.Combine(files, "broker.pem"), key = Path.Combine(files, "broker.key");
            ns.ExecChecked(
                $"cd {files} && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out {ca} -subj '/CN=Seqs MQTT test CA' -days 2 2>&1" +
                $" && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {key} -out broker.csr -subj '/CN=broker' 2>&1" +
                $" && printf 'subjectAltName=IP:{KernelSide.Address}\\n' > san.ext" +
                $" && openssl x509 -req -in broker.csr -CA {ca} -CAkey ca.key -CAcreateserial -out {certificate} -days 2 -extfile san.ext 2>&1" +
                $" && mosquitto_passwd -b -c passwords seqs 'correct horse' && printf 'correct horse\\n' > pass && printf 'wrong horse\\n' > wrong");
            string config = WriteBrokerConfig(files,
                $"listener 8883 {KernelSide.Address}\ncafile {ca}\ncertfile {certificate}\nkeyfile {key}\nallow_anonymous false\npassword_file {Path.Combine(files, "passwords")}\n");
            using BackgroundCommand broker = StartBroker(ns, config);
            string subscriber = $"--cafile {ca} -p 8883 -u seqs -P 'correct horse'";

            using (BackgroundCommand device = StartDeviceOnTap(ns, tap, "--mqtt-broker", KernelSide.Address.ToString(), "--mqtt-tls", "--ca-file", ca,
                "--mqtt-user", "seqs", "--mqtt-pass-file", Path.Combine(files, "pass"), "--mqtt-topic", MqttPrefix, "--mqtt-keepalive", "20"))
            {
                WaitUntilAnswering(ns, device);
                using (JsonDocument status = JsonDocument.Parse(ReadRetained(ns, $"{MqttPrefix}/status", subscriber)))
                    Assert.That(status.RootElement.GetProperty("address").GetString(), Is.EqualTo(DeviceAddress.Address.ToString()));
                Assert.That(StackOnTap.WaitFor(() => device.Output.Contains("MQTT: connected to mqtts://seqs@", StringComparison.Ordinal), MqttPatience), Is.True, device.Output);
                // mosquitto logs each CONNECT's keep-alive: "New client connected from ... as ID (p5, c1, k20, u'seqs')."
                Assert.That(broker.Output, Does.Contain(", k20, u'seqs')"), "the CONNECT carries --mqtt-keepalive: " + broker.Output);
                SwitchLedOverMqtt(ns, "ON", "ON", subscriber);
                Signal(device, "INT");
                AssertStoppedCleanly(device);
            }

            using (BackgroundCommand refused = StartDeviceOnTap(ns, tap, "--mqtt-broker", KernelSide.Address.ToString(), "--mqtt-tls", "--ca-file", ca,
                "--mqtt-user", "seqs", "--mqtt-pass-file", Path.Combine(files, "wrong"), "--mqtt-topic", MqttPrefix))
            {
                Assert.That(StackOnTap.WaitFor(() => MqttRefusals().Count(refused.Output) >= 3, TimeSpan.FromSeconds(60)), Is.True, refused.Output);
                double[] delays = [.. MqttRefusals().Matches(refused.Output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
                Assert.That(delays[0], Is.InRange(0.8, 1.2), refused.Output);
                for (int i = 1; i < delays.Length; i++)
                    Assert.That(delays[i], Is.GreaterThan(delays[i - 1]), "each refusal waits longer, no tight loop: " + refused.Output);
                Signal(refused, "INT");
                AssertStoppedCleanly(refused);
            }
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
    }

    [Test]
    [Category("Interop")]
    public void MqttBench_PublishesAtQos0AndTimesQos1PubacksThroughTheStack()
    {
        using var ns = NetworkNamespace.Create("mosquitto", "mosquitto_sub");
        string tap = AddPersistentTap(ns);
        string files = Directory.CreateTempSubdirectory("seqs-mqtt-bench-").FullName;
        try
        {
            using BackgroundCommand broker = StartBroker(ns, WriteBrokerConfig(files, $"listener 1883 {KernelSide.Address}\nallow_anonymous true\n"));
            using BackgroundCommand received = ns.Start($"exec mosquitto_sub -h {KernelSide.Address} -t seqs/bench -C 200 -W 60");
            Thread.Sleep(500); // the subscriber's SUBSCRIBE reaches the broker before the first publish
            CommandResult bench = HostCommand.Run("ip", ["netns", "exec", ns.Name, DotnetHost(), DevicePath(), "mqtt-bench", KernelSide.Address.ToString(), "--count", "200",
                "--nic", "tap", "--tap-name", tap, "--ip", DeviceAddress.ToString()], TimeSpan.FromSeconds(90));

            Assert.That(bench.ExitCode, Is.Zero, bench.ToString());
            Assert.That(bench.StandardOutput, Does.Match(@"QoS 0: 200 publishes of 64 bytes in [0-9.]+ s: [0-9]+ messages/s"), bench.ToString());
            Assert.That(bench.StandardOutput, Does.Match(@"QoS 1: 20 publishes one at a time, PUBLISH to PUBACK mean [0-9.]+ ms"), bench.ToString());
            Assert.That(received.WaitForExit(TimeSpan.FromSeconds(30)) && received.ExitCode == 0, Is.True, "the broker passed on all 200: " + received.Output);
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
    }

    /// <summary>mosquitto's configuration with persistence off and root kept (the test's files are root's alone).</summary>
    private static string WriteBrokerConfig(string directory, string listener)
    {
        string path = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllText(path, $"user root\npersistence false\nlog_dest stderr\n{listener}");
        return path;
    }

    private static BackgroundCommand StartBroker(NetworkNamespace ns, string config)
    {
        BackgroundCommand broker = ns.Start($"exec mosquitto -c {config}");
        Assert.That(StackOnTap.WaitFor(() => broker.HasExited || broker.Output.Contains(" running", StringComparison.Ordinal), StartPatience) && !broker.HasExited, Is.True, broker.Output);
        return broker;
    }

    /// <summary>The retained message of <paramref name="topic"/> as mosquitto_sub reads it once.</summary>
    private static string ReadRetained(NetworkNamespace ns, string topic, string options = "") =>
        ns.ExecChecked($"mosquitto_sub -h {KernelSide.Address} {options} -t '{topic}' -C 1 -W 20", TimeSpan.FromSeconds(30)).StandardOutput.Trim();

    /// <summary>Sends <paramref name="command"/> to the LED and waits for its retained state to read <paramref name="expected"/>.</summary>
    private static void SwitchLedOverMqtt(NetworkNamespace ns, string command, string expected, string options)
    {
        ns.ExecChecked($"mosquitto_pub -h {KernelSide.Address} {options} -t {MqttPrefix}/led/set -q 1 -m {command}", TimeSpan.FromSeconds(30));
        string state = "";
        Assert.That(StackOnTap.WaitFor(() => (state = ReadRetained(ns, $"{MqttPrefix}/led/state", options)) == expected, MqttPatience), Is.True,
            $"led/state is {state} after {command}");
    }

    /// <summary>The discovery documents: valid JSON, each with what Home Assistant requires of its component.</summary>
    private static void AssertHomeAssistantDiscovery(NetworkNamespace ns, string options)
    {
        string[] lines = ns.ExecChecked($"mosquitto_sub -h {KernelSide.Address} {options} -t 'homeassistant/#' -v -W 3 || true", TimeSpan.FromSeconds(30))
            .StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.GreaterThanOrEqualTo(4), string.Join('\n', lines));
        var uniqueIds = new HashSet<string>();
        foreach (string line in lines)
        {
            string topic = line[..line.IndexOf(' ', StringComparison.Ordinal)];
            using JsonDocument document = JsonDocument.Parse(line[(topic.Length + 1)..]);
            JsonElement config = document.RootElement;
            Assert.That(topic, Does.Match("^homeassistant/(switch|sensor)/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+/config$"));
            Assert.That(uniqueIds.Add(config.GetProperty("unique_id").GetString()!), Is.True, "unique ids: " + line);
            Assert.That(config.GetProperty("availability_topic").GetString(), Is.EqualTo($"{MqttPrefix}/availability"), line);
            Assert.That(config.GetProperty("device").GetProperty("identifiers").GetArrayLength(), Is.EqualTo(1), line);
            Assert.That(config.GetProperty("device").GetProperty("connections")[0][1].GetString(), Is.EqualTo(DeviceMac.ToString()), line);
            if (topic.StartsWith("homeassistant/switch/", StringComparison.Ordinal))
            {
                Assert.That(config.GetProperty("command_topic").GetString(), Is.EqualTo($"{MqttPrefix}/led/set"), line);
                Assert.That(config.GetProperty("state_topic").GetString(), Is.EqualTo($"{MqttPrefix}/led/state"), line);
            }
            else
            {
                Assert.That(config.GetProperty("state_topic").GetString(), Is.EqualTo($"{MqttPrefix}/status"), line);
                Assert.That(config.GetProperty("value_template").GetString(), Does.StartWith("{{ value_json."), line);
            }
        }
        Assert.That(lines.Count(line => line.StartsWith("homeassistant/switch/", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(lines, Has.Some.Contains("value_json.uptimeSeconds"));
    }

    [GeneratedRegex("MQTT: connected to ")]
    private static partial Regex MqttConnections();

    [GeneratedRegex(@"refused the user name or password.*; next attempt in ([0-9.]+) s")]
    private static partial Regex MqttRefusals();
}
