using System.Diagnostics;
using System.Globalization;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Seqs.Device.HostNics;
using Seqs.Scheduling;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Tls;
using Seqs.Wire;

namespace Seqs.Benchmarks.Tap;

/// <summary>
/// TLS over a TAP, for build/tls-bench.sh: a stack that first measures, as a client of the kernel's servers, TLS 1.3
/// handshakes against <c>openssl s_server</c>; then, in each of ROUNDS rounds, the bulk file downloaded through TLS
/// (<c>GET /bulk</c> from <c>s_server -WWW</c>) and over plain TCP (a socat sending it), and uploaded through TLS and
/// over plain TCP (to socat sinks that hash what they receive, for the script to check); and the memory of open TLS
/// connections (to a socat that forks a TLS server per connection, as s_server serves one at a time); then
/// serves TLS on port 4443 (handshake, then read until the client leaves) for <c>openssl s_time</c>, until standard
/// input closes. Prints one line per result.
/// <code>tls-stack TAP ADDRESS/PREFIX SERVER-ADDRESS CERT.pem KEY.pem HANDSHAKES BULK-FILE ROUNDS</code>
/// </summary>
internal static class TapTlsHost
{
    private const int TlsPort = 4433, PlainPort = 5001, ServePort = 4443, ForkingTlsPort = 4434, OpenConnections = 32;
    private const int TlsSinkPort = 4435, PlainSinkPort = 5002;

    public static int Run(string[] args)
    {
        if (args.Length < 8 || !Ipv4Cidr.TryParse(args[1], out Ipv4Cidr address) || !Ipv4Address.TryParse(args[2], out Ipv4Address server))
        {
            Console.Error.WriteLine("usage: tls-stack TAP ADDRESS/PREFIX SERVER-ADDRESS CERT.pem KEY.pem HANDSHAKES BULK-FILE ROUNDS");
            return 2;
        }
        int handshakes = int.Parse(args[5], CultureInfo.InvariantCulture);
        byte[] bulk = File.ReadAllBytes(args[6]);
        int rounds = int.Parse(args[7], CultureInfo.InvariantCulture);
        var buffers = new TcpConnectionOptions { SendBufferSize = 262144, ReceiveBufferSize = 262144 };
        using TapNic tap = TapNic.Open(args[0]);
        var loop = new NetLoop(TimeProvider.System) { SpinBeforeSleep = TimeSpan.FromMicroseconds(50) };
        var stack = new NetStack(loop, tap);
        stack.Configure(address);
        using var stop = new CancellationTokenSource();
        Task running = loop.Start(stop.Token);
        using X509Certificate2 certificate = X509Certificate2.CreateFromPemFile(args[3], args[4]);
        var client = new TlsClientOptions { SkipCertificateValidation = true, EnabledProtocols = SslProtocols.Tls13, Tcp = buffers };

        MeasureHandshakes(stack, server, client, handshakes).GetAwaiter().GetResult();
        MeasureBulkAsync(stack, server, client, buffers, bulk, rounds).GetAwaiter().GetResult();
        MeasureMemoryAsync(stack, server, client).GetAwaiter().GetResult();

        var listener = new TcpListener(stack.Tcp, ServePort, buffers, backlog: 64);
        loop.InvokeAsync(() =>
        {
            listener.Start();
            return Task.CompletedTask;
        }).Wait();
        _ = ServeAsync(listener, new TlsServerOptions(certificate) { EnabledProtocols = SslProtocols.Tls13 }, stop.Token);
        Console.WriteLine("serving");
        Console.In.ReadToEnd();
        stop.Cancel();
        running.Wait(TimeSpan.FromSeconds(5));
        return 0;
    }

