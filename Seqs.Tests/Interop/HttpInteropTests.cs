using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Seqs.Http;
using Seqs.Tests.Http;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Interop;

/// <summary>
/// The HTTP server on the stack, over TAP, against real clients in a namespace per test: curl (keep-alive, chunked
/// upload, HEAD, 100-continue), wrk and ab -k load runs, many concurrent connections, and slowloris-style clients.
/// </summary>
[TestFixture]
[Category("Interop")]
[NonParallelizable]
public sealed partial class HttpInteropTests
{
    private static readonly Ipv4Cidr KernelSide = new(new Ipv4Address(10, 213, 12, 1), 24);
    private static readonly Ipv4Address StackAddress = new(10, 213, 12, 2);
    private static readonly string Base = $"http://{StackAddress}";

    [Test]
    public void Curl_ReusesOneKeepAliveConnectionForSeveralRequests()
    {
        using var ns = NetworkNamespace.Create("curl");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        using var http = Serve(device);
        CommandResult curl = ns.Exec($"curl -sv --http1.1 {Base}/ {Base}/items/2 {Base}/items/3", TimeSpan.FromSeconds(15));
        Assert.That(curl.ExitCode, Is.Zero, curl.ToString());
        Assert.That(curl.StandardOutput, Is.EqualTo("helloitem 2item 3"));
        Assert.That(curl.StandardError, Does.Contain("Re-using existing connection"), curl.StandardError);
        Assert.That(http.Server.Connections, Is.EqualTo(1));
    }

    [Test]
    public void Curl_ChunkedUpload_IsEchoed()
    {
        using var ns = NetworkNamespace.Create("curl");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        using var http = Serve(device);
        string input = Path.Combine(Path.GetTempPath(), $"{ns.Name}-upload");
        byte[] data = new byte[300_000];
        new Random(5).NextBytes(data);
        File.WriteAllBytes(input, data);
        try
        {
            CommandResult curl = ns.Exec($"curl -sS --http1.1 -H 'Transfer-Encoding: chunked' --data-binary @{input} {Base}/echo | sha256sum", TimeSpan.FromSeconds(15));
            Assert.That(curl.ExitCode, Is.Zero, curl.ToString());
            Assert.That(curl.StandardOutput, Does.StartWith(Convert.ToHexStringLower(SHA256.HashData(data))), curl.ToString());
        }
        finally
        {
            File.Delete(input);
        }
    }

    [Test]
    public void Curl_ExpectContinueUpload_Gets100ThenTheEcho()
    {
        using var ns = NetworkNamespace.Create("curl");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        using var http = Serve(device);
        CommandResult curl = ns.Exec($"head -c 5000 /dev/zero | curl -sv --http1.1 -H 'Expect: 100-continue' --data-binary @- {Base}/echo | wc -c", TimeSpan.FromSeconds(15));
        Assert.That(curl.StandardError, Does.Contain("HTTP/1.1 100 Continue"), curl.ToString());
        Assert.That(curl.StandardOutput.Trim(), Is.EqualTo("5000"));
    }

    [Test]
    public void Curl_Head_GetsTheFieldsWithoutContent()
    {
        using var ns = NetworkNamespace.Create("curl");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        using var http = Serve(device);
        http.Server.IsClockSynchronized = true;
        CommandResult curl = ns.Exec($"curl -sSI --http1.1 {Base}/", TimeSpan.FromSeconds(15));
        Assert.That(curl.ExitCode, Is.Zero, curl.ToString());
        Assert.That(curl.StandardOutput, Does.StartWith("HTTP/1.1 200 OK\r\n"));
        Assert.That(curl.StandardOutput, Does.Contain("Content-Length: 5\r\n"));
        Assert.That(curl.StandardOutput, Does.Match(@"Date: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\r\n"));
        CommandResult missing = ns.Exec($"curl -s -o /dev/null -w '%{{http_code}}' -X DELETE {Base}/items/1", TimeSpan.FromSeconds(15));
        Assert.That(missing.StandardOutput, Is.EqualTo("405"));
    }

    [Test]
    public void Wrk_KeepAliveRun_HasNoErrorsAndNoNon2xx() => RunWrk("-t2 -c16 -d3s");

    [Test]
    public void Wrk_NewConnectionPerRequest_HasNoErrorsAndNoNon2xx() => RunWrk("-t2 -c16 -d3s -H 'Connection: close'");

    [Test]
    public void Wrk_ManyConcurrentKeepAliveConnections_AreAllServed()
    {
        long connections = RunWrk("-t2 -c256 -d3s", new NetStackOptions { MaxTcpConnections = 512 }, new HttpServerOptions { MaxConnections = 300, Backlog = 256 });
        Assert.That(connections, Is.GreaterThanOrEqualTo(256));
    }

