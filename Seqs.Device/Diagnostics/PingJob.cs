using System.Globalization;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device.Diagnostics;

/// <summary><c>seqs-device ping HOST</c>: four ICMP echo requests a second apart; success when any is answered.</summary>
internal sealed class PingJob(string host) : IDiagnosticJob
{
    private const int Count = 4;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<int> RunAsync(NetStack stack, NetworkTimeService? time, TextWriter output, CancellationToken cancellationToken)
    {
        Ipv4Address address = await HostAddress.ResolveAsync(stack, host, cancellationToken).ConfigureAwait(true);
        await output.WriteLineAsync($"PING {host} ({address}) {NetStack.DefaultPingDataLength} bytes of data from {stack.Address}").ConfigureAwait(true);
        int received = 0;
        for (int sequence = 1; sequence <= Count; sequence++)
        {
            PingReply reply = await stack.PingAsync(address, Timeout, cancellationToken: cancellationToken).ConfigureAwait(true);
            if (reply.Status == PingStatus.Success)
            {
                received++;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{reply.DataLength} bytes from {reply.Address}: seq={sequence} time={reply.RoundTripTime.TotalMilliseconds:F2} ms")).ConfigureAwait(true);
            }
            else
            {
                await output.WriteLineAsync($"no reply from {address}: seq={sequence} {reply.Status}").ConfigureAwait(true);
            }
            if (sequence < Count)
                await Task.Delay(Interval, stack.Loop.TimeProvider, cancellationToken).ConfigureAwait(true);
        }
        await output.WriteLineAsync($"{Count} packets transmitted, {received} received").ConfigureAwait(true);
        return received > 0 ? 0 : 1;
    }
}
