using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Device;
using Seqs.Device.Nics;
using Seqs.Device.Web;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Device;

/// <summary>
/// What the status page shows beyond the counters: the traffic chart drawn from the device's samples, the HTTPS state
/// and, on a CYW43439, the Wi-Fi signal, each through the device's own services on a simulated network.
/// </summary>
[NonParallelizable]
public sealed class StatusPageTests
{
    private static readonly string Host = SimulatedPair.AddressB.ToString();

    [Test]
    public void TrafficChart_OnThePageAndAlone_HasAPointPerSample_AndTheTrafficOfAnIntervalRaisesItsPoint()
    {
        using var device = new DeviceServicesOnPair();
        TrafficHistory history = device.Services.Collector.Traffic;
        device.Pair.Simulation.RunFor(TrafficHistory.Interval * 3);
        int quiet = history.Count;
        device.Send(Get("/api/status"));
        device.Pair.Simulation.RunFor(TrafficHistory.Interval);

        string alone = device.Send(Get(StatusSite.TrafficChartPath));
        string page = device.Send(Get("/"));

        Assert.That(quiet, Is.GreaterThanOrEqualTo(2), "a sample every interval");
        Assert.That(alone, Does.StartWith("HTTP/1.1 200 ").And.Contain("Content-Type: image/svg+xml"));
        XElement chart = XElement.Parse(Body(alone));
        string[] points = TrafficChartTests.Points(chart, "trafficIn").Split(' ');
        Assert.That(points, Has.Length.EqualTo(history.Count));
        Assert.That(history.Count, Is.GreaterThan(quiet));
        int[] heights = [.. points.Select(p => int.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture))];
        Assert.That(heights[^1], Is.LessThan(heights[0]), "the interval with the request is higher than the quiet one before it");
        Assert.That(history.BytesIn(history.Count - 1), Is.GreaterThan(history.BytesIn(0)));
        string inline = Between(page, "<td colspan=\"2\" id=\"chart\">", "</td>").Trim();
        Assert.That(TrafficChartTests.Points(XElement.Parse(inline), "trafficIn"), Is.EqualTo(string.Join(' ', points)), "the page carries the same chart inline");
    }

    [Test]
    public void TrafficChart_NeedsTheToken_WithPublicStatusFalse_AndIsNotInThePageThen()
    {
        using var device = new DeviceServicesOnPair("--public-status", "false");

        Assert.That(device.Send(Get(StatusSite.TrafficChartPath)), Does.StartWith("HTTP/1.1 401 "));
        Assert.That(device.Send(Get("/")), Does.Not.Contain("<svg"));
        Assert.That(device.Send(Get(StatusSite.TrafficChartPath, DeviceServicesOnPair.Token)), Does.StartWith("HTTP/1.1 200 ").And.Contain("<svg"));
    }

    [Test]
    public void Https_IsOffWithoutHttpsPort_AndShowsPortFingerprintAndExpiryOfTheCertificateServed()
    {
        using (var plain = new DeviceServicesOnPair())
        {
            using JsonDocument status = JsonDocument.Parse(Body(plain.Send(Get("/api/status"))));
            Assert.That(status.RootElement.GetProperty("https").ValueKind, Is.EqualTo(JsonValueKind.Null));
        }
        string state = Directory.CreateTempSubdirectory("seqs-https-status-").FullName;
        try
        {
            string certificatePath = Path.Combine(state, "device.crt"), keyPath = Path.Combine(state, "device.key");
            using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                using X509Certificate2 made = new CertificateRequest("CN=seqs-test", key, HashAlgorithmName.SHA256)
                    .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
                File.WriteAllText(certificatePath, made.ExportCertificatePem());
                File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            }
            using var device = new DeviceServicesOnPair("--https-port", "8443", "--tls-cert", certificatePath, "--tls-key", keyPath);

            HttpsStatus https = device.Services.Collector.RefreshStatus().Https!;

            using X509Certificate2 served = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
            Assert.That(https.Port, Is.EqualTo(8443));
            Assert.That(https.CertificateFingerprint, Is.EqualTo(HttpsCertificate.Fingerprint(served)));
            Assert.That(https.CertificateNotAfter, Is.EqualTo(new DateTimeOffset(served.NotAfter.ToUniversalTime())));
            string json = JsonSerializer.Serialize(device.Services.Collector.Status, DeviceJsonContext.Default.DeviceStatus);
            Assert.That(json, Does.Contain($"\"https\":{{\"port\":8443,\"certificateFingerprint\":\"{https.CertificateFingerprint}\""));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Test]
    public void WifiSignal_OfTheEmulatedCyw43_IsInTheStatus_AndNullOnAWiredNic()
    {
        using var simulation = new NetworkSimulation();
        var air = new VirtualNic(SimulatedPair.MacB);
        var clientNic = new VirtualNic(SimulatedPair.MacA);
        simulation.Connect(clientNic, air);
        string[] args = ["--nic", "cyw43", "--chip-emulator", "--wifi-ssid", "seqs-sim", "--wifi-pass", "seqs-sim-pass",
            "--ip", $"{SimulatedPair.AddressB}/24", "--access-token", DeviceServicesOnPair.Token];
        Assert.That(DeviceOptions.TryParse(args, out DeviceOptions options, out string error), Is.True, error);
        using OpenedNic nic = new Cyw43NicKind().OpenOnSimulatedLan(air, simulation, options, NullLoggerFactory.Instance);
        var client = new NetStack(simulation.CreateLoop(), clientNic);
        client.Configure(new Ipv4Cidr(SimulatedPair.AddressA, 24));
        using var services = new DeviceServices(new NetStack(simulation.CreateLoop(), nic.Nic), nic, options, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        _ = services.RunAsync(stop.Token);
        simulation.RunFor(Cyw43SignalStrength.ReadInterval);

        string status = DeviceServicesOnPair.Send(simulation, client, DeviceServicesOnPair.Site, Get("/api/status"));

        int expected = options.NicOptions<Cyw43NicOptions>().EmulatorAccessPoints.Single(ap => ap.Ssid == "seqs-sim").Rssi;
        using JsonDocument json = JsonDocument.Parse(Body(status));
        Assert.That(json.RootElement.GetProperty("nic").GetProperty("rssiDbm").GetInt32(), Is.EqualTo(expected));
        using var wired = new DeviceServicesOnPair();
        Assert.That(wired.Services.Collector.RefreshStatus().Nic.RssiDbm, Is.Null);
        stop.Cancel();
        simulation.RunFor(TimeSpan.FromSeconds(1));
    }

    private static string Get(string target, string? token = null) =>
        $"GET {target} HTTP/1.1\r\nHost: {Host}\r\n{(token is null ? "" : $"Authorization: Bearer {token}\r\n")}Connection: close\r\n\r\n";

    private static string Body(string response) => response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];

    private static string Between(string text, string start, string end)
    {
        int from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.That(from, Is.GreaterThanOrEqualTo(0), $"no {start} in {text}");
        from += start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }
}