    private static async Task MeasureHandshakes(NetStack stack, Ipv4Address server, TlsClientOptions client, int count)
    {
        // The first handshake warms the JIT and OpenSSL up; it is not counted.
        await using (await TlsConnection.ConnectAsync(stack, server.ToString(), TlsPort, client))
        {
        }
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            await using TlsStream tls = await TlsConnection.ConnectAsync(stack, server.ToString(), TlsPort, client);
        }
        clock.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"client handshakes: {count} in {clock.Elapsed.TotalSeconds:F2} s, {count / clock.Elapsed.TotalSeconds:F0}/s, {clock.Elapsed.TotalMilliseconds / count:F2} ms each"));
    }

    /// <summary>
    /// Each round: the download through TLS and over plain TCP, then the upload through TLS and over plain TCP; prints
    /// each round's rates and ratios, then the medians.
    /// </summary>
    private static async Task MeasureBulkAsync(NetStack stack, Ipv4Address server, TlsClientOptions client, TcpConnectionOptions buffers, byte[] bulk, int rounds)
    {
        var downloadRatios = new List<double>();
        var uploadRatios = new List<double>();
        var rates = new List<double>[4];
        for (int i = 0; i < rates.Length; i++)
            rates[i] = [];
        for (int round = 1; round <= rounds; round++)
        {
            double tlsDown = await DownloadAsync(stack, server, client, buffers, bulk.Length, overTls: true);
            double plainDown = await DownloadAsync(stack, server, client, buffers, bulk.Length, overTls: false);
            double tlsUp = await UploadAsync(stack, server, client, buffers, bulk, overTls: true);
            double plainUp = await UploadAsync(stack, server, client, buffers, bulk, overTls: false);
            rates[0].Add(tlsDown);
            rates[1].Add(plainDown);
            rates[2].Add(tlsUp);
            rates[3].Add(plainUp);
            downloadRatios.Add(tlsDown / plainDown);
            uploadRatios.Add(tlsUp / plainUp);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: download through TLS {tlsDown:F1} MB/s, plain TCP {plainDown:F1} MB/s, ratio {tlsDown / plainDown:F2}; upload through TLS {tlsUp:F1} MB/s, plain TCP {plainUp:F1} MB/s, ratio {tlsUp / plainUp:F2}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median of {rounds}: download through TLS {Median(rates[0]):F1} MB/s, plain TCP {Median(rates[1]):F1} MB/s, ratio {Median(downloadRatios):F2}; upload through TLS {Median(rates[2]):F1} MB/s, plain TCP {Median(rates[3]):F1} MB/s, ratio {Median(uploadRatios):F2}"));
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>
    /// Sends <paramref name="bulk"/> to a socat sink through TLS (then close_notify) or over plain TCP (then a FIN),
    /// timed until the sink closes its end, which it does once it has read everything; MB/s.
    /// </summary>
    private static async Task<double> UploadAsync(NetStack stack, Ipv4Address server, TlsClientOptions client, TcpConnectionOptions buffers, byte[] bulk, bool overTls)
    {
        const int WriteSize = 1 << 20;
        byte[] buffer = new byte[16384];
        var clock = Stopwatch.StartNew();
        if (overTls)
        {
            await using TlsStream tls = await TlsConnection.ConnectAsync(stack, server.ToString(), TlsSinkPort, client);
            for (int offset = 0; offset < bulk.Length; offset += WriteSize)
                await tls.WriteAsync(bulk.AsMemory(offset, Math.Min(WriteSize, bulk.Length - offset)));
            await tls.ShutdownAsync();
            while (await ReadOrEndAsync(tls, buffer) > 0)
            {
            }
        }
        else
        {
            using var tcp = new TcpConnection(stack.Tcp, buffers);
            await tcp.ConnectAsync(new Ipv4EndPoint(server, PlainSinkPort));
            for (int offset = 0; offset < bulk.Length; offset += WriteSize)
                await tcp.WriteAsync(bulk.AsMemory(offset, Math.Min(WriteSize, bulk.Length - offset)));
            tcp.ShutdownSend();
            while (await ReadOrEndAsync(tcp, buffer) > 0)
            {
            }
        }
        clock.Stop();
        return bulk.Length / clock.Elapsed.TotalSeconds / 1e6;
    }

    /// <summary>Reads /bulk from s_server -WWW through TLS, or the same file from socat over plain TCP; MB/s.</summary>
    private static async Task<double> DownloadAsync(NetStack stack, Ipv4Address server, TlsClientOptions client, TcpConnectionOptions buffers, long length, bool overTls)
    {
        byte[] buffer = new byte[1 << 20];
        long total = 0;
        var clock = Stopwatch.StartNew();
        Stream stream;
        if (overTls)
        {
            TlsStream tls = await TlsConnection.ConnectAsync(stack, server.ToString(), TlsPort, client);
            await tls.WriteAsync("GET /bulk HTTP/1.0\r\n\r\n"u8.ToArray());
            stream = tls;
        }
        else
        {
            var tcp = new TcpConnection(stack.Tcp, buffers);
            await tcp.ConnectAsync(new Ipv4EndPoint(server, PlainPort));
            stream = tcp;
        }
        await using (stream)
        {
            int n;
            while ((n = await ReadOrEndAsync(stream, buffer)) > 0)
                total += n;
        }
        clock.Stop();
        // s_server -WWW sends a status line and headers before the file.
        if (total < length)
            throw new IOException($"The download {(overTls ? "through TLS" : "over plain TCP")} ended after {total} of {length} octets.");
        return total / clock.Elapsed.TotalSeconds / 1e6;
    }

    /// <summary>A read; a peer that closes without close_notify (s_server -WWW) ends the stream like a FIN.</summary>
    private static async Task<int> ReadOrEndAsync(Stream stream, byte[] buffer)
    {
        try
        {
            return await stream.ReadAsync(buffer);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Opens <see cref="OpenConnections"/> TLS connections and reports the memory each adds, managed and in all.</summary>
    private static async Task MeasureMemoryAsync(NetStack stack, Ipv4Address server, TlsClientOptions client)
    {
        long managed = GC.GetTotalMemory(forceFullCollection: true);
        long process = Environment.WorkingSet;
        var open = new List<TlsStream>();
        for (int i = 0; i < OpenConnections; i++)
            open.Add(await TlsConnection.ConnectAsync(stack, server.ToString(), ForkingTlsPort, new TlsClientOptions { SkipCertificateValidation = true, EnabledProtocols = SslProtocols.Tls13 }));
        long managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        long processAfter = Environment.WorkingSet;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory per open TLS connection (with 16 KiB TCP send and receive buffers): managed {(managedAfter - managed) / OpenConnections / 1024.0:F1} KiB, working set {(processAfter - process) / OpenConnections / 1024.0:F1} KiB"));
        foreach (TlsStream tls in open)
            await tls.DisposeAsync();
    }

    private static async Task ServeAsync(TcpListener listener, TlsServerOptions options, CancellationToken cancellationToken)
    {
        byte[] discard = new byte[16384];
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpConnection connection = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            _ = Task.Run(async () =>
            {
                try
                {
                    await using TlsStream tls = await TlsConnection.AuthenticateAsServerAsync(connection, options, cancellationToken: cancellationToken);
                    while (await tls.ReadAsync(discard, cancellationToken) > 0)
                    {
                    }
                }
                catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException)
                {
                    connection.Dispose();
                }
            }, cancellationToken);
        }
    }
}
