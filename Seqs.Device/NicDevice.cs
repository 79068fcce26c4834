using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Seqs.Device.Nics;
using Seqs.Diagnostics;
using Seqs.Hal;
using Seqs.Scheduling;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device;

/// <summary>
/// The device on a TAP interface, an ENC28J60 or a CYW43439 (real or emulated): its stack on a loop thread of its own in real
/// time, the <see cref="DeviceServices"/> on it, and as asked a pcap capture of every frame.
/// </summary>
internal sealed partial class NicDevice : IDevice
{
    private readonly DeviceOptions _options;
    private readonly ILogger _log;
    private readonly OpenedNic _nic;
    private readonly FileStream? _pcapFile;
    private readonly PcapWriter? _pcap;
    private static readonly TimeSpan ServicesStopTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan LoopStopTimeout = TimeSpan.FromSeconds(1);

    private readonly NetLoop _loop;
    private readonly DeviceServices _services;

    private NicDevice(DeviceOptions options, ILoggerFactory loggers, OpenedNic opened, FileStream? pcapFile)
    {
        _options = options;
        _log = loggers.CreateLogger("Seqs.Device");
        _nic = opened;
        _pcapFile = pcapFile;
        IEthernetNic nic = opened.Nic;
        if (pcapFile is not null)
        {
            _pcap = new PcapWriter(pcapFile);
            nic = new CapturingNic(opened.Nic, _pcap, TimeProvider.System);
        }
        // A NIC that can hold the loop's sleep (a TAP) wakes the loop itself, one thread switch instead of two.
        _loop = new NetLoop(TimeProvider.System) { SpinBeforeSleep = opened.SpinBeforeSleep, Sleeper = opened.Nic as ILoopSleeper };
        _services = new DeviceServices(new NetStack(_loop, nic, options.StackOptions(), loggers.CreateLogger<NetStack>()), opened, options, loggers);
    }

    public DeviceServices Services => _services;

    /// <exception cref="DeviceStartException">The NIC, the capture file or the lease file cannot be opened.</exception>
    public static NicDevice Open(DeviceOptions options, ILoggerFactory loggers)
    {
        OpenedNic opened = options.NicKind.Open(options, loggers);
        FileStream? pcapFile = null;
        try
        {
            if (options.PcapPath is string path)
                pcapFile = OpenCapture(path);
            return new NicDevice(options, loggers, opened, pcapFile);
        }
        catch
        {
            pcapFile?.Dispose();
            opened.Dispose();
            throw;
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var loopStop = new CancellationTokenSource();
        Task loopTask = _loop.Start(loopStop.Token);
        NetStack stack = _services.Stack;
        Log.Started(_log, _nic.Description, stack.MacAddress.ToString(), _options.Address?.ToString() ?? "with an address from DHCP", _options.HttpPort, DescribeServices(_options.Services, _options.ServicesBufferSize));
        Task serving = _services.RunAsync(cancellationToken);
        // A service that fails ends the run at once; a stop gives the services a bounded time, as the .NET host's
        // ShutdownTimeout does, so that Ctrl-C or systemd's stop always ends the process, saying what held it.
        await Task.WhenAny(serving, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        if (!await CompletesWithinAsync(serving, ServicesStopTimeout).ConfigureAwait(false))
            Log.StopTimedOut(_log, "the services", ServicesStopTimeout.TotalSeconds);
        // The services stop on the loop, so the loop stops last.
        await loopStop.CancelAsync().ConfigureAwait(false);
        if (!await CompletesWithinAsync(loopTask, LoopStopTimeout).ConfigureAwait(false))
            Log.StopTimedOut(_log, "the network loop", LoopStopTimeout.TotalSeconds);
        NetStackCounters c = stack.Counters;
        Log.Stopped(_log, c.FramesReceived, c.FramesTransmitted, c.Malformed, c.IcmpEchoRepliesSent, _services.UdpEchoes);
    }

    public void Dispose()
    {
        _services.Dispose();
        _loop.Dispose();
        _pcap?.Dispose();
        _pcapFile?.Dispose();
        _nic.Dispose();
    }

    private static FileStream OpenCapture(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeviceStartException($"cannot write the capture file {path}: {e.Message}", e);
        }
    }

    /// <summary>True when <paramref name="task"/> ends within <paramref name="timeout"/>; its exception, if any, is thrown.</summary>
    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan timeout)
    {
        if (await Task.WhenAny(task, Task.Delay(timeout)).ConfigureAwait(false) != task)
            return false;
        await task.ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The test services <c>--services</c> turned on, for the start line: ", echo (RFC 862) on UDP and TCP 7, …, with
    /// 256 KiB TCP buffers", or nothing.
    /// </summary>
    private static string DescribeServices(ClassicServices services, int bufferSize)
    {
        var text = new StringBuilder();
        if (services.HasFlag(ClassicServices.Echo))
            text.Append(", echo (RFC 862) on UDP and TCP 7");
        if (services.HasFlag(ClassicServices.Discard))
            text.Append(", discard (RFC 863) on UDP and TCP 9");
        if (services.HasFlag(ClassicServices.Chargen))
            text.Append(", chargen (RFC 864) on TCP 19");
        if (services.HasFlag(ClassicServices.Iperf))
            text.Append(", iperf 2 on TCP 5001");
        if (services != ClassicServices.None)
            text.Append(CultureInfo.InvariantCulture, $", with {bufferSize / 1024.0:0.#} KiB TCP buffers");
        return text.ToString();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Running on {Link} as {Mac} {Address}; the status page on HTTP {HttpPort}{Services}. Ctrl-C stops.")]
        public static partial void Started(ILogger logger, string link, string mac, string address, int httpPort, string services);

        [LoggerMessage(3, LogLevel.Warning, "Stopping: {Stage} did not stop within {Seconds} s of the stop request; going on without them")]
        public static partial void StopTimedOut(ILogger logger, string stage, double seconds);

        [LoggerMessage(2, LogLevel.Information, "Stopped: {Received} frames in, {Sent} out, {Malformed} malformed dropped, {EchoReplies} echo replies, {UdpEchoes} UDP echoes")]
        public static partial void Stopped(ILogger logger, long received, long sent, long malformed, long echoReplies, long udpEchoes);
    }
}
