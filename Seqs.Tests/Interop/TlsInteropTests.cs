using System.Diagnostics;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Seqs.Tests.Tls;
using Seqs.Tls;
using Seqs.Wire;

namespace Seqs.Tests.Interop;

/// <summary>
/// TLS over TAP against the kernel's OpenSSL: <c>openssl s_server</c> (TLS 1.2 and 1.3, RSA and ECDSA certificates
/// from a CA made in the test, an expired one, one for another name) against the stack's client, and
/// <c>openssl s_client</c> against the stack's server; 64 MiB each way, checked by SHA-256.
/// </summary>
[TestFixture]
[Category("Interop")]
[NonParallelizable]
public sealed class TlsInteropTests
{
    private const int OpensslPort = 4433;
    private const ushort StackPort = 443;
    private const string ServerName = "server.test";
    private const int BulkOctets = 64 * 1024 * 1024;
    private static readonly Ipv4Cidr KernelSide = new(new Ipv4Address(10, 213, 17, 1), 24);
    private static readonly Ipv4Address StackAddress = new(10, 213, 17, 2);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private X509Certificate2 _ca = null!;
    private string _directory = null!;
    private string _caPath = null!;

    [OneTimeSetUp]
    public void CreateCa()
    {
        _ca = TestCertificates.CreateCa();
        _directory = Directory.CreateTempSubdirectory("seqs-tls-").FullName;
        _caPath = TestCertificates.WritePem(_ca, Path.Combine(_directory, "ca")).Certificate;
    }

    [OneTimeTearDown]
    public void DeleteCa()
    {
        _ca.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [TestCase("-tls1_3", false, SslProtocols.Tls13)]
    [TestCase("-tls1_3", true, SslProtocols.Tls13)]
    [TestCase("-tls1_2", false, SslProtocols.Tls12)]
    [TestCase("-tls1_2", true, SslProtocols.Tls12)]
    public async Task StackClient_AgainstOpensslServer_ValidatesAndTalks(string protocolSwitch, bool rsa, SslProtocols expected)
    {
        using var ns = NetworkNamespace.Create("openssl", "ss");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        using X509Certificate2 certificate = TestCertificates.Issue(_ca, ServerName, rsa: rsa);
        StartOpensslServer(ns, certificate, $"{protocolSwitch} -www");

        await using TlsStream tls = await ConnectAsync(device).WaitAsync(Bound);
        await tls.WriteAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray());
        string page = Encoding.ASCII.GetString(await ReadToEndAsync(tls).WaitAsync(Bound));

        Assert.That(page, Does.StartWith("HTTP/1.0 200 ok"), page);
        Assert.That(tls.Protocol, Is.EqualTo(expected));
        Assert.That(page, Does.Contain(expected == SslProtocols.Tls13 ? "TLSv1.3" : "TLSv1.2"), "s_server's page names the protocol it negotiated");
    }

