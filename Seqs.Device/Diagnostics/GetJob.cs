using Seqs.Http;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device.Diagnostics;

/// <summary>
/// <c>seqs-device get URL</c>: an HTTP GET with the stack's HTTP client; the status line goes to
/// <paramref name="errors"/>, the body to the output. Success is a 2xx status.
/// </summary>
internal sealed class GetJob(Uri url, TextWriter errors) : IDiagnosticJob
{
    public async Task<int> RunAsync(NetStack stack, TextWriter output, CancellationToken cancellationToken)
    {
        Ipv4Address address = await HostAddress.ResolveAsync(stack, url.IdnHost, cancellationToken).ConfigureAwait(true);
        using var client = new HttpUserAgent(stack);
        HttpUserAgentResponse response = await client.GetAsync(new Ipv4EndPoint(address, (ushort)url.Port), url.PathAndQuery, cancellationToken).ConfigureAwait(true);
        await errors.WriteLineAsync($"GET {url} ({address}): {response.StatusCode}, {response.Body.Length} bytes").ConfigureAwait(true);
        await output.WriteAsync(response.BodyText).ConfigureAwait(true);
        return response.IsSuccessStatusCode ? 0 : 1;
    }
}
