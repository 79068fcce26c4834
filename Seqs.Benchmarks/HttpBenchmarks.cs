using BenchmarkDotNet.Attributes;
using Seqs.Http;
using Seqs.Scheduling;
using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Benchmarks;

/// <summary>
/// A small keep-alive GET served by <see cref="HttpServer"/>, in-process, with no network: <see cref="ParseAndRoute"/>
/// is the HTTP layer's own work on a request in memory (parse the head in place, match the route and its value);
/// <see cref="KeepAliveGet"/> is a whole request and response, handler and response head included, through the TCP
/// and IP layers of two stacks on a <see cref="CrossoverNic"/> pair (no simulator, no kernel); <see cref="EchoOfTheRequest"/>
/// sends the same request to a TCP echo server on the same pair, so that the difference is the HTTP server's share.
/// <see cref="ConnectionPerRequestGet"/> is the same GET with "Connection: close" on a connection of its own, as
/// <c>wrk -H 'Connection: close'</c> sends it: handshake, request, response and close, the client closing first.
/// The request and handler are those of <c>HttpAllocationTests</c>, which asserts that the same exchanges allocate
/// nothing.
/// </summary>
[MemoryDiagnoser]
public class HttpBenchmarks // not sealed: BenchmarkDotNet's generated runner derives from it
{
    private static readonly byte[] s_request =
        "GET /api/items/42?x=1 HTTP/1.1\r\nHost: 10.0.0.2\r\nUser-Agent: test\r\nAccept: */*\r\n\r\n"u8.ToArray();
    private static readonly int s_responseLength =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"id\":42}".Length;
    private static readonly SendOrPostCallback s_sendRequest = static s => SendRequest(((HttpBenchmarks)s!)._connection);
    private static readonly SendOrPostCallback s_sendEcho = static s => SendRequest(((HttpBenchmarks)s!)._echo);
    private static readonly byte[] s_closingRequest = "GET /api/items/42 HTTP/1.1\r\nHost: 10.0.0.2\r\nConnection: close\r\n\r\n"u8.ToArray();
    private static readonly byte[] s_body = "{\"id\":42}"u8.ToArray();
    private static readonly SendOrPostCallback s_openOne = static s => ((HttpBenchmarks)s!)._next!.SetResultNow(0);

    private readonly HttpServerOptions _options = new() { Port = 80 };
    private readonly HttpRequestHead _head = new(new HttpServerOptions().MaxRequestHeaderCount);
    private readonly TextRange[] _routeValues = new TextRange[HttpRouter.MaxRouteParameters];
    private readonly byte[] _received = new byte[4096];
    private readonly CancellationTokenSource _stop = new();
    private HttpRouter _router = null!;
    private NetStack _client = null!;
    private NetStack _server = null!;
    private TcpConnection _connection = null!;
    private TcpConnection _echo = null!;
    private int _receivedLength;
    private LoopCompletion<int>? _next;
    private TcpConnection _perRequest = null!;
    private readonly byte[] _perRequestReceived = new byte[4096];
    private int _closedConnections;

    [GlobalSetup]
    public void Setup()
    {
        _router = new HttpRouter().MapGet("/api/items/{id}", static (request, response, cancellationToken) =>
        {
            response.ContentType = "application/json";
            response.Write("{\"id\":"u8);
            response.Write(request.GetRouteValue("id"));
            response.Write("}"u8);
            return default;
        });

        var stacks = new CrossoverStacks(ringFrames: 16);
        _client = stacks.A;
        _server = stacks.B;
        var server = new HttpServer(_server, _router, _options);
        _ = server.RunAsync(_stop.Token);
        var echo = new TcpEchoServer(_server);
        _ = echo.RunAsync(_stop.Token);
        _connection = Connect(80);
        _echo = Connect(TcpEchoServer.DefaultPort);
        _client.Loop.Post(_ => _ = ReadResponsesAsync(_connection), null);
        _client.Loop.Post(_ => _ = ReadResponsesAsync(_echo), null);
        _next = new LoopCompletion<int>(_client.Loop);
        _perRequest = new TcpConnection(_client.Tcp, new TcpConnectionOptions { NoDelay = true });
        _client.Loop.Post(_ => _ = ConnectionPerRequestLoopAsync(), null);
        for (int i = 0; i < 100; i++)
        {
            KeepAliveGet();
            EchoOfTheRequest();
            ConnectionPerRequestGet();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _stop.Cancel();

    [Benchmark]
    public int ParseAndRoute()
    {
        if (HttpRequestParser.TryParseHead(s_request, _head, _options, out int consumed, out _) != HttpParseStatus.Complete)
            throw new InvalidOperationException("The request did not parse.");
        ReadOnlySpan<byte> path = _head.Path.Of(s_request);
        HttpRoute? route = _router.Match(_head.Method, path, _head.Path.Start, _routeValues, out _);
        return route is null ? throw new InvalidOperationException("No route.") : consumed + _routeValues[0].Length;
    }

    [Benchmark]
    public void KeepAliveGet() => Exchange(s_sendRequest, s_responseLength);

    [Benchmark]
    public void EchoOfTheRequest() => Exchange(s_sendEcho, s_request.Length);

    [Benchmark]
    public void ConnectionPerRequestGet()
    {
        int closed = _closedConnections;
        _client.Loop.Post(s_openOne, this);
        for (int turn = 0; _closedConnections == closed; turn++)
        {
            if (turn == 100)
                throw new InvalidOperationException("No response on a new connection after 100 turns.");
            Turn();
        }
    }

    /// <summary>The client of <see cref="ConnectionPerRequestGet"/>: one connection per go, closed once the response is in.</summary>
    private async Task ConnectionPerRequestLoopAsync()
    {
        var site = new Ipv4EndPoint(SimulatedPair.AddressB, 80);
        while (true)
        {
            await _next!.ArmWithoutResult(CancellationToken.None);
            await _perRequest.ConnectAsync(site);
            await _perRequest.WriteAsync(s_closingRequest);
            int got = 0;
            while (!_perRequestReceived.AsSpan(0, got).EndsWith(s_body))
                got += await _perRequest.ReadAsync(_perRequestReceived.AsMemory(got));
            _perRequest.Disconnect();
            _closedConnections++;
        }
    }

    private void Exchange(SendOrPostCallback send, int expected)
    {
        _receivedLength = 0;
        _client.Loop.Post(send, this);
        for (int turn = 0; _receivedLength < expected; turn++)
        {
            if (turn == 100)
                throw new InvalidOperationException($"{_receivedLength} of {expected} bytes back after 100 turns.");
            Turn();
        }
        if (_receivedLength != expected)
            throw new InvalidOperationException($"{_receivedLength} bytes back, expected {expected}.");
    }

    private TcpConnection Connect(ushort port)
    {
        Task<TcpConnection>? connect = null;
        _client.Loop.Post(_ => connect = _client.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, port)), null);
        for (int turn = 0; turn < 100 && connect is not { IsCompleted: true }; turn++)
            Turn();
        return connect!.Result;
    }

    private static void SendRequest(TcpConnection connection)
    {
        if (!connection.WriteAsync(s_request).IsCompletedSuccessfully)
            throw new InvalidOperationException("The request did not fit the send buffer.");
    }

    private async Task ReadResponsesAsync(TcpConnection connection)
    {
        while (true)
        {
            // Not "+= await": that would read the count before the wait, across the reset for the next request.
            int read = await connection.ReadAsync(_received);
            _receivedLength += read;
        }
    }

    private void Turn()
    {
        _client.Loop.RunOnce();
        _server.Loop.RunOnce();
    }
}
