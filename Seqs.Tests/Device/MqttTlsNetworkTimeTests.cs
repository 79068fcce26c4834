using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using Seqs.Device;
using Seqs.Device.Mqtt;
using Seqs.Simulation;
using Seqs.Tcp;
using Seqs.Tests.Interop;
using Seqs.Tests.Tls;
using Seqs.Tls;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Device;

/// <summary>
/// <c>--mqtt-tls</c> judges the broker's certificate at the device's network time when it runs NTP, as
/// <c>get https://</c> does (<see cref="GetJobTests"/>): the NTP server's clock is two years ahead of this machine's,
/// and the broker's certificate is valid only then. The device's MQTT client (MQTTnet with the device's options and
/// stream provider) connects to a broker on stack B that answers CONNECT with CONNACK through TLS.
/// </summary>
[NonParallelizable]
public sealed class MqttTlsNetworkTimeTests
{
    private const ushort BrokerPort = 8883;
    private const string ClientId = "clock-test";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan NetworkClockAhead = TimeSpan.FromDays(2 * 365 + 30);

    private X509Certificate2 _ca = null!;
    private X509Certificate2 _future = null!;
    private string _caFile = null!;

    [OneTimeSetUp]
    public void CreateCertificates()
    {
        _ca = TestCertificates.CreateCa();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        _future = TestCertificates.Issue(_ca, "broker.test", SimulatedPair.AddressB.ToIPAddress(), notBefore: now.AddYears(2), notAfter: now.AddYears(3));
        _caFile = Path.GetTempFileName();
        File.WriteAllText(_caFile, _ca.ExportCertificatePem());
    }

    [OneTimeTearDown]
    public void DisposeCertificates()
    {
        File.Delete(_caFile);
        _future.Dispose();
        _ca.Dispose();
    }

    [Test]
    public async Task BrokerValidOnlyAtNetworkTime_IsRefusedUntilNtpHasAnswered_ThenTheClientConnects()
    {
        using var stacks = new LoopedStacks();
        using var stop = new CancellationTokenSource();
        var broker = new ConnackBroker(stacks, _future);
        Task serving = broker.RunAsync(stop.Token);
        Task ntpServer = new SimulatedNtpServer(stacks.B) { Offset = NetworkClockAhead }.RunAsync(stop.Token);
        var time = new NetworkTimeService(stacks.A, SimulatedPair.AddressB.ToString(), NullLoggerFactory.Instance, NullLogger.Instance);
        MqttClientOptions options = DeviceOptionsFor(stacks, time);
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();

        Exception? beforeNtp = Assert.CatchAsync(() => client.ConnectAsync(options).WaitAsync(Bound));
        Assert.That(MessagesOf(beforeNtp), Does.Contain("has not been synchronised"), "before NTP the client says why it cannot judge the certificate");

        Task ntp = time.RunAsync(stop.Token);
        Assert.That(StackOnTap.WaitFor(() => time.IsSynchronized, Bound), Is.True, "the NTP client synchronises");
        MqttClientConnectResult result = await client.ConnectAsync(options).WaitAsync(Bound);

        Assert.That(result.ResultCode, Is.EqualTo(MqttClientConnectResultCode.Success));
        Assert.That(broker.ConnectsAnswered, Is.EqualTo(1), "only the attempt after NTP got through TLS to the broker");
        await client.DisconnectAsync().WaitAsync(Bound);
        await stop.CancelAsync();
        await Task.WhenAll(serving, ntpServer, ntp).WaitAsync(Bound);
    }

    [Test]
    public void WithoutNtp_TheSystemClockJudges_AndRefusesTheBrokerAsNotYetValid()
    {
        using var stacks = new LoopedStacks();
        using var stop = new CancellationTokenSource();
        var broker = new ConnackBroker(stacks, _future);
        Task serving = broker.RunAsync(stop.Token);
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();

        Exception? refused = Assert.CatchAsync(() => client.ConnectAsync(DeviceOptionsFor(stacks, time: null)).WaitAsync(Bound));

        Assert.That(MessagesOf(refused), Does.Contain("is not valid before"));
        Assert.That(broker.ConnectsAnswered, Is.Zero);
        stop.Cancel();
        Assert.That(serving.Wait(Bound), Is.True);
    }

    /// <summary>MQTTnet's options as the device makes them for <c>--mqtt-broker B --mqtt-tls --ca-file CA</c> (and <c>--ntp B</c> with <paramref name="time"/>).</summary>
    private MqttClientOptions DeviceOptionsFor(LoopedStacks stacks, NetworkTimeService? time)
    {
        var settings = new MqttSettings(SimulatedPair.AddressB.ToString(), BrokerPort, UseTls: true, _caFile, null, null, ClientId, "seqs/clock",
            MqttSettings.DefaultInterval, MqttSettings.DefaultKeepAlive);
        TlsClientOptions tls = DeviceServices.MqttTlsOptions(stacks.A, settings, time);
        return MqttDeviceClient.Options(settings, ClientId, new MqttTopics(settings.TopicPrefix), new StackStreamProvider(stacks.A, tls));
    }

    /// <summary>The messages of an exception and those it wraps (MQTTnet wraps the TLS refusal).</summary>
    private static string MessagesOf(Exception? exception)
    {
        var messages = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException)
            messages.Add($"{e.GetType().Name}: {e.Message}");
        return string.Join(" <- ", messages);
    }

    /// <summary>
    /// A broker on B that does just enough: TLS with the given certificate, and CONNACK "accepted" (MQTT 3.1.1 §3.2,
    /// MQTT 5 §3.2, after the protocol level of the CONNECT) to a CONNECT; then it reads until the client leaves.
    /// </summary>
    private sealed class ConnackBroker(LoopedStacks stacks, X509Certificate2 certificate)
    {
        private int _connectsAnswered;

        public int ConnectsAnswered => Volatile.Read(ref _connectsAnswered);

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var listener = new TcpListener(stacks.B.Tcp, BrokerPort);
            await stacks.Loop.InvokeAsync(() =>
            {
                listener.Start();
                return Task.CompletedTask;
            });
            try
            {
                while (true)
                {
                    TcpConnection connection = await listener.AcceptAsync(cancellationToken);
                    _ = Task.Run(() => AnswerAsync(connection), CancellationToken.None);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }

        private async Task AnswerAsync(TcpConnection connection)
        {
            try
            {
                await using TlsStream tls = await TlsConnection.AuthenticateAsServerAsync(connection, new TlsServerOptions(certificate));
                byte[] header = new byte[2];
                await tls.ReadExactlyAsync(header);
                int length = 0, shift = 0;
                byte next = header[1];
                while (true)
                {
                    length |= (next & 0x7F) << shift;
                    if ((next & 0x80) == 0)
                        break;
                    shift += 7;
                    await tls.ReadExactlyAsync(header.AsMemory(1, 1));
                    next = header[1];
                }
                byte[] connect = new byte[length];
                await tls.ReadExactlyAsync(connect);
                // The variable header: the protocol name "MQTT" (2 + 4 octets), then the protocol level: 4 (3.1.1) or 5.
                bool version5 = connect[6] == 5;
                await tls.WriteAsync(version5 ? new byte[] { 0x20, 0x03, 0x00, 0x00, 0x00 } : [0x20, 0x02, 0x00, 0x00]);
                Interlocked.Increment(ref _connectsAnswered);
                byte[] discard = new byte[512];
                while (await tls.ReadAsync(discard) > 0)
                {
                }
            }
            catch (Exception e) when (e is IOException or AuthenticationException or EndOfStreamException)
            {
                connection.Dispose();
            }
        }
    }
}
