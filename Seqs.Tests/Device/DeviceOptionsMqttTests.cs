using Seqs.Device;
using Seqs.Device.Mqtt;

namespace Seqs.Tests.Device;

/// <summary>The MQTT client's switches: their defaults, and a one-line refusal saying what to fix for each mistake.</summary>
[TestFixture]
public sealed class DeviceOptionsMqttTests
{
    private static readonly string[] Tap = ["--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24"];

    [Test]
    public void Broker_AloneTakesThePlainPortTheHostNamePrefixAndAMinuteInterval()
    {
        Assert.That(DeviceOptions.TryParse([.. Tap, "--hostname", "kitchen", "--mqtt-broker", "10.0.0.1"], out DeviceOptions options, out string error), Is.True, error);
        Assert.That(options.Mqtt, Is.EqualTo(new MqttSettings("10.0.0.1", 1883, false, null, null, null, null, "seqs/kitchen", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30))));
    }

    [Test]
    public void Tls_TakesThe8883PortUnlessOneIsGiven()
    {
        Assert.That(DeviceOptions.TryParse([.. Tap, "--mqtt-broker", "10.0.0.1", "--mqtt-tls"], out DeviceOptions options, out string error), Is.True, error);
        Assert.That((options.Mqtt!.Port, options.Mqtt.UseTls, options.Mqtt.TopicPrefix), Is.EqualTo((8883, true, "seqs/seqs-device")));
        Assert.That(DeviceOptions.TryParse([.. Tap, "--mqtt-broker", "10.0.0.1:9883", "--mqtt-tls"], out options, out error), Is.True, error);
        Assert.That(options.Mqtt!.Port, Is.EqualTo(9883));
    }

    [Test]
    public void EveryMqttSwitch_IsRead_AndThePasswordFileLosesItsLineEnd()
    {
        string ca = Path.GetTempFileName(), pass = Path.GetTempFileName();
        try
        {
            File.WriteAllText(pass, "s3cret\n");
            Assert.That(DeviceOptions.TryParse([.. Tap[..4], "--dhcp", "--mqtt-broker", "broker.lan", "--mqtt-tls", "--ca-file", ca, "--mqtt-user", "dev",
                "--mqtt-pass-file", pass, "--mqtt-client-id", "kitchen-1", "--mqtt-topic", "home/kitchen", "--mqtt-interval", "15", "--mqtt-keepalive", "90"], out DeviceOptions options, out string error), Is.True, error);
            Assert.That(options.Mqtt, Is.EqualTo(new MqttSettings("broker.lan", 8883, true, ca, "dev", "s3cret", "kitchen-1", "home/kitchen", TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(90))));
            Assert.That(options.Mqtt!.ToString(), Does.Not.Contain("s3cret"), "the password stays out of logs");
        }
        finally
        {
            File.Delete(ca);
            File.Delete(pass);
        }
    }

    [TestCase(new[] { "--mqtt-broker", "10.0.0.1" }, "--mqtt-broker needs a real link, --nic tap, enc28j60, cyw43 or serial; the simulated LAN has no broker.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-topic", "a/b" }, "--mqtt-topic configures the MQTT client; add --mqtt-broker HOST[:PORT] to turn it on.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-broker", "10.0.0.1:0" }, "--mqtt-broker '10.0.0.1:0' has no TCP port after the colon; give 1 to 65535, such as --mqtt-broker 10.0.0.1:1883.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-broker", "not a host" }, "--mqtt-broker 'not a host' is neither an IPv4 address nor a host name; give one such as --mqtt-broker 192.168.1.10 or --mqtt-broker broker.local:1883.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-broker", "broker.lan" }, "--mqtt-broker broker.lan is a name, which needs DNS servers from --dhcp; with a static --ip give the broker's address.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-broker", "10.0.0.1", "--ca-file", "ca.pem" }, "--ca-file ca.pem is for TLS: add --mqtt-tls, or drop --ca-file for plain MQTT.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-broker", "10.0.0.1", "--mqtt-tls", "--ca-file", "/nonexistent/ca.pem" }, "--ca-file /nonexistent/ca.pem does not exist; give the PEM file of the CA that signed the broker's certificate.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-broker", "10.0.0.1", "--mqtt-pass", "x" }, "--mqtt-pass needs --mqtt-user: MQTT sends a password only with a user name.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-broker", "10.0.0.1", "--mqtt-user", "u", "--mqtt-pass", "x", "--mqtt-pass-file", "p" }, "--mqtt-pass and --mqtt-pass-file both give the password; give one of them (the file keeps it out of the process list).")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-broker", "10.0.0.1", "--mqtt-user", "u", "--mqtt-pass-file", "/nonexistent/pass" }, "--mqtt-pass-file /nonexistent/pass cannot be read (Could not find a part of the path '/nonexistent/pass'.); give a readable file holding the password.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-broker", "10.0.0.1", "--mqtt-topic", "home/#" }, "--mqtt-topic 'home/#' is not a topic prefix; give topic levels without + or # and without a leading or trailing /, such as --mqtt-topic home/kitchen/seqs.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-broker", "10.0.0.1", "--mqtt-topic", "home/" }, "--mqtt-topic 'home/' is not a topic prefix; give topic levels without + or # and without a leading or trailing /, such as --mqtt-topic home/kitchen/seqs.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-broker", "10.0.0.1", "--mqtt-interval", "0" }, "--mqtt-interval '0' is not a number of seconds; give 1 to 86400, such as --mqtt-interval 60.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-broker", "10.0.0.1", "--mqtt-keepalive", "65536" }, "--mqtt-keepalive '65536' is not a number of seconds; give 0 (no keep-alive) to 65535 (MQTT's 16-bit field), such as --mqtt-keepalive 30.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-broker", "10.0.0.1", "--mqtt-keepalive", "-5" }, "--mqtt-keepalive '-5' is not a number of seconds; give 0 (no keep-alive) to 65535 (MQTT's 16-bit field), such as --mqtt-keepalive 30.")]
    [TestCase(new[] { "--nic", "tap", "--tap-name", "tap0", "--ip", "10.0.0.2/24", "--mqtt-keepalive", "30" }, "--mqtt-keepalive configures the MQTT client; add --mqtt-broker HOST[:PORT] to turn it on.")]
    public void InvalidMqttSwitch_IsRejectedWithOneLineSayingWhatToFix(string[] args, string expected)
    {
        Assert.That(DeviceOptions.TryParse(args, out _, out string error), Is.False);
        Assert.That(error, Is.EqualTo(expected));
    }
}
