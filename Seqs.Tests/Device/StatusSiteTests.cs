using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Seqs.Device.Web;
using Seqs.Simulation;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Device;

/// <summary>
/// The device's web interface on a simulated pair: the device's services on stack B, raw HTTP/1.1 from stack A.
/// Everything runs on the test thread, so its allocation counter sees client, server and both stacks.
/// </summary>
[NonParallelizable]
public sealed class StatusSiteTests
{
    private const string Token = DeviceServicesOnPair.Token;
    private static readonly Ipv4EndPoint Site = DeviceServicesOnPair.Site;
    private static readonly string Host = SimulatedPair.AddressB.ToString();

    [Test]
    public void Led_WithoutAToken_WithAWrongOne_AndWithTheRightOne_Is401_401_200()
    {
        using var device = new DeviceServicesOnPair();

        Assert.That(device.Send($"POST /api/led?on=true HTTP/1.1\r\nHost: {Host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), Does.StartWith("HTTP/1.1 401 "));
        Assert.That(device.Send(Post("/api/led?on=true", "wrong-token")), Does.StartWith("HTTP/1.1 401 ").And.Contain("WWW-Authenticate: Bearer"));
        Assert.That(device.Services.Collector.RefreshStatus().LedOn, Is.False);
        string accepted = device.Send(Post("/api/led?on=true", Token));

        Assert.That(accepted, Does.StartWith("HTTP/1.1 200 ").And.EndWith("{\"ledOn\":true}"));
        Assert.That(device.Services.Collector.RefreshStatus().LedOn, Is.True);
        Assert.That(device.Send(Post("/api/led", Token)), Does.EndWith("{\"ledOn\":false}"), "no value toggles");
        Assert.That(device.Send(Post("/api/led?on=maybe", Token)), Does.StartWith("HTTP/1.1 400 "));
    }

    [Test]
    public void ABurstOfWrongTokens_IsRateLimited_AndEvenTheRightTokenWaits()
    {
        using var device = new DeviceServicesOnPair();
        for (int i = 0; i < FailedAccessLimiter.Burst; i++)
            Assert.That(device.Send(Post("/api/led", "guess-" + i)), Does.StartWith("HTTP/1.1 401 "), $"guess {i}");

        string limited = device.Send(Post("/api/led", Token));

        Assert.That(limited, Does.StartWith("HTTP/1.1 429 ").And.Contain("Retry-After: "));
        device.Pair.Simulation.RunFor(FailedAccessLimiter.RefillInterval);
        Assert.That(device.Send(Post("/api/led", Token)), Does.StartWith("HTTP/1.1 200 "), "one failure's worth of allowance back after the refill interval");
    }

    [Test]
    public void ANoCorsPostFloodWithoutAToken_DoesNotLockOutTheTokenHolder()
    {
        using var device = new DeviceServicesOnPair();
        // What a page on another site can make a visitor's browser send: no Authorization (not CORS-safelisted), and
        // from a script without Origin checks in its way, the same with the fetch metadata left out.
        string crossSite = $"POST /api/led?on=true HTTP/1.1\r\nHost: {Host}\r\nOrigin: http://attacker.example\r\nSec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: no-cors\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        string bare = $"POST /api/led?on=true HTTP/1.1\r\nHost: {Host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        for (int i = 0; i < 3 * FailedAccessLimiter.Burst; i++)
        {
            Assert.That(device.Send(crossSite), Does.Not.StartWith("HTTP/1.1 200 ").And.Not.StartWith("HTTP/1.1 429 "), $"cross-site POST {i}");
            Assert.That(device.Send(bare), Does.StartWith("HTTP/1.1 401 "), $"POST without a token {i}");
        }

        Assert.That(device.Send(Post("/api/led?on=true", Token)), Does.StartWith("HTTP/1.1 200 "));
        Assert.That(device.Services.Collector.RefreshStatus().LedOn, Is.True);
    }

    [TestCase("GET", "/api/status")]
    [TestCase("GET", "/api/stats")]
    [TestCase("GET", "/")]
    [TestCase("POST", "/api/led")]
    public void ARequestForAForeignHost_AsFromDnsRebinding_Is421(string method, string path)
    {
        using var device = new DeviceServicesOnPair("--hostname", "seqs-test");

        string response = device.Send($"{method} {path} HTTP/1.1\r\nHost: rebind.attacker.example\r\nAuthorization: Bearer {Token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.That(response, Does.StartWith("HTTP/1.1 421 ").And.Not.Contain("\"mac\""));
        Assert.That(device.Services.Collector.RefreshStatus().LedOn, Is.False);
    }

    [TestCase("10.0.0.2", 200)]
    [TestCase("10.0.0.2:80", 200)]
    [TestCase("seqs-test", 200)]
    [TestCase("SEQS-TEST.local:80", 200)]
    [TestCase("seqs-test.local", 200)]
    [TestCase("10.0.0.3", 421)]
    [TestCase("10.0.0.2.nip.io", 421)]
    [TestCase("seqs-test.attacker.example", 421)]
    [TestCase("localhost:8080", 421)]
    [TestCase("127.0.0.1", 421)]
    [TestCase("10.0.0.2:x", 421)]
    [TestCase("", 421)]
    public void TheHostField_MustNameTheDeviceOrItsAddress(string host, int expected)
    {
        using var device = new DeviceServicesOnPair("--hostname", "seqs-test");

        string response = device.Send($"GET /api/status HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");

        Assert.That(response, Does.StartWith($"HTTP/1.1 {expected} "));
    }

    [TestCase("Origin: http://attacker.example", 403)]
    [TestCase("Origin: null", 403)]
    [TestCase("Origin: http://10.0.0.2.attacker.example", 403)]
    [TestCase("Sec-Fetch-Site: cross-site", 403)]
    [TestCase("Origin: http://10.0.0.2", 200)]
    [TestCase("Origin: https://10.0.0.2", 200)]
    [TestCase("Sec-Fetch-Site: same-origin", 200)]
    [TestCase("Sec-Fetch-Site: none", 200)]
    public void AStateChange_FromAnotherOrigin_IsRefusedEvenWithTheToken(string field, int expected)
    {
        using var device = new DeviceServicesOnPair();

        string response = device.Send($"POST /api/led?on=true HTTP/1.1\r\nHost: {Host}\r\n{field}\r\nAuthorization: Bearer {Token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.That(response, Does.StartWith($"HTTP/1.1 {expected} "));
        Assert.That(device.Services.Collector.RefreshStatus().LedOn, Is.EqualTo(expected == 200));
    }

    [Test]
    public void StatusAndStats_ArePublicByDefault_AndNeedTheTokenWithPublicStatusFalse()
    {
        using (var open = new DeviceServicesOnPair("--hostname", "seqs-test"))
        {
            string status = open.Send(Get("/api/status", token: null));
            using JsonDocument json = JsonDocument.Parse(Body(status));
            Assert.That(json.RootElement.GetProperty("mac").GetString(), Is.EqualTo(SimulatedPair.MacB.ToString()));
            Assert.That(json.RootElement.GetProperty("address").GetString(), Is.EqualTo(SimulatedPair.AddressB.ToString()));
            Assert.That(json.RootElement.GetProperty("name").GetString(), Is.EqualTo("seqs-test"));
            Assert.That(json.RootElement.GetProperty("led").GetString(), Is.EqualTo("simulated"));
            Assert.That(open.Send(Get("/api/stats", token: null)), Does.Contain("\"stack\":{\"framesReceived\":"));
            Assert.That(open.Send(Get("/", token: null)), Does.Contain("<title>Seqs device</title>").And.Contain(SimulatedPair.MacB.ToString()));
        }
        using var closed = new DeviceServicesOnPair("--public-status", "false");
        Assert.That(closed.Send(Get("/api/status", token: null)), Does.StartWith("HTTP/1.1 401 "));
        Assert.That(closed.Send(Get("/api/stats", token: null)), Does.StartWith("HTTP/1.1 401 "));
        Assert.That(closed.Send(Get("/api/status", Token)), Does.StartWith("HTTP/1.1 200 "));
        Assert.That(closed.Send(Get("/", token: null)), Does.Contain("show(null)").And.Not.Contain(SimulatedPair.MacB.ToString()));
    }

    [TestCase("/api/status")]
    [TestCase("/api/stats")]
    [TestCase("/api/traffic.svg")]
    [TestCase("/")]
    public void WarmKeepAliveRequests_AllocateNothing(string path)
    {
        using var device = new DeviceServicesOnPair();
        byte[] request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {Host}\r\n\r\n");
        byte[] received = new byte[16 * 1024];
        int responses = 0;
        using var stop = new CancellationTokenSource();
        Task client = device.Pair.LoopA.InvokeAsync(async () =>
        {
            TcpConnection connection = await device.Pair.A.Tcp.ConnectAsync(Site);
            while (!stop.IsCancellationRequested)
            {
                await connection.WriteAsync(request);
                int got = 0;
                int length;
                while ((length = ResponseLength(received.AsSpan(0, got))) < 0 || got < length)
                {
                    int read = await connection.ReadAsync(received.AsMemory(got));
                    if (read == 0)
                        throw new IOException("The server closed after: " + Encoding.ASCII.GetString(received, 0, got));
                    got += read;
                }
                responses++;
            }
        });
        Assert.That(device.Pair.Simulation.RunUntil(() => responses >= 100 || client.IsFaulted, TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(client.IsFaulted, Is.False, () => client.Exception!.ToString());

        int target = responses + 1000;
        Func<bool> done = () => responses >= target;
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool finished = device.Pair.Simulation.RunUntil(done, TimeSpan.FromMinutes(1));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(finished, Is.True);
        Assert.That(allocated, Is.Zero, $"{allocated} B over 1000 keep-alive GETs of {path}");
        stop.Cancel();
    }

    private static string Post(string target, string token) =>
        $"POST {target} HTTP/1.1\r\nHost: {Host}\r\nAuthorization: Bearer {token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    private static string Get(string target, string? token) =>
        $"GET {target} HTTP/1.1\r\nHost: {Host}\r\n{(token is null ? "" : $"Authorization: Bearer {token}\r\n")}Connection: close\r\n\r\n";

    private static string Body(string response) => response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];

    /// <summary>Head plus Content-Length once the head is in, else -1; reads spans only, so it allocates nothing.</summary>
    private static int ResponseLength(ReadOnlySpan<byte> response)
    {
        int headEnd = response.IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
            return -1;
        int field = response[..headEnd].IndexOf("Content-Length: "u8);
        Utf8Parser.TryParse(response[(field + "Content-Length: ".Length)..], out int length, out _);
        return headEnd + 4 + length;
    }
}
