using System.Globalization;
using Seqs.Ntp;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device.Diagnostics;

/// <summary><c>seqs-device ntp SERVER</c>: one synchronisation with an SNTP server (RFC 4330), its offset and the time it gives.</summary>
internal sealed class NtpJob(string server) : IDiagnosticJob
{
    public async Task<int> RunAsync(NetStack stack, NetworkTimeService? time, TextWriter output, CancellationToken cancellationToken)
    {
        Ipv4Address address = await HostAddress.ResolveAsync(stack, server, cancellationToken).ConfigureAwait(true);
        using var client = new NtpClient(stack, address);
        NtpSample sample = await client.SynchronizeAsync(cancellationToken).ConfigureAwait(true);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{server} ({address}): stratum {sample.Stratum}, offset {sample.Offset.TotalMilliseconds:F3} ms, round trip {sample.Delay.TotalMilliseconds:F3} ms; time {client.Clock.GetUtcNow():yyyy-MM-dd HH:mm:ss.fff} UTC")).ConfigureAwait(true);
        return 0;
    }
}
