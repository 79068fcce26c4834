using System.Diagnostics;
using System.Text;
using Seqs.Http;
using Seqs.Simulation;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Http;

/// <summary>
/// Once a keep-alive connection is warm, parsing, routing and answering a GET allocates nothing: client, server,
/// both stacks and the cable run on the test thread, whose allocation counter sees all.
/// </summary>
[NonParallelizable]
public sealed class HttpAllocationTests
{
    private static readonly byte[] Body = "{\"id\":42}"u8.ToArray();

    private static readonly byte[] Request = Encoding.ASCII.GetBytes(
        "GET /api/items/42?x=1 HTTP/1.1\r\nHost: 10.0.0.2\r\nUser-Agent: test\r\nAccept: */*\r\n\r\n");

    [TestCase(false)]
    [TestCase(true)]
    public void WarmKeepAliveGet_AllocatesNothing(bool withDate)
    {
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromTicks(10) });
        HttpRouter router = ItemsRouter();
        using var server = new HttpServer(pair.B, router, new HttpServerOptions { Port = 8080 }) { IsClockSynchronized = withDate };
        using var stop = new CancellationTokenSource();
        _ = server.RunAsync(stop.Token);
        int expectedLength = ResponseLength(withDate);
        int responses = 0;
        byte[] received = new byte[4096];

        _ = pair.LoopA.InvokeAsync(async () =>
        {
            TcpConnection connection = await pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 8080));
            while (!stop.IsCancellationRequested)
            {
                await connection.WriteAsync(Request);
                int got = 0;
                while (got < expectedLength)
                    got += await connection.ReadAsync(received.AsMemory(got));
                responses++;
            }
        });
        Assert.That(pair.Simulation.RunUntil(() => responses >= 200, TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(Encoding.ASCII.GetString(received, 0, expectedLength), Does.EndWith("\r\n\r\n{\"id\":42}"));

        int target = responses + 2000;
        Func<bool> done = () => responses >= target;
        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool finished = pair.Simulation.RunUntil(done, TimeSpan.FromMinutes(1));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        clock.Stop();

        Assert.That(finished, Is.True);
        TestContext.Out.WriteLine($"2000 request/response round trips over the simulated pair (both stacks) in {clock.Elapsed.TotalMilliseconds:F0} ms: {clock.Elapsed.TotalMicroseconds / 2000:F1} µs each");
        Assert.That(allocated, Is.Zero, $"{allocated} B over 2000 keep-alive GETs");
        stop.Cancel();
    }

    /// <summary>
    /// A client that opens a connection per request ("Connection: close", as <c>wrk -H 'Connection: close'</c> does):
    /// once warm, the server accepts, serves and closes each connection without allocating, and so does the client,
    /// which reuses one <see cref="TcpConnection"/>.
    /// </summary>
    [Test]
    public void ConnectionPerRequest_AllocatesNothingPerConnection()
    {
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromTicks(10) });
        HttpRouter router = ItemsRouter();
        using var server = new HttpServer(pair.B, router, new HttpServerOptions { Port = 8080 });
        using var stop = new CancellationTokenSource();
        _ = server.RunAsync(stop.Token);
        byte[] request = Encoding.ASCII.GetBytes("GET /api/items/42 HTTP/1.1\r\nHost: 10.0.0.2\r\nConnection: close\r\n\r\n");
        byte[] received = new byte[4096];
        int responses = 0;
        int length = 0;
        var client = new TcpConnection(pair.A.Tcp, new TcpConnectionOptions { NoDelay = true });
        _ = pair.LoopA.InvokeAsync(async () =>
        {
            var site = new Ipv4EndPoint(SimulatedPair.AddressB, 8080);
            while (!stop.IsCancellationRequested)
            {
                await client.ConnectAsync(site);
                await client.WriteAsync(request);
                // The client knows where the response ends (Content-Length) and closes first, as wrk and curl do.
                int got = 0;
                while (!received.AsSpan(0, got).EndsWith(Body))
                    got += await client.ReadAsync(received.AsMemory(got));
                length = got;
                client.Disconnect();
                responses++;
            }
        });
        Assert.That(pair.Simulation.RunUntil(() => responses >= 300, TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(Encoding.ASCII.GetString(received, 0, length), Does.StartWith("HTTP/1.1 200 OK\r\n").And.Contain("Connection: close\r\n").And.EndWith("{\"id\":42}"));

        int target = responses + 1000;
        Func<bool> done = () => responses >= target;
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool finished = pair.Simulation.RunUntil(done, TimeSpan.FromMinutes(1));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(finished, Is.True);
        Assert.That(server.Connections, Is.GreaterThanOrEqualTo(target), "each request came on a connection of its own");
        Assert.That(allocated, Is.Zero, $"{allocated} B over 1000 connections of one request each");
        stop.Cancel();
    }

    /// <summary>The HTTP layer alone, as <c>HttpBenchmarks.ParseAndRoute</c> runs it: parsing the head in place and matching the route.</summary>
    [Test]
    public void ParsingAndRouting_AllocateNothing()
    {
        var router = new HttpRouter().MapGet("/api/items/{id}", static (req, res, ct) => default);
        var options = new HttpServerOptions();
        var head = new HttpRequestHead(options.MaxRequestHeaderCount);
        var values = new TextRange[HttpRouter.MaxRouteParameters];
        Assert.That(ParseAndRoute(router, head, options, values), Is.True);

        int routed = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            routed += ParseAndRoute(router, head, options, values) ? 1 : 0;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(routed, Is.EqualTo(1000));
        Assert.That(allocated, Is.Zero, $"{allocated} B over 1000 heads");
    }

    private static bool ParseAndRoute(HttpRouter router, HttpRequestHead head, HttpServerOptions options, TextRange[] values) =>
        HttpRequestParser.TryParseHead(Request, head, options, out _, out _) == HttpParseStatus.Complete
        && router.Match(head.Method, head.Path.Of(Request), head.Path.Start, values, out _) is not null;

    /// <summary>GET /api/items/{id} answers <c>{"id":...}</c> as JSON.</summary>
    private static HttpRouter ItemsRouter() => new HttpRouter().MapGet("/api/items/{id}", static (req, res, ct) =>
    {
        res.ContentType = "application/json";
        res.Write("{\"id\":"u8);
        res.Write(req.GetRouteValue("id"));
        res.Write("}"u8);
        return default;
    });

    private static int ResponseLength(bool withDate) =>
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"id\":42}".Length
        + (withDate ? "Date: Sat, 01 Jan 2000 00:00:00 GMT\r\n".Length : 0);
}
