using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Seqs.Dns;
using Seqs.Ntp;
using Seqs.Stack;
using Seqs.Tls;

namespace Seqs.Device.Diagnostics;

/// <summary>
/// <c>seqs-device COMMAND TARGET [switches]</c>: one job through the userspace stack on the NIC the switches pick
/// (the simulated network by default), then exit: 0 when it worked, 1 when it did not, 2 for a bad command line.
/// </summary>
internal static class DiagnosticCommand
{
    /// <summary>How long the stack may take to get its address (DHCP, with its RFC 5227 probe, takes seconds).</summary>
    private static readonly TimeSpan AddressPatience = TimeSpan.FromSeconds(30);

    /// <summary>How long the job itself may take.</summary>
    private static readonly TimeSpan JobPatience = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string> Usage = new(StringComparer.Ordinal)
    {
        ["ping"] = "ping HOST, such as seqs-device ping 192.168.1.1",
        ["resolve"] = "resolve NAME, such as seqs-device resolve example.com",
        ["get"] = "get URL [--ca-file FILE] [--insecure], such as seqs-device get https://example.com/",
        ["ntp"] = "ntp SERVER, such as seqs-device ntp pool.ntp.org",
        ["mqtt-bench"] = "mqtt-bench BROKER[:PORT] [--count N], such as seqs-device mqtt-bench 10.0.0.1 --count 20000",
    };

    public static bool IsCommand(string argument) => Usage.ContainsKey(argument);

    /// <summary>
    /// Reads <c>COMMAND TARGET</c> from the front of <paramref name="args"/>; <paramref name="switches"/> is the
    /// rest. On false, <paramref name="error"/> is one line that says what to fix.
    /// </summary>
    public static bool TryCreate(string[] args, TextWriter errors, out IDiagnosticJob job, out string[] switches, out string error)
    {
        job = null!;
        switches = args.Length > 2 ? args[2..] : [];
        error = "";
        string command = args[0];
        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            error = $"{command} needs a target: {Usage[command]}.";
            return false;
        }
        string target = args[1];
        if (command == "get")
        {
            if (!Uri.TryCreate(target, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                error = $"get '{target}' is not an http:// or https:// URL; give one such as https://example.com/.";
                return false;
            }
            if (!GetJob.TryReadSwitches(url, ref switches, out TlsClientOptions? tls, errors, out error))
                return false;
            job = new GetJob(url, tls, errors);
            return true;
        }
        if (command == "mqtt-bench")
        {
            bool created = MqttBenchJob.TryCreate(target, ref switches, out MqttBenchJob bench, out error);
            job = bench;
            return created;
        }
        job = command switch
        {
            "ping" => new PingJob(target),
            "resolve" => new ResolveJob(target),
            _ => new NtpJob(target),
        };
        return true;
    }

    /// <summary>Opens the device, waits for its address, runs <paramref name="job"/> on its loop, and stops the device.</summary>
    public static async Task<int> RunAsync(IDiagnosticJob job, DeviceOptions options, ILoggerFactory loggers, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        IDevice device;
        try
        {
            device = DeviceFactory.Open(options.ForDiagnostic(), loggers);
        }
        catch (DeviceStartException e)
        {
            await errors.WriteLineAsync($"seqs: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        using (device)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task running = device.RunAsync(stop.Token);
            int result = await RunJobAsync(job, device.Services.Stack, device.Services.Time, output, errors, cancellationToken).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await running.ConfigureAwait(false);
            return result;
        }
    }

    private static async Task<int> RunJobAsync(IDiagnosticJob job, NetStack stack, NetworkTimeService? time, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        using var addressWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        addressWait.CancelAfter(AddressPatience);
        try
        {
            await stack.WhenConfiguredAsync(addressWait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await errors.WriteLineAsync($"seqs: the stack got no address within {AddressPatience.TotalSeconds} s; check the link and the DHCP server, or give --ip.").ConfigureAwait(false);
            return 1;
        }
        using var jobWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        jobWait.CancelAfter(JobPatience);
        try
        {
            return await stack.Loop.InvokeAsync(() => job.RunAsync(stack, time, output, jobWait.Token)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DnsResolveException or NtpSynchronizationException or SocketException or IOException or TimeoutException or AuthenticationException)
        {
            await errors.WriteLineAsync($"seqs: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await errors.WriteLineAsync($"seqs: no answer within {JobPatience.TotalSeconds} s.").ConfigureAwait(false);
            return 1;
        }
    }
}
