using System.Buffers;
using System.Text;
using Seqs.Http;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;
using TcpListener = Seqs.Tcp.TcpListener;

namespace Seqs.Tests.Http;

/// <summary>
/// What an idle keep-alive connection costs the HTTP server in managed memory, with default
/// <see cref="HttpServerOptions"/>: the live heap after many connections have each been served one request, less the
/// same number of bare TCP connections accepted and held by a <see cref="TcpListener"/>. What is left is HTTP's own:
/// the per-connection objects, the read buffer and the awaiting handler chain. TCP's own cost and its send and
/// receive buffers are in <c>TcpMemoryTests</c>; both runs use the same small TCP buffers, which cancel out.
/// </summary>
[NonParallelizable]
public sealed class HttpMemoryTests
{
    /// <summary>Issue 6: at most 4 KiB per idle keep-alive connection, HTTP buffers included, with default settings.</summary>
    private const int TargetBytes = 4096;
    private const int Warmup = 8;
    private const int Measured = 100;

    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET /status HTTP/1.1\r\nHost: 10.0.0.2\r\nUser-Agent: test\r\n\r\n");
    private static readonly int ResponseLength = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".Length;
    private static readonly TcpConnectionOptions TcpOptions = new() { SendBufferSize = 1024, ReceiveBufferSize = 1024 };

    [Test]
    public void IdleKeepAliveConnection_WithDefaultSettings_FitsTheTarget()
    {
        double withHttp = RetainedPerConnection(http: true);
        double bareTcp = RetainedPerConnection(http: false);
        double perConnection = withHttp - bareTcp;

        TestContext.Out.WriteLine($"idle keep-alive connection: {perConnection:F0} B for HTTP ({withHttp:F0} B with both TCP ends, {bareTcp:F0} B for a bare accepted TCP connection and its client)");
        Assert.That(perConnection, Is.LessThanOrEqualTo(TargetBytes));
    }

    private static double RetainedPerConnection(bool http)
    {
        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromTicks(10) }, new NetStackOptions { MaxTcpConnections = 512 });
        using var stop = new CancellationTokenSource();
        var held = new List<TcpConnection>(Warmup + Measured);
        using var server = http ? StartHttpServer(pair, stop.Token) : null;
        using var listener = http ? null : StartHolding(pair, held);
        var clients = new List<TcpConnection>(Warmup + Measured);
        byte[] response = new byte[ResponseLength];

        Open(pair, clients, Warmup, http, response);
        // Rented read buffers must be counted even when the pool had some cached: empty its cache of that size first.
        byte[][] emptied = [.. Enumerable.Range(0, 32).Select(_ => ArrayPool<byte>.Shared.Rent(new HttpServerOptions().RequestBufferSize))];
        long before = GC.GetTotalMemory(forceFullCollection: true);
        Open(pair, clients, Measured, http, response);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        foreach (byte[] buffer in emptied)
            ArrayPool<byte>.Shared.Return(buffer);

        if (http)
            Assert.That(server!.Counters.ActiveConnections, Is.EqualTo(Warmup + Measured), "every connection still open and idle");
        else
            Assert.That(held, Has.Count.EqualTo(Warmup + Measured));
        GC.KeepAlive(clients);
        stop.Cancel();
        return (after - before) / (double)Measured;
    }

    private static HttpServer StartHttpServer(SimulatedPair pair, CancellationToken stopping)
    {
        var router = new HttpRouter().MapGet("/status", static (request, response, cancellationToken) =>
        {
            response.Write("ok"u8);
            return default;
        });
        // Default settings, except that the connection limit (no per-connection cost) admits all of them.
        var server = new HttpServer(pair.B, router, new HttpServerOptions { Port = 80, MaxConnections = 256, Backlog = 256, TcpOptions = TcpOptions });
        _ = server.RunAsync(stopping);
        return server;
    }

    private static TcpListener StartHolding(SimulatedPair pair, List<TcpConnection> held)
    {
        var listener = new TcpListener(pair.B.Tcp, 80, TcpOptions, backlog: 256);
        pair.LoopB.Post(_ =>
        {
            listener.Start();
            _ = AcceptAllAsync(listener, held);
        }, null);
        return listener;
    }

    private static async Task AcceptAllAsync(TcpListener listener, List<TcpConnection> held)
    {
        while (true)
            held.Add(await listener.AcceptAsync());
    }

    /// <summary>Opens <paramref name="count"/> connections, each sending one request (and, to HTTP, reading the answer).</summary>
    private static void Open(SimulatedPair pair, List<TcpConnection> clients, int count, bool http, byte[] response)
    {
        for (int i = 0; i < count; i++)
        {
            Task<TcpConnection> exchange = pair.LoopA.InvokeAsync(async () =>
            {
                TcpConnection connection = await pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, 80), TcpOptions);
                await connection.WriteAsync(Request);
                for (int got = 0; http && got < response.Length;)
                    got += await connection.ReadAsync(response.AsMemory(got));
                return connection;
            });
            Assert.That(pair.Simulation.RunUntil(() => exchange.IsCompleted, TimeSpan.FromSeconds(5)), Is.True, $"connection {clients.Count + 1}");
            clients.Add(exchange.Result);
        }
        pair.Simulation.RunFor(TimeSpan.FromMilliseconds(10));
    }
}
