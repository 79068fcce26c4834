using Microsoft.Extensions.Logging;
using Seqs.Device.HostNics;
using Seqs.Diagnostics;
using Seqs.Hal;
using Seqs.Scheduling;
using Seqs.Services;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device;

/// <summary>The device on a Linux TAP interface: the stack, ARP and ping, and the UDP echo and discard services.</summary>
internal static partial class TapDevice
{
    public static async Task<int> RunAsync(DeviceOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ILogger log = loggers.CreateLogger("Seqs.Device");
        if (options.Address is not Ipv4Cidr address)
            throw new DeviceStartException("--nic tap needs --ip A.B.C.D/N (for example --ip 10.0.0.2/24); DHCP is not available yet.");
        TapNic tap;
        try
        {
            tap = TapNic.Open(options.TapName!, options.MacAddress);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or InvalidOperationException)
        {
            throw new DeviceStartException(e.Message, e);
        }
        using (tap)
        {
            FileStream? pcapFile = null;
            PcapWriter? pcap = null;
            IEthernetNic nic = tap;
            if (options.PcapPath is string path)
            {
                try
                {
                    pcapFile = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new DeviceStartException($"cannot write the capture file {path}: {e.Message}", e);
                }
                pcap = new PcapWriter(pcapFile);
                nic = new CapturingNic(tap, pcap, TimeProvider.System);
            }
            try
            {
                using var loop = new NetLoop(TimeProvider.System);
                var stack = new NetStack(loop, nic, logger: loggers.CreateLogger<NetStack>());
                stack.Configure(address, options.Gateway ?? default);
                using var echo = new UdpEchoServer(stack);
                using var discard = new UdpDiscardServer(stack);
                using var tcpEcho = new TcpEchoServer(stack);
                using var tcpDiscard = new TcpDiscardServer(stack);
                using var tcpChargen = new TcpChargenServer(stack);
                using var loopStop = new CancellationTokenSource();
                Task loopTask = loop.Start(loopStop.Token);
                Task services = Task.WhenAll(echo.RunAsync(cancellationToken), discard.RunAsync(cancellationToken),
                    tcpEcho.RunAsync(cancellationToken), tcpDiscard.RunAsync(cancellationToken), tcpChargen.RunAsync(cancellationToken));
                Log.Started(log, tap.Name, stack.MacAddress.ToString(), address.ToString());
                await services.ConfigureAwait(false);
                // The services stop on the loop, so the loop stops last.
                await loopStop.CancelAsync().ConfigureAwait(false);
                await loopTask.ConfigureAwait(false);
                NetStackCounters c = stack.Counters;
                Log.Stopped(log, c.FramesReceived, c.FramesTransmitted, c.Malformed, c.IcmpEchoRepliesSent, echo.Datagrams);
            }
            finally
            {
                pcap?.Dispose();
                pcapFile?.Dispose();
            }
        }
        return 0;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Running on TAP {Tap} as {Mac} {Address}; echo (RFC 862) on UDP and TCP 7, discard (RFC 863) on 9, chargen (RFC 864) on TCP 19. Ctrl-C stops.")]
        public static partial void Started(ILogger logger, string tap, string mac, string address);

        [LoggerMessage(2, LogLevel.Information, "Stopped: {Received} frames in, {Sent} out, {Malformed} malformed dropped, {EchoReplies} echo replies, {UdpEchoes} UDP echoes")]
        public static partial void Stopped(ILogger logger, long received, long sent, long malformed, long echoReplies, long udpEchoes);
    }
}
