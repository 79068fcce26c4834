using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Device;
using Seqs.Device.Diagnostics;
using Seqs.Http;
using Seqs.Simulation;
using Seqs.Tests.Tls;
using Seqs.Tls;

namespace Seqs.Tests.Device;

/// <summary>
/// <c>seqs-device get https://</c> judges the server's certificate at the device's network time when it runs NTP, as a
/// device without a real-time clock must: here the NTP server's clock is two years ahead of this machine's, and the
/// server's certificate is valid only then.
/// </summary>
[NonParallelizable]
public sealed class GetJobTests
{
    private const ushort HttpsPort = 8443;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan NetworkClockAhead = TimeSpan.FromDays(2 * 365 + 30);

    private X509Certificate2 _ca = null!;
    private X509Certificate2 _future = null!;

    [OneTimeSetUp]
    public void CreateCertificates()
    {
        _ca = TestCertificates.CreateCa();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        _future = TestCertificates.Issue(_ca, "server.test", SimulatedPair.AddressB.ToIPAddress(), notBefore: now.AddYears(2), notAfter: now.AddYears(3));
    }

    [OneTimeTearDown]
    public void DisposeCertificates()
    {
        _future.Dispose();
        _ca.Dispose();
    }

    [Test]
    public async Task WithNtp_TheCertificateIsJudgedAtNetworkTime_AndTheGetSucceeds()
    {
        using var stacks = new LoopedStacks();
        using var stop = new CancellationTokenSource();
        Task server = ServeAsync(stacks, ntpAnswers: true, stop.Token);
        (NetworkTimeService time, Task ntp) = StartNtp(stacks, stop.Token);
        var output = new StringWriter();

        int result = await Get(stacks, time, output);

        Assert.That(result, Is.Zero);
        Assert.That(output.ToString(), Is.EqualTo("from the future"));
        Assert.That(time.SynchronizedNow, Is.EqualTo(DateTimeOffset.UtcNow + NetworkClockAhead).Within(TimeSpan.FromMinutes(1)));
        await stop.CancelAsync();
        await Task.WhenAll(server, ntp).WaitAsync(Bound);
    }

    [Test]
    public async Task WithoutNtp_TheSystemClockJudges_AndRefusesTheCertificateAsNotYetValid()
    {
        using var stacks = new LoopedStacks();
        using var stop = new CancellationTokenSource();
        Task server = ServeAsync(stacks, ntpAnswers: true, stop.Token);

        AuthenticationException? refusal = Assert.ThrowsAsync<AuthenticationException>(() => Get(stacks, time: null, new StringWriter()));

        Assert.That(refusal!.Message, Does.Contain("is not valid before"));
        await stop.CancelAsync();
        await server.WaitAsync(Bound);
    }

    [Test]
    public async Task WithNtpUnanswered_TheGetWaitsItsPatience_ThenSaysTheClockIsNotSynchronised()
    {
        using var stacks = new LoopedStacks();
        using var stop = new CancellationTokenSource();
        Task server = ServeAsync(stacks, ntpAnswers: false, stop.Token);
        (NetworkTimeService time, Task ntp) = StartNtp(stacks, stop.Token);

        AuthenticationException? refusal = Assert.ThrowsAsync<AuthenticationException>(() => Get(stacks, time, new StringWriter(), TimeSpan.FromMilliseconds(200)));

        Assert.That(refusal!.Message, Does.Contain("has not been synchronised"));
        await stop.CancelAsync();
        await Task.WhenAll(server, ntp).WaitAsync(Bound);
    }

    /// <summary>A's NTP client of B, as <c>--ntp</c> runs it.</summary>
    private static (NetworkTimeService Time, Task Running) StartNtp(LoopedStacks stacks, CancellationToken cancellationToken)
    {
        var time = new NetworkTimeService(stacks.A, SimulatedPair.AddressB.ToString(), NullLoggerFactory.Instance, NullLogger.Instance);
        return (time, time.RunAsync(cancellationToken));
    }

    private Task<int> Get(LoopedStacks stacks, NetworkTimeService? time, StringWriter output, TimeSpan? clockPatience = null)
    {
        var job = new GetJob(new Uri($"https://{SimulatedPair.AddressB}:{HttpsPort}/"), new TlsClientOptions { TrustedRoots = [_ca] }, TextWriter.Null)
        {
            ClockPatience = clockPatience ?? Bound,
        };
        return stacks.Loop.InvokeAsync(() => job.RunAsync(stacks.A, time, output, CancellationToken.None)).WaitAsync(Bound);
    }

    /// <summary>B: HTTPS with the certificate of the future, and an NTP server whose clock is there (or silent).</summary>
    private Task ServeAsync(LoopedStacks stacks, bool ntpAnswers, CancellationToken cancellationToken)
    {
        var router = new HttpRouter().MapGet("/", (_, response, _) =>
        {
            response.ContentType = "text/plain";
            response.Write("from the future"u8);
            return default;
        });
        var https = new HttpServer(stacks.B, router, new HttpServerOptions { Port = HttpsPort, ConnectionStream = TlsConnection.ServerStream(new TlsServerOptions(_future)) }, NullLogger<HttpServer>.Instance);
        if (!ntpAnswers)
            return https.RunAsync(cancellationToken);
        var ntp = new SimulatedNtpServer(stacks.B) { Offset = NetworkClockAhead };
        return Task.WhenAll(https.RunAsync(cancellationToken), ntp.RunAsync(cancellationToken));
    }
}
