using Seqs.Dns;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device.Diagnostics;

/// <summary><c>seqs-device resolve NAME</c>: the name's IPv4 addresses from the stack's DNS servers (A records, RFC 1035).</summary>
internal sealed class ResolveJob(string name) : IDiagnosticJob
{
    public async Task<int> RunAsync(NetStack stack, NetworkTimeService? time, TextWriter output, CancellationToken cancellationToken)
    {
        IReadOnlyList<Ipv4Address> addresses = await new DnsResolver(stack).ResolveAsync(name, cancellationToken).ConfigureAwait(true);
        string servers = string.Join(", ", stack.DnsServers);
        foreach (Ipv4Address address in addresses)
            await output.WriteLineAsync($"{name} has address {address} (from {servers})").ConfigureAwait(true);
        return addresses.Count > 0 ? 0 : 1;
    }
}
