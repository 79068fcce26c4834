using System.Text;
using Seqs.Http;
using Seqs.Tcp;

namespace Seqs.Tests.Http;

/// <summary>Requests split across reads, timeouts (slowloris, idle keep-alive, slow content) and the connection limit, in virtual time.</summary>
public sealed class HttpServerConnectionTests
{
    private const string Requests =
        "POST /echo HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nwiki\r\n5\r\npedia\r\n0\r\nT: v\r\n\r\n" +
        "POST /echo HTTP/1.1\r\nHost: b\r\nContent-Length: 3\r\n\r\nabc" +
        "GET /items/7 HTTP/1.1\r\nHost: b\r\n\r\n";

    private const string Responses =
        "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nwikipedia" +
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc" +
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n7";

    private static HttpRouter Router() => new HttpRouter()
        .MapGet("/", (req, res, ct) =>
        {
            res.Write("ok"u8);
            return default;
        })
        .MapGet("/items/{id}", (req, res, ct) =>
        {
            res.Write(req.GetRouteValue("id"));
            return default;
        })
        .MapPost("/echo", async (req, res, ct) => res.Write(await req.ReadBodyToArrayAsync(ct)));

    [Test]
    public void RequestsSplitAtEveryByteBoundary_AreAnsweredAlike()
    {
        using var sim = new HttpSimulation(Router());
        HttpSimulation.RawClient client = sim.Connect();
        byte[] bytes = Encoding.ASCII.GetBytes(Requests);
        for (int split = 1; split < bytes.Length; split++)
        {
            client.Send(bytes[..split]);
            sim.Simulation.RunFor(TimeSpan.FromMilliseconds(5));
            client.Send(bytes[split..]);
            sim.Simulation.RunFor(TimeSpan.FromMilliseconds(20));
            Assert.That(client.TakeText(), Is.EqualTo(Responses), $"split at {split}");
        }
        Assert.That(client.Closed, Is.False);
        Assert.That(sim.Server.Counters.Requests, Is.EqualTo(3 * (bytes.Length - 1)));
    }

    [Test]
    public void RequestsSentOneByteASegment_AreAnswered()
    {
        using var sim = new HttpSimulation(Router());
        HttpSimulation.RawClient client = sim.Connect();
        foreach (byte b in Encoding.ASCII.GetBytes(Requests))
        {
            client.Send([b]);
            sim.Simulation.RunFor(TimeSpan.FromMilliseconds(3));
        }
        sim.Simulation.RunFor(TimeSpan.FromMilliseconds(20));
        Assert.That(client.TakeText(), Is.EqualTo(Responses));
    }

    [Test]
    public void SlowHead_Slowloris_Gets408AndIsClosed_WhileOthersAreServed()
    {
        using var sim = new HttpSimulation(Router(), new HttpServerOptions { RequestHeadersTimeout = TimeSpan.FromSeconds(10) });
        HttpSimulation.RawClient slow = sim.Connect();
        slow.Send("GET / HTTP/1.1\r\n");
        for (int second = 0; second < 9; second++)
        {
            sim.Simulation.RunFor(TimeSpan.FromSeconds(1));
            slow.Send("X");
        }
        Assert.That(sim.Exchange("GET / HTTP/1.1\r\nHost: b\r\n\r\n"), Does.StartWith("HTTP/1.1 200 OK"));
        Assert.That(slow.Closed, Is.False, "still within its 10 s");
        sim.Simulation.RunFor(TimeSpan.FromSeconds(1.5));
        Assert.That(slow.TakeText(), Does.StartWith("HTTP/1.1 408 Request Timeout\r\n"));
        Assert.That(slow.Closed, Is.True);
        Assert.That(sim.Server.Counters.RequestTimeouts, Is.EqualTo(1));
    }

    [Test]
    public void IdleKeepAliveConnection_IsClosedSilentlyAfterTheTimeout()
    {
        using var sim = new HttpSimulation(Router(), new HttpServerOptions { KeepAliveTimeout = TimeSpan.FromSeconds(5) });
        HttpSimulation.RawClient client = sim.Connect();
        client.Send("GET / HTTP/1.1\r\nHost: b\r\n\r\n");
        sim.Simulation.RunFor(TimeSpan.FromSeconds(4.9));
        Assert.That(client.TakeText(), Does.StartWith("HTTP/1.1 200 OK"));
        Assert.That(client.Closed, Is.False);
        sim.Simulation.RunFor(TimeSpan.FromSeconds(0.2));
        Assert.That(client.Closed, Is.True);
        Assert.That(client.Reset, Is.False, "a FIN, not a reset");
        Assert.That(client.TakeText(), Is.Empty);
        Assert.That(sim.Server.Counters.IdleTimeouts, Is.EqualTo(1));
        sim.Simulation.RunFor(TimeSpan.FromMinutes(2));
        Assert.That(sim.Pair.B.Tcp.ConnectionCount, Is.Zero);
    }

