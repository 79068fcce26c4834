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
        _services = new DeviceServices(new NetStack(_loop, nic, logger: loggers.CreateLogger<NetStack>()), opened, options, loggers);
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
        Log.Started(_log, _nic.Description, stack.MacAddress.ToString(), _options.Address?.ToString() ?? "with an address from DHCP", _options.HttpPort);
        await _services.RunAsync(cancellationToken).ConfigureAwait(false);
        // The services stop on the loop, so the loop stops last.
        await loopStop.CancelAsync().ConfigureAwait(false);
        await loopTask.ConfigureAwait(false);
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

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Running on {Link} as {Mac} {Address}; echo (RFC 862) on UDP and TCP 7, discard (RFC 863) on 9, chargen (RFC 864) on TCP 19, the status page on HTTP {HttpPort}, iperf 2 on TCP 5001. Ctrl-C stops.")]
        public static partial void Started(ILogger logger, string link, string mac, string address, int httpPort);

        [LoggerMessage(2, LogLevel.Information, "Stopped: {Received} frames in, {Sent} out, {Malformed} malformed dropped, {EchoReplies} echo replies, {UdpEchoes} UDP echoes")]
        public static partial void Stopped(ILogger logger, long received, long sent, long malformed, long echoReplies, long udpEchoes);
    }
}