    [Test]
    public void StackClient_OpensslServerWithExpiredCertificate_FailsSayingItExpired()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        AuthenticationException refusal = Refusal(TestCertificates.Issue(_ca, ServerName, notBefore: now.AddDays(-60), notAfter: now.AddDays(-2)));
        Assert.That(refusal.Message, Does.Contain("expired on"));
    }

    [Test]
    public void StackClient_OpensslServerForAnotherName_FailsNamingIt()
    {
        AuthenticationException refusal = Refusal(TestCertificates.Issue(_ca, "elsewhere.test"));
        Assert.That(refusal.Message, Does.Contain($"is for elsewhere.test, not for {ServerName}"));
    }

    [Test]
    public void StackClient_OpensslServerWithSelfSignedCertificate_FailsSayingUntrusted()
    {
        AuthenticationException refusal = Refusal(TestCertificates.Issue(ca: null, ServerName));
        Assert.That(refusal.Message, Does.Contain("not issued by a trusted CA"));
    }

    [TestCase("-tls1_3", false)]
    [TestCase("-tls1_2", true)]
    public async Task OpensslClient_AgainstStackServer_VerifiesTheCertificateAndGetsItsEcho(string protocolSwitch, bool rsa)
    {
        using var ns = NetworkNamespace.Create("openssl");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        using X509Certificate2 certificate = TestCertificates.Issue(_ca, ServerName, rsa: rsa);
        await using var server = new TlsEchoServer(device.Stack, StackPort, new TlsServerOptions(certificate), closeAfterFirstEcho: true);

        CommandResult client = ns.Exec(
            $"echo hello-over-tls | openssl s_client {protocolSwitch} -connect {StackAddress}:{StackPort} -servername {ServerName} "
            + $"-CAfile {_caPath} -verify_return_error -verify_hostname {ServerName} -ign_eof", TimeSpan.FromSeconds(20));

        Assert.That(client.StandardOutput, Does.Contain("hello-over-tls"), client.ToString());
        Assert.That(client.StandardOutput, Does.Contain("Verify return code: 0 (ok)"), client.ToString());
        Assert.That(server.LastServerName, Is.EqualTo(ServerName));
    }

    [Test]
    public async Task Bulk64MiB_StackToOpenssl_ArrivesWhole()
    {
        using var ns = NetworkNamespace.Create("openssl", "ss", "sha256sum");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        using X509Certificate2 certificate = TestCertificates.Issue(_ca, ServerName);
        string received = Path.Combine(_directory, $"{ns.Name}-received");
        // s_server ends a connection when its standard input ends, so it gets one that stays open.
        BackgroundCommand server = StartOpensslServer(ns, certificate, $"-quiet -naccept 1 > {received}", stdin: "sleep 120 |");
        byte[] data = RandomNumberGenerator.GetBytes(BulkOctets);

        var clock = Stopwatch.StartNew();
        await using (TlsStream tls = await ConnectAsync(device).WaitAsync(Bound))
        {
            for (int offset = 0; offset < data.Length; offset += 1 << 20)
                await tls.WriteAsync(data.AsMemory(offset, 1 << 20)).AsTask().WaitAsync(Bound);
            await tls.ShutdownAsync().WaitAsync(Bound);
        }
        Assert.That(StackOnTap.WaitFor(() => new FileInfo(received).Length >= BulkOctets, Bound), Is.True, $"s_server received {new FileInfo(received).Length} octets; {server.Output}");
        clock.Stop();

        Assert.That(new FileInfo(received).Length, Is.EqualTo(BulkOctets));
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(received))), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(data))));
        TestContext.Out.WriteLine($"64 MiB stack -> openssl through TLS 1.3: {BulkOctets / clock.Elapsed.TotalSeconds / 1e6:F1} MB/s");
        File.Delete(received);
    }

    [Test]
    public async Task Bulk64MiB_OpensslToStack_ArrivesWhole()
    {
        using var ns = NetworkNamespace.Create("openssl", "ss");
        using var device = new StackOnTap(ns, KernelSide, StackAddress);
        using X509Certificate2 certificate = TestCertificates.Issue(_ca, ServerName);
        byte[] data = RandomNumberGenerator.GetBytes(BulkOctets);
        string served = Path.Combine(_directory, "bulk");
        File.WriteAllBytes(served, data);
        // -WWW serves files of its working directory: GET /bulk answers a head and then the file.
        StartOpensslServer(ns, certificate, "-WWW", workingDirectory: _directory);

        var clock = Stopwatch.StartNew();
        byte[] response;
        await using (TlsStream tls = await ConnectAsync(device).WaitAsync(Bound))
        {
            await tls.WriteAsync("GET /bulk HTTP/1.0\r\n\r\n"u8.ToArray());
            response = await ReadToEndAsync(tls).WaitAsync(Bound);
        }
        clock.Stop();
        File.Delete(served);

        int bodyStart = response.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        Assert.That(response.Length - bodyStart, Is.EqualTo(BulkOctets));
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(response.AsSpan(bodyStart))), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(data))));
        TestContext.Out.WriteLine($"64 MiB openssl -> stack through TLS 1.3: {BulkOctets / clock.Elapsed.TotalSeconds / 1e6:F1} MB/s");
    }

    private AuthenticationException Refusal(X509Certificate2 certificate)
    {
        using (certificate)
        {
            using var ns = NetworkNamespace.Create("openssl", "ss");
            using var device = new StackOnTap(ns, KernelSide, StackAddress);
            StartOpensslServer(ns, certificate, "-www");
            return Assert.ThrowsAsync<AuthenticationException>(() => ConnectAsync(device).WaitAsync(Bound))!;
        }
    }

    private Task<TlsStream> ConnectAsync(StackOnTap device) =>
        TlsConnection.ConnectAsync(device.Stack, KernelSide.Address.ToString(), OpensslPort,
            new TlsClientOptions { TargetHostName = ServerName }.TrustCaFile(_caPath));

    /// <summary>Starts <c>openssl s_server</c> with <paramref name="certificate"/> and waits until it listens.</summary>
    private BackgroundCommand StartOpensslServer(NetworkNamespace ns, X509Certificate2 certificate, string switches, string stdin = "", string? workingDirectory = null)
    {
        (string certificatePath, string keyPath) = TestCertificates.WritePem(certificate, Path.Combine(_directory, $"{ns.Name}-server"));
        string cd = workingDirectory is null ? "" : $"cd {workingDirectory} && ";
        BackgroundCommand server = ns.Start($"{cd}{stdin} exec openssl s_server -accept {KernelSide.Address}:{OpensslPort} -cert {certificatePath} -key {keyPath} {switches}");
        ns.ExecChecked($"for i in $(seq 100); do ss -ltn | grep -q ':{OpensslPort} ' && exit 0; sleep 0.1; done; exit 1", TimeSpan.FromSeconds(15));
        return server;
    }

    private static async Task<byte[]> ReadToEndAsync(TlsStream tls)
    {
        using var all = new MemoryStream();
        byte[] buffer = new byte[65536];
        int n;
        while ((n = await tls.ReadAsync(buffer)) > 0)
            all.Write(buffer, 0, n);
        return all.ToArray();
    }
}
