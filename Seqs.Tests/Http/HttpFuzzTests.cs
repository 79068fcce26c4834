using System.Text;
using Seqs.Http;
using Seqs.Stack;

namespace Seqs.Tests.Http;

/// <summary>
/// Random and mutated requests, each on its own connection that the client may abandon or reset: nothing throws
/// out of the server, no connection is left behind, and a normal request is still served afterwards.
/// </summary>
public sealed class HttpFuzzTests
{
    private static readonly string[] Seeds =
    [
        "GET /items/1?q=2 HTTP/1.1\r\nHost: b\r\nAccept: */*\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: b\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello",
        "POST /echo HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n5;e=1\r\nhello\r\n0\r\nT: 1\r\n\r\n",
        "HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /stream HTTP/1.1\r\nHost: b\r\n\r\n",
        "GET http://b/items/x HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n",
    ];

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void RandomAndMutatedRequests_NeverBreakTheServerOrLeakConnections(int seed)
    {
        var router = new HttpRouter()
            .MapGet("/", (req, res, ct) => default)
            .MapGet("/items/{id}", (req, res, ct) =>
            {
                res.Write(req.GetRouteValue("id"));
                return default;
            })
            .MapGet("/stream", async (req, res, ct) =>
            {
                await res.WriteAsync(new byte[5000], ct);
                await res.FlushAsync(ct);
            })
            .MapPost("/echo", async (req, res, ct) => res.Write(await req.ReadBodyToArrayAsync(ct)));
        var options = new HttpServerOptions { MaxRequestLineLength = 256, MaxRequestHeadersSize = 1024, MaxRequestHeaderCount = 8, MaxRequestBodySize = 4096 };
        // Each connection ends in TIME-WAIT on one side for a minute: room for all of them.
        using var sim = new HttpSimulation(router, options, stackOptions: new NetStackOptions { MaxTcpConnections = 1024 });
        var random = new Random(seed);
        for (int i = 0; i < 400; i++)
        {
            byte[] request = random.Next(4) == 0 ? RandomBytes(random) : Mutate(Encoding.ASCII.GetBytes(Seeds[random.Next(Seeds.Length)]), random);
            HttpSimulation.RawClient client = sim.Connect();
            client.TrySend(request);
            sim.Simulation.RunFor(TimeSpan.FromMilliseconds(random.Next(1, 30)));
            if (random.Next(3) == 0)
                client.Connection.Abort();
            else
                client.Close();
        }
        sim.Simulation.RunFor(TimeSpan.FromMinutes(3));

        Assert.That(sim.Server.Counters.InternalErrors, Is.Zero);
        Assert.That(sim.Server.Counters.HandlerFailures, Is.Zero);
        Assert.That(sim.Pair.LoopB.UnhandledExceptionCount, Is.Zero);
        Assert.That(sim.Running.IsCompleted, Is.False, "the accept loop still runs");
        Assert.That(sim.Server.Counters.ActiveConnections, Is.Zero);
        Assert.That(sim.Pair.B.Tcp.ConnectionCount, Is.Zero);
        TestContext.Out.WriteLine($"seed {seed}: {sim.Server.Connections} connections, {sim.Server.Counters.Requests} requests routed, {sim.Server.Counters.Rejected} rejected");
        Assert.That(sim.Exchange("GET /items/ok HTTP/1.1\r\nHost: b\r\n\r\n"), Does.EndWith("\r\n\r\nok"));
    }

    private static byte[] RandomBytes(Random random)
    {
        byte[] bytes = new byte[random.Next(1, 600)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        int mutations = random.Next(1, 6);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, "\r\n :;,\t\0"u8[random.Next(8)]);
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 10)));
                    break;
                case 3:
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(bytes.Count - at, random.Next(1, 40))));
                    break;
                case 4:
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(random.Next(3) switch
                    {
                        0 => $"{random.NextInt64():X}",
                        1 => "Content-Length: " + random.Next(-5, 10000) + "\r\n",
                        _ => "Transfer-Encoding: chunked\r\n",
                    }));
                    break;
                case 5:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes.InsertRange(at, Enumerable.Repeat((byte)'a', random.Next(100, 2000)));
                    break;
            }
        }
        return [.. bytes];
    }
}
