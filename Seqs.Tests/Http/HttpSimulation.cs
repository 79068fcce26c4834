using System.Text;
using Seqs.Http;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Tests.Http;

/// <summary>
/// An <see cref="HttpServer"/> on stack B and raw TCP clients on stack A, in virtual time: tests send exact bytes
/// and read exactly what the server answered.
/// </summary>
internal sealed class HttpSimulation : IDisposable
{
    public const ushort Port = 8080;

    private readonly CancellationTokenSource _stop = new();

    public HttpSimulation(HttpRouter router, HttpServerOptions? options = null, LinkFaults? faults = null, NetStackOptions? stackOptions = null)
    {
        Pair = new SimulatedPair(faults ?? new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1) }, stackOptions);
        options ??= new HttpServerOptions();
        options.Port = Port;
        Server = new HttpServer(Pair.B, router, options);
        Running = Server.RunAsync(_stop.Token);
        Pair.Simulation.RunFor(TimeSpan.Zero);
    }

    public SimulatedPair Pair { get; }

    public HttpServer Server { get; }

    public Task Running { get; }

    public NetworkSimulation Simulation => Pair.Simulation;

    /// <summary>A client connection; one that is not <paramref name="reading"/> never takes what the server sends (its window closes).</summary>
    public RawClient Connect(bool reading = true)
    {
        // Like curl, the raw client turns Nagle off: each piece it sends leaves at once.
        Task<TcpConnection> connect = Pair.LoopA.InvokeAsync(() => Pair.A.Tcp.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, Port), new TcpConnectionOptions { NoDelay = true }));
        Assert.That(Simulation.RunUntil(() => connect.IsCompleted, TimeSpan.FromSeconds(10)), Is.True, "connect");
        var client = new RawClient(this, connect.Result);
        if (reading)
            client.StartReading();
        return client;
    }

    /// <summary>Sends <paramref name="request"/> on a new connection and returns all the server sent within <paramref name="wait"/>.</summary>
    public string Exchange(string request, TimeSpan? wait = null)
    {
        RawClient client = Connect();
        client.Send(request);
        Simulation.RunFor(wait ?? TimeSpan.FromMilliseconds(200));
        return client.TakeText();
    }

    public void Dispose()
    {
        _stop.Cancel();
        Simulation.RunFor(TimeSpan.FromMilliseconds(10));
        Server.Dispose();
        Pair.Dispose();
        _stop.Dispose();
    }

    /// <summary>A client connection on stack A that collects everything the server sends.</summary>
    internal sealed class RawClient(HttpSimulation owner, TcpConnection connection)
    {
        private readonly List<byte> _received = [];

        public TcpConnection Connection => connection;

        /// <summary>The server closed (FIN) or reset the connection.</summary>
        public bool Closed { get; private set; }

        public bool Reset { get; private set; }

        public void StartReading() => _ = owner.Pair.LoopA.InvokeAsync(async () =>
        {
            byte[] buffer = new byte[4096];
            try
            {
                int n;
                while ((n = await connection.ReadAsync(buffer)) > 0)
                    _received.AddRange(buffer.AsSpan(0, n).ToArray());
                // Close this side too, as a real client does once the server has closed.
                connection.Dispose();
            }
            catch (IOException)
            {
                Reset = true;
            }
            Closed = true;
        });

        public void Send(string text) => Send(Encoding.Latin1.GetBytes(text));

        public void Send(byte[] bytes)
        {
            if (!TrySend(bytes))
                Assert.Fail("The server closed the connection before the request was written.");
        }

        /// <summary>Writes <paramref name="bytes"/>; false when the connection was already closed for sending.</summary>
        public bool TrySend(byte[] bytes)
        {
            Task write = owner.Pair.LoopA.InvokeAsync(async () => await connection.WriteAsync(bytes));
            Assert.That(owner.Simulation.RunUntil(() => write.IsCompleted, TimeSpan.FromSeconds(10)), Is.True, "write");
            return !write.IsFaulted && !write.IsCanceled;
        }

        /// <summary>What arrived so far, as Latin-1 text; the collected bytes are cleared.</summary>
        public string TakeText()
        {
            string text = Encoding.Latin1.GetString(_received.ToArray());
            _received.Clear();
            return text;
        }

        public int ReceivedCount => _received.Count;

        public void Close() => owner.Pair.LoopA.Post(_ => connection.Dispose(), null);
    }
}
