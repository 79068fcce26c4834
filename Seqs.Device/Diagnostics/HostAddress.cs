using Seqs.Dns;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device.Diagnostics;

/// <summary>A diagnostic's target: an IPv4 address as written, or a name looked up through the stack's DNS servers.</summary>
internal static class HostAddress
{
    /// <exception cref="DnsResolveException">The name does not resolve.</exception>
    public static async Task<Ipv4Address> ResolveAsync(NetStack stack, string host, CancellationToken cancellationToken)
    {
        if (Ipv4Address.TryParse(host.AsSpan(), out Ipv4Address address))
            return address;
        IReadOnlyList<Ipv4Address> addresses = await new DnsResolver(stack).ResolveAsync(host, cancellationToken).ConfigureAwait(true);
        return addresses[0];
    }
}
