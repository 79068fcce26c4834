using System.Text;
using Seqs.Http;

namespace Seqs.Tests.Http;

/// <summary>The server on stack B answers raw requests from stack A in virtual time.</summary>
public sealed class HttpServerSimulationTests
{
    private static HttpRouter Router() => new HttpRouter()
        .MapSampleRoutes()
        .MapPost("/echo", async (req, res, ct) =>
        {
            byte[] body = await req.ReadBodyToArrayAsync(ct);
            res.Write(body);
        })
        .MapGet("/stream", async (req, res, ct) =>
        {
            for (int i = 0; i < 3; i++)
            {
                await res.WriteAsync(Encoding.ASCII.GetBytes($"part{i};"), ct);
                await res.FlushAsync(ct);
            }
        })
        .MapGet("/throw", (req, res, ct) => throw new InvalidOperationException("handler bug"));

    [Test]
    public void Get_IsAnsweredWithContentLength()
    {
        using var sim = new HttpSimulation(Router());
        string response = sim.Exchange("GET / HTTP/1.1\r\nHost: b\r\n\r\n");
        Assert.That(response, Is.EqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"));
    }

    [Test]
    public void HeadWrittenAByteAtATime_IsServed()
    {
        using var sim = new HttpSimulation(Router());
        HttpSimulation.RawClient client = sim.Connect();
        byte[] request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: b\r\n" + string.Concat(Enumerable.Repeat("X-Padding: 0123456789abcdef\r\n", 40)) + "\r\n");

        foreach (byte b in request)
            client.Send([b]);
        sim.Simulation.RunFor(TimeSpan.FromSeconds(1.5));

        Assert.That(client.TakeText(), Is.EqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"));
        Assert.That(sim.Server.Counters.Requests, Is.EqualTo(1));
    }

    [Test]
    public void RouteParameter_IsPassedToTheHandler()
    {
        using var sim = new HttpSimulation(Router());
        Assert.That(sim.Exchange("GET /items/42 HTTP/1.1\r\nHost: b\r\n\r\n"), Does.EndWith("\r\n\r\nitem 42"));
    }

    [Test]
    public void UnknownPath_Is404_AndWrongMethodIs405WithAllow()
    {
        using var sim = new HttpSimulation(Router());
        Assert.That(sim.Exchange("GET /nothing HTTP/1.1\r\nHost: b\r\n\r\n"), Does.StartWith("HTTP/1.1 404 Not Found\r\n"));
        string response = sim.Exchange("DELETE /items/1 HTTP/1.1\r\nHost: b\r\n\r\n");
        Assert.That(response, Does.StartWith("HTTP/1.1 405 Method Not Allowed\r\n"));
        Assert.That(response, Does.Contain("\r\nAllow: GET, HEAD\r\n"));
    }

    [Test]
    public void Head_SendsTheGetFieldsWithoutContent()
    {
        using var sim = new HttpSimulation(Router());
        Assert.That(sim.Exchange("HEAD / HTTP/1.1\r\nHost: b\r\n\r\n"), Is.EqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n"));
    }

    [Test]
    public void PipelinedRequests_AreAnsweredInOrderOnOneConnection()
    {
        using var sim = new HttpSimulation(Router());
        string response = sim.Exchange("GET /items/1 HTTP/1.1\r\nHost: b\r\n\r\nGET /items/2 HTTP/1.1\r\nHost: b\r\n\r\nPOST /echo HTTP/1.1\r\nHost: b\r\nContent-Length: 3\r\n\r\nabcGET /items/3 HTTP/1.1\r\nHost: b\r\n\r\n");
        Assert.That(response, Is.EqualTo(
            "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nitem 1" +
            "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nitem 2" +
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc" +
            "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nitem 3"));
    }

    [Test]
    public void ChunkedUpload_WithExtensionsAndTrailers_IsDecoded()
    {
        using var sim = new HttpSimulation(Router());
        string response = sim.Exchange("POST /echo HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5;name=value\r\nhello\r\n1 ; a=\"q;x\" ; b\r\n \r\n6\r\nworld!\r\n0\r\nChecksum: abc\r\nX-T: 1\r\n\r\n");
        Assert.That(response, Is.EqualTo("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello world!"));
    }

    [Test]
    public void StreamedResponse_UsesChunkedCoding()
    {
        using var sim = new HttpSimulation(Router());
        Assert.That(sim.Exchange("GET /stream HTTP/1.1\r\nHost: b\r\n\r\n"), Is.EqualTo(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\npart0;\r\n6\r\npart1;\r\n6\r\npart2;\r\n0\r\n\r\n"));
    }

    [Test]
    public void StreamedResponse_ToHttp10_IsCloseDelimited()
    {
        using var sim = new HttpSimulation(Router());
        HttpSimulation.RawClient client = sim.Connect();
        client.Send("GET /stream HTTP/1.0\r\n\r\n");
        sim.Simulation.RunFor(TimeSpan.FromSeconds(1.5));
        Assert.That(client.TakeText(), Is.EqualTo("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\npart0;part1;part2;"));
        Assert.That(client.Closed, Is.True);
    }

    [Test]
    public void Http10KeepAlive_IsHonouredAndConfirmed()
    {
        using var sim = new HttpSimulation(Router());
        HttpSimulation.RawClient client = sim.Connect();
        client.Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        sim.Simulation.RunFor(TimeSpan.FromMilliseconds(200));
        Assert.That(client.TakeText(), Does.Contain("\r\nConnection: keep-alive\r\n"));
        Assert.That(client.Closed, Is.False);
        client.Send("GET / HTTP/1.0\r\n\r\n");
        sim.Simulation.RunFor(TimeSpan.FromSeconds(1.5));
        Assert.That(client.TakeText(), Does.Contain("\r\nConnection: close\r\n"));
        Assert.That(client.Closed, Is.True);
    }

    [Test]
    public void ConnectionClose_WaitsBrieflyForTheClientToCloseFirst_ThenCloses()
    {
        using var sim = new HttpSimulation(Router());
        HttpSimulation.RawClient client = sim.Connect();
        client.Send("GET / HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n");
        sim.Simulation.RunFor(TimeSpan.FromSeconds(1.5));
        Assert.That(client.TakeText(), Does.Contain("\r\nConnection: close\r\n"));
        Assert.That(client.Closed, Is.True);
    }

    [Test]
    public void ExpectContinue_Gets100BeforeTheContentIsSent()
    {
        using var sim = new HttpSimulation(Router());
        HttpSimulation.RawClient client = sim.Connect();
        client.Send("POST /echo HTTP/1.1\r\nHost: b\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        sim.Simulation.RunFor(TimeSpan.FromMilliseconds(200));
        Assert.That(client.TakeText(), Is.EqualTo("HTTP/1.1 100 Continue\r\n\r\n"));
        client.Send("data");
        sim.Simulation.RunFor(TimeSpan.FromMilliseconds(200));
        Assert.That(client.TakeText(), Is.EqualTo("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndata"));
    }

    [Test]
    public void ExpectContinue_OnA404_ClosesInsteadOfWaitingForContent()
    {
        using var sim = new HttpSimulation(Router());
        HttpSimulation.RawClient client = sim.Connect();
        client.Send("POST /nowhere HTTP/1.1\r\nHost: b\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        sim.Simulation.RunFor(TimeSpan.FromSeconds(1.5));
        Assert.That(client.TakeText(), Is.EqualTo("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        Assert.That(client.Closed, Is.True);
    }

    [Test]
    public void HandlerException_Is500_AndTheServerKeepsServing()
    {
        using var sim = new HttpSimulation(Router());
        Assert.That(sim.Exchange("GET /throw HTTP/1.1\r\nHost: b\r\n\r\n"), Is.EqualTo("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        Assert.That(sim.Server.Counters.HandlerFailures, Is.EqualTo(1));
        Assert.That(sim.Exchange("GET / HTTP/1.1\r\nHost: b\r\n\r\n"), Does.StartWith("HTTP/1.1 200 OK"));
    }

    [TestCase("GET / HTTP/1.1\r\n\r\n", 400)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400)]
    [TestCase("GET / HTTP/1.1\r\nHost : b\r\n\r\n", 400)]
    [TestCase("GET / HTTP/1.1\r\nHost: b\r\n folded\r\n\r\n", 400)]
    [TestCase("GET / HTTP/2.0\r\nHost: b\r\n\r\n", 505)]
    [TestCase("BREW / HTTP/1.1\r\nHost: b\r\n\r\n", 501)]
    [TestCase("POST /echo HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501)]
    [TestCase("POST /echo HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400)]
    [TestCase("POST /echo HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400)]
    [TestCase("POST /echo HTTP/1.1\r\nHost: b\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400)]
    [TestCase("POST /echo HTTP/1.1\r\nHost: b\r\nContent-Length: 9999999\r\n\r\n", 413)]
    [TestCase("POST /echo HTTP/1.1\r\nHost: b\r\nExpect: teapot\r\n\r\n", 417)]
    [TestCase("POST /echo HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400)]
    [TestCase("POST /echo HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", 400)]
    [TestCase("POST /echo HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n", 413)]
    [TestCase("POST /echo HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", 400)]
    public void MalformedOrRefusedRequest_IsAnsweredWithItsStatusAndClosed(string request, int status)
    {
        using var sim = new HttpSimulation(Router(), new HttpServerOptions { MaxRequestBodySize = 1 << 20 });
        HttpSimulation.RawClient client = sim.Connect();
        client.Send(request);
        sim.Simulation.RunFor(TimeSpan.FromSeconds(1.5));
        string response = client.TakeText();
        Assert.That(response, Does.StartWith($"HTTP/1.1 {status} "));
        Assert.That(response, Does.Contain("\r\nConnection: close\r\n"));
        Assert.That(client.Closed, Is.True);
    }

    [Test]
    public void LongRequestLine_Is414_AndLargeHeadIs431_AndManyFieldsAre431()
    {
        var options = new HttpServerOptions { MaxRequestLineLength = 64, MaxRequestHeadersSize = 512, MaxRequestHeaderCount = 4 };
        using var sim = new HttpSimulation(Router(), options);
        Assert.That(sim.Exchange($"GET /{new string('a', 100)} HTTP/1.1\r\nHost: b\r\n\r\n"), Does.StartWith("HTTP/1.1 414 URI Too Long\r\n"));
        Assert.That(sim.Exchange($"GET / HTTP/1.1\r\nHost: b\r\nX: {new string('a', 600)}\r\n\r\n"), Does.StartWith("HTTP/1.1 431 "));
        Assert.That(sim.Exchange("GET / HTTP/1.1\r\nHost: b\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n"), Does.StartWith("HTTP/1.1 431 "));
    }

    [Test]
    public void DateField_IsSentOnlyOnceTheClockIsSynchronised()
    {
        using var sim = new HttpSimulation(Router());
        Assert.That(sim.Exchange("GET / HTTP/1.1\r\nHost: b\r\n\r\n"), Does.Not.Contain("Date:"));
        sim.Server.IsClockSynchronized = true;
        // The virtual clock starts at 2000-01-01T00:00:00Z, a Saturday.
        Assert.That(sim.Exchange("GET / HTTP/1.1\r\nHost: b\r\n\r\n"), Does.Match(@"\r\nDate: Sat, 01 Jan 2000 00:00:0\d GMT\r\n"));
    }
}