    /// <summary>
    /// A client that asks for a large response and never reads it (its window stays closed) cannot hold the
    /// connection: the blocked write waits the write timeout, then the connection is reset and leaves the table.
    /// </summary>
    [Test]
    public void ClientThatNeverReads_IsResetAfterTheWriteTimeout()
    {
        HttpRouter router = Router().MapGet("/large", (req, res, ct) => res.WriteAsync(new byte[256 * 1024], ct));
        using var sim = new HttpSimulation(router, new HttpServerOptions { ResponseWriteTimeout = TimeSpan.FromSeconds(20) });
        HttpSimulation.RawClient client = sim.Connect(reading: false);
        client.Send("GET /large HTTP/1.1\r\nHost: b\r\n\r\n");
        sim.Simulation.RunFor(TimeSpan.FromSeconds(19));
        Assert.That(sim.Server.Counters.WriteTimeouts, Is.Zero);
        Assert.That(sim.Pair.B.Tcp.ConnectionCount, Is.EqualTo(1), "still waiting within its 20 s");
        sim.Simulation.RunFor(TimeSpan.FromSeconds(2));
        Assert.That(sim.Server.Counters.WriteTimeouts, Is.EqualTo(1));
        Assert.That(sim.Pair.B.Tcp.ConnectionCount, Is.Zero, "reset, not left to close behind the closed window");
        Assert.That(client.Connection.State, Is.EqualTo(TcpState.Closed), "the client was told");
    }

    [Test]
    public void SlowContent_Gets408AndIsClosed()
    {
        using var sim = new HttpSimulation(Router(), new HttpServerOptions { BodyReadTimeout = TimeSpan.FromSeconds(3) });
        HttpSimulation.RawClient client = sim.Connect();
        client.Send("POST /echo HTTP/1.1\r\nHost: b\r\nContent-Length: 10\r\n\r\nhalf");
        sim.Simulation.RunFor(TimeSpan.FromSeconds(4));
        Assert.That(client.TakeText(), Does.StartWith("HTTP/1.1 408 Request Timeout\r\n"));
        Assert.That(client.Closed, Is.True);
    }

    [Test]
    public void ConnectionsPastTheLimit_Get503_AndServiceResumesWhenOneEnds()
    {
        using var sim = new HttpSimulation(Router(), new HttpServerOptions { MaxConnections = 2 });
        HttpSimulation.RawClient first = sim.Connect();
        HttpSimulation.RawClient second = sim.Connect();
        sim.Simulation.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.That(sim.Exchange("GET / HTTP/1.1\r\nHost: b\r\n\r\n"), Does.StartWith("HTTP/1.1 503 Service Unavailable\r\n"));
        Assert.That(sim.Server.Counters.ConnectionsRefused, Is.EqualTo(1));
        first.Close();
        sim.Simulation.RunFor(TimeSpan.FromMilliseconds(50));
        Assert.That(sim.Exchange("GET / HTTP/1.1\r\nHost: b\r\n\r\n"), Does.StartWith("HTTP/1.1 200 OK"));
        Assert.That(second.Closed, Is.False);
    }

    [Test]
    public void ClientThatVanishesMidRequest_LeavesNoConnectionBehind()
    {
        using var sim = new HttpSimulation(Router());
        HttpSimulation.RawClient client = sim.Connect();
        client.Send("POST /echo HTTP/1.1\r\nHost: b\r\nContent-Length: 100\r\n\r\npartial");
        sim.Simulation.RunFor(TimeSpan.FromMilliseconds(10));
        client.Connection.Abort();
        sim.Simulation.RunFor(TimeSpan.FromMinutes(2));
        Assert.That(sim.Server.Counters.ActiveConnections, Is.Zero);
        Assert.That(sim.Pair.B.Tcp.ConnectionCount, Is.Zero);
    }

    /// <summary>
    /// RFC 9112 §9.6: after a response that said "close", the server half-closes at once (the client reads to the
    /// end), then reads until the client closes. TIME-WAIT is then the server's, kept compactly outside its
    /// connection table, and the client's port is free again at once.
    /// </summary>
    [Test]
    public void ConnectionClose_ServerHalfClosesFirst_AndKeepsItsTimeWaitCompact()
    {
        using var sim = new HttpSimulation(Router());
        HttpSimulation.RawClient client = sim.Connect();
        client.Send("GET / HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n");
        sim.Simulation.RunFor(TimeSpan.FromMilliseconds(50));
        Assert.That(client.TakeText(), Does.Contain("Connection: close"));
        Assert.That(client.Closed, Is.True, "the server's FIN came right after the response");
        client.Close();
        sim.Simulation.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.That((sim.Pair.B.Tcp.ConnectionCount, sim.Pair.B.Tcp.TimeWaitCount), Is.EqualTo((0, 1)), "the server closed first; its TIME-WAIT is compact");
        Assert.That(sim.Pair.A.Tcp.ConnectionCount, Is.Zero, "the client closed second: no TIME-WAIT ties up its port");
    }
}
