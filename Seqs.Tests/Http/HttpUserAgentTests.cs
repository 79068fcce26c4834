using System.Text;
using Seqs.Http;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Http;

/// <summary>The client on stack A against the server on stack B, in virtual time.</summary>
public sealed class HttpUserAgentTests
{
    private static readonly Ipv4EndPoint Server = new(SimulatedPair.AddressB, HttpSimulation.Port);

    private static HttpRouter Router() => new HttpRouter()
        .MapGet("/", (req, res, ct) =>
        {
            res.ContentType = "text/plain";
            res.Write("hello");
            return default;
        })
        .MapGet("/stream", async (req, res, ct) =>
        {
            for (int i = 0; i < 5; i++)
            {
                await res.WriteAsync(Encoding.ASCII.GetBytes($"chunk{i} "), ct);
                await res.FlushAsync(ct);
            }
        })
        .MapPost("/echo", async (req, res, ct) => res.Write(await req.ReadBodyToArrayAsync(ct)))
        .MapGet("/old", (req, res, ct) =>
        {
            res.StatusCode = 302;
            res.AddHeader("Location", "/");
            return default;
        })
        .MapGet("/slow", async (req, res, ct) => await Task.Delay(Timeout.InfiniteTimeSpan, ct));

    [Test]
    public void Get_ReadsAContentLengthResponse_AndReusesTheConnection()
    {
        using var sim = new HttpSimulation(Router());
        using var agent = new HttpUserAgent(sim.Pair.A);
        for (int i = 0; i < 3; i++)
        {
            HttpUserAgentResponse response = Run(sim, agent.GetAsync(Server, "/"));
            Assert.That(response.StatusCode, Is.EqualTo(200));
            Assert.That(response.BodyText, Is.EqualTo("hello"));
            Assert.That(response.GetHeader("content-type"), Is.EqualTo("text/plain"));
        }
        Assert.That(agent.ConnectionsOpened, Is.EqualTo(1));
        Assert.That(sim.Server.Connections, Is.EqualTo(1));
    }

    [Test]
    public void Get_ReadsAChunkedResponse()
    {
        using var sim = new HttpSimulation(Router());
        using var agent = new HttpUserAgent(sim.Pair.A);
        HttpUserAgentResponse response = Run(sim, agent.GetAsync(Server, "/stream"));
        Assert.That(response.GetHeader("Transfer-Encoding"), Is.EqualTo("chunked"));
        Assert.That(response.BodyText, Is.EqualTo("chunk0 chunk1 chunk2 chunk3 chunk4 "));
    }

    [Test]
    public void Post_SendsContentWithContentLength()
    {
        using var sim = new HttpSimulation(Router());
        using var agent = new HttpUserAgent(sim.Pair.A);
        byte[] content = new byte[50_000];
        new Random(3).NextBytes(content);
        HttpUserAgentResponse response = Run(sim, agent.PostAsync(Server, "/echo", content, "application/octet-stream"));
        Assert.That(response.Body, Is.EqualTo(content));
    }

    [Test]
    public void Redirect_IsReturnedByDefault_AndFollowedWhenAskedTo()
    {
        using var sim = new HttpSimulation(Router());
        using var plain = new HttpUserAgent(sim.Pair.A);
        HttpUserAgentResponse redirect = Run(sim, plain.GetAsync(Server, "/old"));
        Assert.That(redirect.StatusCode, Is.EqualTo(302));
        Assert.That(redirect.GetHeader("Location"), Is.EqualTo("/"));
        using var following = new HttpUserAgent(sim.Pair.A, new HttpUserAgentOptions { FollowRedirects = true });
        HttpUserAgentResponse followed = Run(sim, following.GetAsync(Server, "/old"));
        Assert.That(followed.StatusCode, Is.EqualTo(200));
        Assert.That(followed.BodyText, Is.EqualTo("hello"));
    }

    [Test]
    public void SlowServer_FailsWithTimeoutException()
    {
        using var sim = new HttpSimulation(Router());
        using var agent = new HttpUserAgent(sim.Pair.A, new HttpUserAgentOptions { Timeout = TimeSpan.FromSeconds(2) });
        Task<HttpUserAgentResponse> get = agent.GetAsync(Server, "/slow");
        Assert.That(sim.Simulation.RunUntil(() => get.IsCompleted, TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(sim.Simulation.Now, Is.LessThan(TimeSpan.FromSeconds(3)));
        Assert.That(get.Exception?.InnerException, Is.InstanceOf<TimeoutException>());
    }

    [Test]
    public void ConnectionTheServerClosedWhileIdle_IsReplacedByANewOne()
    {
        using var sim = new HttpSimulation(Router(), new HttpServerOptions { KeepAliveTimeout = TimeSpan.FromSeconds(5) });
        using var agent = new HttpUserAgent(sim.Pair.A);
        Assert.That(Run(sim, agent.GetAsync(Server, "/")).BodyText, Is.EqualTo("hello"));
        sim.Simulation.RunFor(TimeSpan.FromSeconds(10));
        Assert.That(Run(sim, agent.GetAsync(Server, "/")).BodyText, Is.EqualTo("hello"));
        Assert.That(agent.ConnectionsOpened, Is.EqualTo(2));
    }

    [Test]
    public void Head_ReadsNoContentDespiteTheContentLength()
    {
        using var sim = new HttpSimulation(Router());
        using var agent = new HttpUserAgent(sim.Pair.A);
        HttpUserAgentResponse head = Run(sim, agent.SendAsync(HttpRequestMethod.Head, Server, "/", default, null));
        Assert.That(head.GetHeader("Content-Length"), Is.EqualTo("5"));
        Assert.That(head.Body, Is.Empty);
        Assert.That(Run(sim, agent.GetAsync(Server, "/")).BodyText, Is.EqualTo("hello"), "the connection is still in step");
    }

    private static HttpUserAgentResponse Run(HttpSimulation sim, Task<HttpUserAgentResponse> exchange)
    {
        Assert.That(sim.Simulation.RunUntil(() => exchange.IsCompleted, TimeSpan.FromMinutes(1)), Is.True);
        return exchange.GetAwaiter().GetResult();
    }
}
