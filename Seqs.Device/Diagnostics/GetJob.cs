using System.Text;
using Seqs.Http;
using Seqs.Stack;
using Seqs.Tls;
using Seqs.Wire;

namespace Seqs.Device.Diagnostics;

/// <summary>
/// <c>seqs-device get URL</c>: an HTTP GET with the stack's HTTP client, or over TLS for an https:// URL (the server's
/// certificate checked against the system store or <c>--ca-file</c>, at the network time when the device runs NTP, as
/// a device without a real-time clock must; <c>--insecure</c> skips the check, for tests); the status line goes to
/// <paramref name="errors"/>, the body to the output. Success is a 2xx status.
/// </summary>
internal sealed class GetJob(Uri url, TlsClientOptions? tls, TextWriter errors) : IDiagnosticJob
{
    private const string CaFileSwitch = "--ca-file", InsecureSwitch = "--insecure";

    /// <summary>How long an https:// GET waits for the first NTP answer before the handshake, which without one says why it cannot judge the certificate.</summary>
    public TimeSpan ClockPatience { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Takes <c>--ca-file FILE</c> and <c>--insecure</c> out of <paramref name="switches"/> (the rest are the device's);
    /// <paramref name="tls"/> is null for an http:// URL. Warns on <paramref name="errors"/> about <c>--insecure</c>.
    /// </summary>
    public static bool TryReadSwitches(Uri url, ref string[] switches, out TlsClientOptions? tls, TextWriter errors, out string error)
    {
        tls = null;
        error = "";
        var rest = new List<string>();
        string? caFile = null;
        bool insecure = false;
        for (int i = 0; i < switches.Length; i++)
        {
            if (switches[i] == InsecureSwitch)
                insecure = true;
            else if (switches[i] == CaFileSwitch && i + 1 < switches.Length)
                caFile = switches[++i];
            else if (switches[i].StartsWith(CaFileSwitch + "=", StringComparison.Ordinal))
                caFile = switches[i][(CaFileSwitch.Length + 1)..];
            else
                rest.Add(switches[i]);
        }
        switches = [.. rest];
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            error = caFile is not null || insecure ? $"{(insecure ? InsecureSwitch : CaFileSwitch)} is for https:// URLs; {url} is plain HTTP." : "";
            return error.Length == 0;
        }
        if (caFile is not null && insecure)
        {
            error = $"{CaFileSwitch} and {InsecureSwitch} contradict each other: give the CA to check the server against, or (for tests only) skip the check.";
            return false;
        }
        tls = new TlsClientOptions { SkipCertificateValidation = insecure };
        try
        {
            if (caFile is not null)
                tls.TrustCaFile(caFile);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            error = $"{CaFileSwitch}: {e.Message}";
            return false;
        }
        if (insecure)
            errors.WriteLine($"seqs: warning: {InsecureSwitch} accepts any certificate; the connection to {url.IdnHost} is encrypted but not authenticated, so use it for tests only.");
        return true;
    }

    public async Task<int> RunAsync(NetStack stack, NetworkTimeService? time, TextWriter output, CancellationToken cancellationToken)
    {
        Ipv4Address address = await HostAddress.ResolveAsync(stack, url.IdnHost, cancellationToken).ConfigureAwait(true);
        HttpUserAgentResponse response = tls is null
            ? await GetAsync(stack, address, cancellationToken).ConfigureAwait(true)
            : await GetOverTlsAsync(stack, address, tls, time, cancellationToken).ConfigureAwait(true);
        await errors.WriteLineAsync($"GET {url} ({address}): {response.StatusCode}, {response.Body.Length} bytes").ConfigureAwait(true);
        await output.WriteAsync(response.BodyText).ConfigureAwait(true);
        return response.IsSuccessStatusCode ? 0 : 1;
    }

    private async Task<HttpUserAgentResponse> GetAsync(NetStack stack, Ipv4Address address, CancellationToken cancellationToken)
    {
        using var client = new HttpUserAgent(stack);
        return await client.GetAsync(new Ipv4EndPoint(address, (ushort)url.Port), url.PathAndQuery, cancellationToken).ConfigureAwait(true);
    }

    private async Task<HttpUserAgentResponse> GetOverTlsAsync(NetStack stack, Ipv4Address address, TlsClientOptions options, NetworkTimeService? time, CancellationToken cancellationToken)
    {
        options.TargetHostName = url.IdnHost;
        if (time is not null)
        {
            options.VerificationTime = () => time.SynchronizedNow;
            await WaitForClockAsync(time, cancellationToken).ConfigureAwait(true);
        }
        await using TlsStream connection = await TlsConnection.ConnectAsync(stack, address.ToString(), url.Port, options, cancellationToken).ConfigureAwait(true);
        // RFC 9112 §3.2: Host carries the authority; one request, then the server closes (RFC 9112 §9.6).
        string authority = url.IsDefaultPort ? url.IdnHost : $"{url.IdnHost}:{url.Port}";
        await connection.WriteAsync(Encoding.ASCII.GetBytes($"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"), cancellationToken).ConfigureAwait(true);
        return await new HttpResponseReader(connection, new HttpUserAgentOptions()).ReadAsync(headRequest: false, cancellationToken).ConfigureAwait(true);
    }

    /// <summary>Waits up to <see cref="ClockPatience"/> for the first NTP answer; the handshake after it says whether there was one.</summary>
    private async Task WaitForClockAsync(NetworkTimeService time, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(ClockPatience);
        try
        {
            await time.WhenSynchronizedAsync(patience.Token).ConfigureAwait(true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}
