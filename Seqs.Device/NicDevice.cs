using Microsoft.Extensions.Logging;
using Seqs.Dhcp;
using Seqs.Diagnostics;
using Seqs.Hal;
using Seqs.Http;
using Seqs.Mdns;
using Seqs.Scheduling;
using Seqs.Services;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device;

/// <summary>
/// The device on a TAP interface or an ENC28J60 (real or emulated): the stack, ARP and ping, the UDP and TCP echo,
/// discard and chargen services, and, as asked, a DHCP client for the address or a DHCP server for the subnet.
/// </summary>
internal static partial class NicDevice
{
    public static async Task<int> RunAsync(DeviceOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ILogger log = loggers.CreateLogger("Seqs.Device");
        using DeviceLink link = DeviceLink.Open(options, loggers);
        FileStream? pcapFile = null;
        PcapWriter? pcap = null;
        IEthernetNic nic = link.Nic;
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
            nic = new CapturingNic(link.Nic, pcap, TimeProvider.System);
        }
        try
        {
            using var loop = new NetLoop(TimeProvider.System);
            var stack = new NetStack(loop, nic, logger: loggers.CreateLogger<NetStack>());
            if (options.Address is Ipv4Cidr address)
                stack.Configure(address, options.Gateway ?? default);
            using var echo = new UdpEchoServer(stack);
            using var discard = new UdpDiscardServer(stack);
            using var tcpEcho = new TcpEchoServer(stack);
            using var tcpDiscard = new TcpDiscardServer(stack);
            using var tcpChargen = new TcpChargenServer(stack);
            using DhcpServer? dhcpServer = options.DhcpPoolStart is not null ? StartDhcpServer(stack, options, loggers, log) : null;
            DhcpAddressing? dhcp = options.UseDhcp ? new DhcpAddressing(stack, options.HostName, loggers, log) : null;
            using MdnsResponder? mdns = options.HostName is string name ? new MdnsResponder(stack, name, logger: loggers.CreateLogger<MdnsResponder>()) : null;
            NetworkTimeService? time = options.NtpServer is string ntp ? new NetworkTimeService(stack, ntp, loggers, log) : null;
            var site = new StatusSite(stack);
            using var http = new HttpServer(stack, site.Router, new HttpServerOptions { Port = (ushort)options.HttpPort }, loggers.CreateLogger<HttpServer>());
            using var loopStop = new CancellationTokenSource();
            Task loopTask = loop.Start(loopStop.Token);
            Task services = Task.WhenAll(echo.RunAsync(cancellationToken), discard.RunAsync(cancellationToken),
                tcpEcho.RunAsync(cancellationToken), tcpDiscard.RunAsync(cancellationToken), tcpChargen.RunAsync(cancellationToken),
                dhcpServer?.RunAsync(cancellationToken) ?? Task.CompletedTask,
                time?.RunAsync(cancellationToken) ?? Task.CompletedTask,
                http.RunAsync(cancellationToken),
                mdns is null ? Task.CompletedTask : AnnounceAsync(stack, mdns, log, cancellationToken));
            Log.Started(log, link.Description, stack.MacAddress.ToString(), options.Address?.ToString() ?? "with an address from DHCP", options.HttpPort);
            dhcp?.Start();
            await services.ConfigureAwait(false);
            if (dhcp is not null)
                await dhcp.StopAsync().ConfigureAwait(false);
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
        return 0;
    }

    /// <summary><c>--hostname</c>: claims NAME.local over mDNS (RFC 6762) once the stack has an address.</summary>
    private static async Task AnnounceAsync(NetStack stack, MdnsResponder mdns, ILogger log, CancellationToken cancellationToken)
    {
        try
        {
            await stack.WhenConfiguredAsync(cancellationToken).ConfigureAwait(false);
            mdns.Start(cancellationToken);
            Log.MdnsStarted(log, mdns.FullName);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// <c>--dhcp-server</c>: the pool on the device's subnet, the device (or <c>--gateway</c>) as router and DNS
    /// server, leases kept in <see cref="DeviceOptions.DhcpLeasesPath"/> across restarts.
    /// </summary>
    private static DhcpServer StartDhcpServer(NetStack stack, DeviceOptions options, ILoggerFactory loggers, ILogger log)
    {
        Ipv4Address router = options.Gateway ?? options.Address!.Value.Address;
        string leases = Path.GetFullPath(options.DhcpLeasesPath!);
        var settings = new DhcpServerOptions
        {
            PoolStart = options.DhcpPoolStart!.Value,
            PoolEnd = options.DhcpPoolEnd!.Value,
            Router = router,
            DnsServers = [router],
        };
        DhcpServer server;
        try
        {
            server = new DhcpServer(stack, settings, new FileLeaseStore(leases), loggers.CreateLogger<DhcpServer>());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeviceStartException($"cannot read the DHCP lease file {leases}: {e.Message}; fix its permissions or give another with --dhcp-leases FILE.", e);
        }
        Log.DhcpServing(log, settings.PoolStart.ToString(), settings.PoolEnd.ToString(), router.ToString(), (long)settings.LeaseTime.TotalSeconds, leases, server.Leases.Count);
        return server;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Running on {Link} as {Mac} {Address}; echo (RFC 862) on UDP and TCP 7, discard (RFC 863) on 9, chargen (RFC 864) on TCP 19, the status page on HTTP {HttpPort}. Ctrl-C stops.")]
        public static partial void Started(ILogger logger, string link, string mac, string address, int httpPort);

        [LoggerMessage(2, LogLevel.Information, "Stopped: {Received} frames in, {Sent} out, {Malformed} malformed dropped, {EchoReplies} echo replies, {UdpEchoes} UDP echoes")]
        public static partial void Stopped(ILogger logger, long received, long sent, long malformed, long echoReplies, long udpEchoes);

        [LoggerMessage(4, LogLevel.Information, "mDNS: answering for {Name}")]
        public static partial void MdnsStarted(ILogger logger, string name);

        [LoggerMessage(3, LogLevel.Information, "DHCP server: pool {PoolStart}-{PoolEnd}, router and DNS {Router}, lease {LeaseSeconds} s, {Count} leases loaded from {LeaseFile}")]
        public static partial void DhcpServing(ILogger logger, string poolStart, string poolEnd, string router, long leaseSeconds, string leaseFile, int count);
    }
}
