using Microsoft.Extensions.Logging;
using Seqs.Dns;
using Seqs.Ntp;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device;

/// <summary>
/// <c>--ntp SERVER</c>: once the stack has an address, resolves the server (an address, or a name through the
/// stack's DNS servers) and keeps the clock synchronised with an <see cref="NtpClient"/>, logging each
/// synchronisation with its offset.
/// </summary>
internal sealed partial class NetworkTimeService(NetStack stack, string server, ILoggerFactory loggers, ILogger log)
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);

    private NtpClient? _client;
    private readonly TaskCompletionSource _synchronized = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The server as configured: an address or a name.</summary>
    public string Server => server;

    /// <summary>The last synchronisation; null before the first. Read from any thread.</summary>
    public NtpSample? LastSample => Volatile.Read(ref _client)?.LastSample;

    /// <summary>
    /// Network time: the stack's clock plus the offset NTP measured; the stack's clock until the first
    /// synchronisation. Read from any thread.
    /// </summary>
    public DateTimeOffset Now => Volatile.Read(ref _client)?.Clock.GetUtcNow() ?? stack.Loop.TimeProvider.GetUtcNow();

    public bool IsSynchronized => Volatile.Read(ref _client)?.Clock.IsSynchronized ?? false;

    /// <summary>
    /// Network time once synchronised, else null: the clock TLS judges certificates by
    /// (<c>TlsClientOptions.VerificationTime</c>) on a device whose own clock may say 1970. Read from any thread.
    /// </summary>
    public DateTimeOffset? SynchronizedNow => IsSynchronized ? Now : null;

    /// <summary>Completes at the first synchronisation.</summary>
    public Task WhenSynchronizedAsync(CancellationToken cancellationToken) => _synchronized.Task.WaitAsync(cancellationToken);

    /// <summary>Runs on the stack's loop until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => stack.Loop.InvokeAsync(() => ServeAsync(cancellationToken));

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await stack.WhenConfiguredAsync(cancellationToken);
            Ipv4Address address = await ResolveAsync(cancellationToken);
            using var client = new NtpClient(stack, address, logger: loggers.CreateLogger<NtpClient>());
            client.Synchronized += (_, sample) =>
            {
                Log.Synchronized(log, server, sample.Offset.TotalMilliseconds, sample.Delay.TotalMilliseconds, sample.Stratum);
                _synchronized.TrySetResult();
            };
            Volatile.Write(ref _client, client);
            client.Start();
            await Task.Delay(Timeout.InfiniteTimeSpan, stack.Loop.TimeProvider, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The server's address; a name is looked up again every 30 s until it resolves.</summary>
    private async Task<Ipv4Address> ResolveAsync(CancellationToken cancellationToken)
    {
        if (Ipv4Address.TryParse(server.AsSpan(), out Ipv4Address address))
            return address;
        var resolver = new DnsResolver(stack, logger: loggers.CreateLogger<DnsResolver>());
        while (true)
        {
            try
            {
                IReadOnlyList<Ipv4Address> addresses = await resolver.ResolveAsync(server, cancellationToken);
                if (addresses.Count > 0)
                    return addresses[0];
            }
            catch (DnsResolveException e)
            {
                Log.ResolveFailed(log, server, e.Message);
            }
            await Task.Delay(RetryInterval, stack.Loop.TimeProvider, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Time from {Server}: offset {OffsetMs:F1} ms, round trip {DelayMs:F1} ms, stratum {Stratum}")]
        public static partial void Synchronized(ILogger logger, string server, double offsetMs, double delayMs, byte stratum);

        [LoggerMessage(2, LogLevel.Warning, "Cannot resolve the NTP server {Server}: {Reason}; trying again in 30 s")]
        public static partial void ResolveFailed(ILogger logger, string server, string reason);
    }
}