    [Test]
    public void ApacheBench_KeepAliveRun_HasNoFailures()
    {
        using var ns = NetworkNamespace.Create("ab");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        using var http = Serve(device);
        CommandResult ab = ns.Exec($"ab -k -n 20000 -c 16 {Base}/api/status", TimeSpan.FromSeconds(20));
        TestContext.Out.WriteLine(ab.StandardOutput);
        Assert.That(ab.ExitCode, Is.Zero, ab.ToString());
        Assert.That(ab.StandardOutput, Does.Match(@"Complete requests:\s+20000"));
        Assert.That(ab.StandardOutput, Does.Match(@"Failed requests:\s+0"));
        Assert.That(ab.StandardOutput, Does.Match(@"Keep-Alive requests:\s+20000"));
        Assert.That(ab.StandardOutput, Does.Not.Contain("Non-2xx"));
    }

    [Test]
    public void HalfSentRequests_DoNotStopANormalRequest_AndTimeOutWith408()
    {
        using var ns = NetworkNamespace.Create("curl", "socat");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        using var http = Serve(device, new HttpServerOptions { RequestHeadersTimeout = TimeSpan.FromSeconds(3) });
        string output = Path.Combine(Path.GetTempPath(), $"{ns.Name}-slow");
        Directory.CreateDirectory(output);
        try
        {
            const int Slow = 30;
            using BackgroundCommand slow = ns.Start(
                $"for i in $(seq {Slow}); do (printf 'GET / HTTP/1.1\\r\\nHost: x\\r\\nX-Slow: '; sleep 6) | socat -T 10 - TCP4:{StackAddress}:80 > {output}/$i & done; wait");
            Assert.That(StackOnTap.WaitFor(() => http.Server.Counters.ActiveConnections >= Slow, TimeSpan.FromSeconds(5)), Is.True,
                $"{http.Server.Counters.ActiveConnections} slow connections open");
            var started = DateTime.UtcNow;
            CommandResult curl = ns.Exec($"curl -sS -m 2 {Base}/", TimeSpan.FromSeconds(5));
            Assert.That(curl.StandardOutput, Is.EqualTo("hello"), curl.ToString());
            Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(1)));
            Assert.That(slow.WaitForExit(TimeSpan.FromSeconds(10)), Is.True);
            string[] answers = Directory.GetFiles(output).Select(File.ReadAllText).ToArray();
            Assert.That(answers, Has.Length.EqualTo(Slow));
            Assert.That(answers, Has.All.StartsWith("HTTP/1.1 408 Request Timeout\r\n"));
            Assert.That(http.Server.Counters.RequestTimeouts, Is.EqualTo(Slow));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>A bounded wrk run against /api/status; returns the connections the server accepted.</summary>
    private static long RunWrk(string arguments, NetStackOptions? stackOptions = null, HttpServerOptions? options = null)
    {
        using var ns = NetworkNamespace.Create("wrk");
        using var device = new StackOnTap(ns, KernelSide, StackAddress, stackOptions);
        using var http = Serve(device, options);
        CommandResult wrk = ns.Exec($"wrk {arguments} {Base}/api/status", TimeSpan.FromSeconds(20));
        TestContext.Out.WriteLine(wrk.StandardOutput);
        AssertCleanWrkRun(wrk);
        return http.Server.Connections;
    }

    private static void AssertCleanWrkRun(CommandResult wrk)
    {
        Assert.That(wrk.ExitCode, Is.Zero, wrk.ToString());
        Assert.That(wrk.StandardOutput, Does.Not.Contain("Non-2xx"), wrk.StandardOutput);
        Assert.That(wrk.StandardOutput, Does.Not.Contain("Socket errors"), wrk.StandardOutput);
        Match rate = RequestsPerSecond().Match(wrk.StandardOutput);
        Assert.That(rate.Success, Is.True, wrk.StandardOutput);
        Assert.That(double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThan(100));
    }

    private static ServedHttp Serve(StackOnTap device, HttpServerOptions? options = null)
    {
        var router = new HttpRouter()
            .MapSampleRoutes()
            .MapGet("/api/status", (req, res, ct) =>
            {
                res.ContentType = "application/json";
                res.Write("{\"uptime\":12345,\"address\":\"10.213.12.2\",\"tcpConnections\":3}"u8);
                return default;
            })
            .MapPost("/echo", async (req, res, ct) =>
            {
                byte[] chunk = new byte[8192];
                int n;
                while ((n = await req.ReadBodyAsync(chunk, ct)) > 0)
                    await res.WriteAsync(chunk.AsMemory(0, n), ct);
            });
        options ??= new HttpServerOptions();
        return new ServedHttp(new HttpServer(device.Stack, router, options));
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    private sealed class ServedHttp : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public ServedHttp(HttpServer server)
        {
            Server = server;
            _ = server.RunAsync(_stop.Token);
            Thread.Sleep(50);
        }

        public HttpServer Server { get; }

        public void Dispose()
        {
            _stop.Cancel();
            Server.Dispose();
            _stop.Dispose();
        }
    }
}
