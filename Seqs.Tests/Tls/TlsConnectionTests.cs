using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Seqs.Simulation;
using Seqs.Tcp;
using Seqs.Tls;
using Seqs.Wire;

namespace Seqs.Tests.Tls;

/// <summary>
/// TLS between two stacks on one real-time loop, as on a device: handshakes and data both ways, the crypto off the
/// loop thread, and refusals of bad certificates that say why.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TlsConnectionTests
{
    private const ushort Port = 443;
    private const string ServerName = "device.test";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private X509Certificate2 _ca = null!;

    [OneTimeSetUp]
    public void CreateCa() => _ca = TestCertificates.CreateCa();

    [OneTimeTearDown]
    public void DisposeCa() => _ca.Dispose();

    [TestCase(SslProtocols.Tls13, false)]
    [TestCase(SslProtocols.Tls12, false)]
    [TestCase(SslProtocols.Tls13, true)]
    public async Task ClientAndServer_OnOneLoop_HandshakeAndEchoData(SslProtocols protocol, bool rsa)
    {
        using var stacks = new LoopedStacks();
        using X509Certificate2 certificate = TestCertificates.Issue(_ca, ServerName, rsa: rsa);
        await using var server = new TlsEchoServer(stacks.B, Port, new TlsServerOptions(certificate) { EnabledProtocols = protocol });

        await using TlsStream tls = await TlsConnection.ConnectAsync(stacks.A, SimulatedPair.AddressB.ToString(), Port, Trusting(_ca, ServerName)).WaitAsync(Bound);
        byte[] sent = RandomNumberGenerator.GetBytes(200_000);
        byte[] received = await EchoAsync(tls, sent).WaitAsync(Bound);

        Assert.That(received, Is.EqualTo(sent));
        Assert.That(tls.Protocol, Is.EqualTo(protocol));
        Assert.That(server.LastProtocol, Is.EqualTo(protocol));
        Assert.That(server.LastServerName, Is.EqualTo(ServerName), "the client names the server by SNI (RFC 6066 §3)");
    }

    [Test]
    public async Task StreamUsedOnTheLoopThread_NeverRunsTlsOnTheLoop()
    {
        // OffLoopTransport throws if SslStream enters it on a loop thread, which it does right after encrypting and
        // right before decrypting: a handshake and an echo started on the loop thread succeed only if every TLS step
        // was moved off it.
        using var stacks = new LoopedStacks();
        using X509Certificate2 certificate = TestCertificates.Issue(_ca, ServerName);
        await using var server = new TlsEchoServer(stacks.B, Port, new TlsServerOptions(certificate));
        byte[] sent = RandomNumberGenerator.GetBytes(100_000);
        bool resumedOnLoop = false;

        byte[] received = await stacks.Loop.InvokeAsync(async () =>
        {
            var connection = new TcpConnection(stacks.A.Tcp);
            await connection.ConnectAsync(new Ipv4EndPoint(SimulatedPair.AddressB, Port));
            await using TlsStream tls = await TlsConnection.AuthenticateAsClientAsync(connection, ServerName, Trusting(_ca, ServerName));
            resumedOnLoop = stacks.Loop.IsOnLoopThread;
            return await EchoAsync(tls, sent);
        }).WaitAsync(Bound);

        Assert.That(received, Is.EqualTo(sent));
        Assert.That(resumedOnLoop, Is.True, "awaits made on the loop resume on the loop");
        Assert.That(server.Failures, Is.Empty);
    }

    [Test]
    public async Task ClientWrites_GoBehind_AndShutdownAsyncDeliversThemAllWithoutADispose()
    {
        using var stacks = new LoopedStacks();
        using X509Certificate2 certificate = TestCertificates.Issue(_ca, ServerName);
        (TcpConnection client, TcpConnection accepted) = await stacks.ConnectAsync(Port, Bound);
        Task<byte[]> serving = Task.Run(async () =>
        {
            await using TlsStream server = await TlsConnection.AuthenticateAsServerAsync(accepted, new TlsServerOptions(certificate));
            var received = new MemoryStream();
            byte[] buffer = new byte[16384];
            int n;
            // close_notify (RFC 8446 §6.1) ends the server's reads.
            while ((n = await server.ReadAsync(buffer)) > 0)
                received.Write(buffer, 0, n);
            return received.ToArray();
        });
        await using TlsStream tls = await TlsConnection.AuthenticateAsClientAsync(client, ServerName, Trusting(_ca, ServerName)).WaitAsync(Bound);
        byte[] sent = RandomNumberGenerator.GetBytes(1_000_000);

        for (int offset = 0; offset < sent.Length; offset += 100_000)
            await tls.WriteAsync(sent.AsMemory(offset, 100_000)).AsTask().WaitAsync(Bound);
        await tls.ShutdownAsync().WaitAsync(Bound);

        Assert.That(await serving.WaitAsync(Bound), Is.EqualTo(sent), "everything written, then close_notify, in order, while the stream is still open");
    }

    [Test]
    public async Task TransportRead_CompletedByTheLoop_ContinuesOffTheLoop()
    {
        using var stacks = new LoopedStacks();
        (TcpConnection client, TcpConnection accepted) = await stacks.ConnectAsync(Port, Bound);
        using TcpConnection clientEnd = client, acceptedEnd = accepted;
        using var transport = new OffLoopTransport(accepted, ownsConnection: false);

        ValueTask<int> read = transport.ReadAsync(new byte[16]);
        await client.WriteAsync("x"u8.ToArray());
        int n = await read.ConfigureAwait(false);

        Assert.That(n, Is.EqualTo(1));
        Assert.That(stacks.Loop.IsOnLoopThread, Is.False, "the read completes on the loop, and its continuation must not run there");
    }

    [Test]
    public async Task LoopExit_OnTheLoopThread_IsOnLoop_AndLeavesIt()
    {
        using var stacks = new LoopedStacks();
        (bool onLoop, bool leftLoop) = await stacks.Loop.InvokeAsync(async () =>
        {
            bool before = LoopExit.IsOnLoop;
            await new LoopExit();
            return (before, !stacks.Loop.IsOnLoopThread && !LoopExit.IsOnLoop);
        }).WaitAsync(Bound);

        Assert.That(onLoop, Is.True, "work the loop runs sees its synchronisation context");
        Assert.That(leftLoop, Is.True);
        Assert.That(LoopExit.IsOnLoop, Is.False, "a test thread is no loop's");
    }

    [Test]
    public async Task TransportReadAhead_ServesSmallReadsFromOneLoopTrip()
    {
        using var stacks = new LoopedStacks();
        (TcpConnection client, TcpConnection accepted) = await stacks.ConnectAsync(Port, Bound);
        using TcpConnection clientEnd = client, acceptedEnd = accepted;
        using var transport = new OffLoopTransport(accepted, ownsConnection: false);
        byte[] sent = RandomNumberGenerator.GetBytes(3000);
        await client.WriteAsync(sent);

        // Data arrives a segment (1460 octets) at a time, so a read of 100 takes at least a segment from the loop,
        // and the next reads are served from it without waiting.
        byte[] received = new byte[sent.Length];
        int total = 0, servedAtOnce = 0;
        while (total < sent.Length)
        {
            ValueTask<int> read = transport.ReadAsync(received.AsMemory(total, Math.Min(100, sent.Length - total)));
            if (read.IsCompleted)
                servedAtOnce++;
            total += await read.AsTask().WaitAsync(Bound);
        }

        Assert.That(received, Is.EqualTo(sent));
        Assert.That(servedAtOnce, Is.GreaterThan(10), "without the read-ahead every read would wait for a loop trip");
    }

    [Test]
    public async Task TransportRead_CancelledWhileTheLoopReads_LosesNothing()
    {
        using var stacks = new LoopedStacks();
        (TcpConnection client, TcpConnection accepted) = await stacks.ConnectAsync(Port, Bound);
        using TcpConnection clientEnd = client, acceptedEnd = accepted;
        using var transport = new OffLoopTransport(accepted, ownsConnection: false);
        byte[] sent = RandomNumberGenerator.GetBytes(200_000);
        const int First = 64 * 1024;
        byte[] received = new byte[sent.Length];
        Task first = client.WriteAsync(sent.AsMemory(0, First)).AsTask();
        int total = 0;
        while (total < First)
            total += await transport.ReadAsync(received.AsMemory(total, 1000)).AsTask().WaitAsync(Bound);
        await first.WaitAsync(Bound);

        // Nothing more was sent: the read waits for the loop's (after a bulk read, the one already on its way), and
        // cancelling it leaves that read running for the next.
        using var cancelled = new CancellationTokenSource();
        ValueTask<int> waiting = transport.ReadAsync(received.AsMemory(total, 1000), cancelled.Token);
        Assert.That(waiting.IsCompleted, Is.False);
        await cancelled.CancelAsync();
        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        Task sending = client.WriteAsync(sent.AsMemory(First)).AsTask();
        while (total < sent.Length)
            total += await transport.ReadAsync(received.AsMemory(total, Math.Min(30_000, sent.Length - total))).AsTask().WaitAsync(Bound);
        await sending.WaitAsync(Bound);

        Assert.That(received, Is.EqualTo(sent), "nothing lost or reordered around the cancelled read");
    }

    [Test]
    public async Task Handshakes_LoopKeepsTurning_LongestTurnIsReported()
    {
        using var stacks = new LoopedStacks();
        using X509Certificate2 certificate = TestCertificates.Issue(_ca, ServerName, rsa: true);
        await using var server = new TlsEchoServer(stacks.B, Port, new TlsServerOptions(certificate));
        stacks.Meter.Reset();

        for (int i = 0; i < 20; i++)
        {
            await using TlsStream tls = await TlsConnection.ConnectAsync(stacks.A, SimulatedPair.AddressB.ToString(), Port, Trusting(_ca, ServerName)).WaitAsync(Bound);
        }

        TestContext.Out.WriteLine($"20 RSA-2048 TLS 1.3 handshakes, both ends on one loop: {stacks.Meter.Turns} turns, the longest {stacks.Meter.LongestTurn.TotalMilliseconds:F2} ms");
        Assert.That(stacks.Meter.Turns, Is.GreaterThan(20 * 4), "each handshake takes the loop several turns");
    }

    [Test]
    public void ExpiredCertificate_IsRefusedSayingWhen()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        AuthenticationException refusal = Refusal(TestCertificates.Issue(_ca, ServerName, notBefore: now.AddDays(-30), notAfter: now.AddDays(-1)), Trusting(_ca, ServerName));
        Assert.That(refusal.Message, Does.Contain("expired on").And.Contain("the clock said"));
    }

    [Test]
    public void WrongHostName_IsRefusedNamingTheCertificatesNames()
    {
        AuthenticationException refusal = Refusal(TestCertificates.Issue(_ca, "other.test"), Trusting(_ca, ServerName));
        Assert.That(refusal.Message, Does.Contain($"is for other.test, not for {ServerName}"));
    }

    [Test]
    public void UntrustedIssuer_IsRefusedSayingToGiveTheCa()
    {
        using X509Certificate2 stranger = TestCertificates.CreateCa("Stranger CA");
        AuthenticationException refusal = Refusal(TestCertificates.Issue(stranger, ServerName), Trusting(_ca, ServerName));
        Assert.That(refusal.Message, Does.Contain("not issued by a trusted CA").And.Contain("--ca-file"));
    }

    [Test]
    public void ClockNotYetSynchronized_RefusesSayingNtpHasNotAnswered()
    {
        TlsClientOptions options = Trusting(_ca, ServerName);
        options.VerificationTime = () => null;
        AuthenticationException refusal = Refusal(TestCertificates.Issue(_ca, ServerName), options);
        Assert.That(refusal.Message, Does.Contain("has not been synchronised").And.Contain("NTP"));
    }

    [Test]
    public async Task ClockSaying2000_RefusesUntilNetworkTimeIsKnown_ThenValidates()
    {
        using var stacks = new LoopedStacks();
        using X509Certificate2 certificate = TestCertificates.Issue(_ca, ServerName);
        await using var server = new TlsEchoServer(stacks.B, Port, new TlsServerOptions(certificate));
        DateTimeOffset deviceClock = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        TlsClientOptions options = Trusting(_ca, ServerName);
        options.VerificationTime = () => deviceClock;

        AuthenticationException? before = Assert.ThrowsAsync<AuthenticationException>(() => TlsConnection.ConnectAsync(stacks.A, SimulatedPair.AddressB.ToString(), Port, options).WaitAsync(Bound));
        deviceClock = DateTimeOffset.UtcNow;
        await using TlsStream after = await TlsConnection.ConnectAsync(stacks.A, SimulatedPair.AddressB.ToString(), Port, options).WaitAsync(Bound);

        Assert.That(before!.Message, Does.Contain("is not valid before").And.Contain("2000-01-01"));
        Assert.That(after.RemoteCertificate?.Thumbprint, Is.EqualTo(certificate.Thumbprint));
    }

    [Test]
    public void ServerCertificateWithoutKey_FailsAtConfiguration()
    {
        using X509Certificate2 certificate = TestCertificates.Issue(_ca, ServerName);
        using X509Certificate2 publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
        Assert.That(() => new TlsServerOptions(publicOnly), Throws.ArgumentException.With.Message.Contains("no private key"));
    }

    /// <summary>Client options trusting <paramref name="ca"/> alone, with the host name used by SNI.</summary>
    private static TlsClientOptions Trusting(X509Certificate2 ca, string serverName) =>
        new() { TrustedRoots = [ca], TargetHostName = serverName };

    private static AuthenticationException Refusal(X509Certificate2 certificate, TlsClientOptions options)
    {
        using (certificate)
        {
            using var stacks = new LoopedStacks();
            var server = new TlsEchoServer(stacks.B, Port, new TlsServerOptions(certificate));
            try
            {
                return Assert.ThrowsAsync<AuthenticationException>(() => TlsConnection.ConnectAsync(stacks.A, SimulatedPair.AddressB.ToString(), Port, options).WaitAsync(Bound))!;
            }
            finally
            {
                server.DisposeAsync().AsTask().Wait(Bound);
            }
        }
    }

    private static async Task<byte[]> EchoAsync(TlsStream tls, byte[] sent)
    {
        Task writing = tls.WriteAsync(sent).AsTask();
        byte[] received = new byte[sent.Length];
        int total = 0;
        while (total < received.Length)
        {
            int n = await tls.ReadAsync(received.AsMemory(total));
            if (n == 0)
                break;
            total += n;
        }
        await writing;
        return received[..total];
    }
}
