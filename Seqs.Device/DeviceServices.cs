using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Seqs.Device.Mqtt;
using Seqs.Device.Nics;
using Seqs.Device.Tools;
using Seqs.Device.Web;
using Seqs.Dhcp;
using Seqs.Http;
using Seqs.Mdns;
using Seqs.Services;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Tls;
using Seqs.Wire;

namespace Seqs.Device;

/// <summary>
/// What the device serves on its stack, whatever the NIC: the web pages (also over HTTPS with <c>--https-port</c>,
/// plain HTTP then redirecting to it), and as configured a DHCP client for the address, a DHCP server for the subnet,
/// an mDNS name, NTP time, an MQTT client (<c>--mqtt-broker</c>) and the test services of <c>--services</c> (echo, RFC 862, on UDP and TCP 7; discard,
/// RFC 863, on 9; chargen, RFC 864, on TCP 19; an iperf 2 server on TCP 5001), each with a bound on its connections
/// and their idle time (and for the senders, their duration).
/// </summary>
internal sealed partial class DeviceServices : IDisposable
{
    private readonly NetStack _stack;
    private readonly ILogger _log;
    private readonly UdpEchoServer? _echo;
    // The test services --services turned on.
    private readonly List<NetService> _classic = [];
    private readonly DhcpServer? _dhcpServer;
    private readonly DhcpAddressing? _dhcp;
    private readonly MdnsResponder? _mdns;
    private readonly HttpServer _http;
    private readonly HttpServer? _https;
    private readonly DeviceOptions _options;
    // TLS for the HTTPS server's connections: from --tls-cert at once, or, self-signed, once the stack has its address.
    private Func<TcpConnection, CancellationToken, ValueTask<Stream>>? _tls;
    private readonly HttpsStatus? _httpsStatus;
    private readonly ILed _led;
    private readonly DeviceMetrics _metrics;
    private readonly MqttDeviceClient? _mqtt;

    /// <summary>
    /// How long a stop waits, with the loop still running, for the connections the services closed or reset to
    /// leave the stack, so that their FIN or RST reaches the peers before the process exits.
    /// </summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan CloseGracePoll = TimeSpan.FromMilliseconds(10);

    /// <summary>The device's name when <c>--hostname</c> gives none.</summary>
    public const string DefaultName = "seqs-device";

    /// <exception cref="DeviceStartException">The LED pin, the access token file or the DHCP server's lease file cannot be opened.</exception>
    public DeviceServices(NetStack stack, OpenedNic nic, DeviceOptions options, ILoggerFactory loggers)
    {
        _stack = stack;
        _log = loggers.CreateLogger("Seqs.Device");
        AccessToken token = AccessToken.Load(options.AccessToken, options.TokenPath, Console.Out, _log);
        // The LED of /api/led: the NIC's own (the CYW43439's), else that of --led-pin, or a simulated one.
        _led = nic.Led ?? (options.LedPin >= 0 ? GpioLed.Open(options.LedPin) : new SimulatedLed());
        if (options.Address is Ipv4Cidr address)
            stack.Configure(address, options.Gateway ?? default);
        _echo = StartClassicServices(stack, options.Services, BulkOptions(stack, options.ServicesBufferSize), _classic, _log);
        _dhcpServer = options.DhcpPoolStart is not null ? StartDhcpServer(stack, options, loggers, _log) : null;
        _dhcp = options.UseDhcp ? new DhcpAddressing(stack, options.HostName, options.ProbeLeasedAddress, loggers, _log) : null;
        _mdns = options.HostName is string name ? new MdnsResponder(stack, name, logger: loggers.CreateLogger<MdnsResponder>()) : null;
        Time = options.NtpServer is string ntp ? new NetworkTimeService(stack, ntp, loggers, _log) : null;
        _options = options;
        var router = new HttpRouter();
        var origin = new DeviceOrigin(stack, options.HostName, forwarded: options.Forward is not null);
        HttpRouter plainRouter = router;
        if (options.HttpsPort is int httpsPort)
        {
            _httpsStatus = new HttpsStatus { Port = httpsPort };
            if (options.TlsCertificatePath is string certificate)
                _tls = ServeWith(HttpsCertificate.Load(certificate, options.TlsKeyPath!, _log));
            _https = new HttpServer(stack, router, new HttpServerOptions { Port = (ushort)httpsPort, ConnectionStream = OpenTlsAsync }, loggers.CreateLogger<HttpServer>());
            plainRouter = new HttpRouter();
            _ = new HttpsRedirectSite(plainRouter, httpsPort, origin, options.PublicStatus);
        }
        _http = new HttpServer(stack, plainRouter, new HttpServerOptions { Port = (ushort)options.HttpPort }, loggers.CreateLogger<HttpServer>());
        DhcpAddressing? dhcp = _dhcp;
        Collector = new DeviceStatusCollector(stack, options.HostName ?? DefaultName, nic, (_https ?? _http).Counters, _led, Time, () => dhcp?.Lease);
        Collector.Status.Https = _httpsStatus;
        Collector.Stats.DhcpClient = _dhcp?.Counters;
        Collector.Stats.DhcpServer = _dhcpServer?.Counters;
        Collector.Stats.Mdns = _mdns?.Counters;
        Site = new StatusSite(router, Collector, _led, token, origin, options.PublicStatus, _log);
        _metrics = new DeviceMetrics(stack, _http.Counters, nic);
        _mqtt = options.Mqtt is MqttSettings mqtt ? StartMqtt(mqtt, nic, loggers) : null;
    }

    public NetStack Stack => _stack;

    /// <summary>The test services <c>--services</c> started (echo, discard, chargen, iperf), TCP and UDP.</summary>
    internal IReadOnlyList<NetService> TestServices => _classic;

    public StatusSite Site { get; }

    /// <summary>What the web interface reports.</summary>
    public DeviceStatusCollector Collector { get; }

    /// <summary>The NTP client's service; null without a time server.</summary>
    public NetworkTimeService? Time { get; }

    public long UdpEchoes => _echo?.Datagrams ?? 0;

    /// <summary>Connections a test service holds at most, so that they cannot fill the connection table between them.</summary>
    private const int EchoDiscardConnections = 16;

    private const int SenderConnections = 8;

    /// <summary>A test connection on which the client sent nothing for this long is reset.</summary>
    private static readonly TimeSpan ClassicIdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Chargen and iperf send for as long as the client reads; this long at most.</summary>
    private static readonly TimeSpan SenderMaxDuration = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The TCP options of the test services' connections: send and receive buffers of <paramref name="bufferSize"/>
    /// octets (<c>--services-buffer</c>) and the stack's congestion control; the SYN,ACK offers the window scale
    /// (RFC 7323 §2) that a receive buffer above 64 KiB needs, as the options do by default.
    /// </summary>
    private static TcpConnectionOptions BulkOptions(NetStack stack, int bufferSize) =>
        new() { SendBufferSize = bufferSize, ReceiveBufferSize = bufferSize, CongestionControl = stack.Tcp.DefaultOptions.CongestionControl };

    /// <summary>
    /// Makes the test services <paramref name="services"/> names into <paramref name="started"/>, each TCP one with
    /// <paramref name="tcp"/>; returns the UDP echo service, if on.
    /// </summary>
    private static UdpEchoServer? StartClassicServices(NetStack stack, ClassicServices services, TcpConnectionOptions tcp, List<NetService> started, ILogger log)
    {
        UdpEchoServer? echo = null;
        if (services.HasFlag(ClassicServices.Echo))
        {
            started.Add(echo = new UdpEchoServer(stack, logger: log));
            started.Add(new TcpEchoServer(stack, options: tcp, maxConnections: EchoDiscardConnections) { IdleTimeout = ClassicIdleTimeout });
        }
        if (services.HasFlag(ClassicServices.Discard))
        {
            started.Add(new UdpDiscardServer(stack));
            started.Add(new TcpDiscardServer(stack, options: tcp, maxConnections: EchoDiscardConnections) { IdleTimeout = ClassicIdleTimeout });
        }
        if (services.HasFlag(ClassicServices.Chargen))
            started.Add(new TcpChargenServer(stack, options: tcp, maxConnections: SenderConnections) { IdleTimeout = ClassicIdleTimeout, MaxDuration = SenderMaxDuration });
        if (services.HasFlag(ClassicServices.Iperf))
            started.Add(new IperfServer(stack, log, tcp, maxConnections: SenderConnections) { IdleTimeout = ClassicIdleTimeout, MaxDuration = SenderMaxDuration });
        return echo;
    }

    /// <summary>
    /// Serves until <paramref name="cancellationToken"/> is cancelled, then releases the DHCP lease. The stack's loop
    /// must be running.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Task services = Task.WhenAll([.. _classic.Select(service => service.RunAsync(cancellationToken)),
            _dhcpServer?.RunAsync(cancellationToken) ?? Task.CompletedTask,
            Time?.RunAsync(cancellationToken) ?? Task.CompletedTask,
            _http.RunAsync(cancellationToken),
            _https is null ? Task.CompletedTask : ServeHttpsAsync(_https, cancellationToken),
            _mdns is null ? Task.CompletedTask : AnnounceAsync(_mdns, cancellationToken),
            _mqtt is null ? Task.CompletedTask : RunMqttAsync(_mqtt, cancellationToken)]);
        _dhcp?.Start();
        await services.ConfigureAwait(false);
        if (_dhcp is not null)
            await _dhcp.StopAsync().ConfigureAwait(false);
        await WaitForConnectionsToCloseAsync().ConfigureAwait(false);
    }

    private async Task WaitForConnectionsToCloseAsync()
    {
        long deadline = Environment.TickCount64 + (long)CloseGrace.TotalMilliseconds;
        while (await _stack.Loop.InvokeAsync(() => Task.FromResult(_stack.Tcp.ConnectionCount)).ConfigureAwait(false) > 0 && Environment.TickCount64 < deadline)
            await Task.Delay(CloseGracePoll).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _mqtt?.Dispose();
        _http.Dispose();
        _https?.Dispose();
        _led.Dispose();
        _mdns?.Dispose();
        _dhcpServer?.Dispose();
        foreach (NetService service in _classic)
            service.Dispose();
    }

    /// <summary>
    /// <c>--https-port</c>: serves once TLS is ready; without <c>--tls-cert</c>, that is once the stack has its address,
    /// which the self-signed certificate made at first start names.
    /// </summary>
    private async Task ServeHttpsAsync(HttpServer https, CancellationToken cancellationToken)
    {
        if (_tls is null)
        {
            try
            {
                await _stack.WhenConfiguredAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            _tls = ServeWith(HttpsCertificate.LoadOrCreateSelfSigned(
                _options.StateDirectory, _options.HostName ?? DefaultName, _stack.Address?.Address, _stack.Loop.TimeProvider, _log));
        }
        await https.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>TLS for the HTTPS connections with <paramref name="certificate"/>, which the status page then shows.</summary>
    private Func<TcpConnection, CancellationToken, ValueTask<Stream>> ServeWith(X509Certificate2 certificate)
    {
        _httpsStatus!.CertificateFingerprint = HttpsCertificate.Fingerprint(certificate);
        _httpsStatus.CertificateNotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        return TlsConnection.ServerStream(new TlsServerOptions(certificate));
    }

    private ValueTask<Stream> OpenTlsAsync(TcpConnection connection, CancellationToken cancellationToken) => _tls!(connection, cancellationToken);

    /// <summary><c>--hostname</c>: claims NAME.local over mDNS (RFC 6762) once the stack has an address.</summary>
    private async Task AnnounceAsync(MdnsResponder mdns, CancellationToken cancellationToken)
    {
        try
        {
            await _stack.WhenConfiguredAsync(cancellationToken).ConfigureAwait(false);
            mdns.Start(cancellationToken);
            Log.MdnsStarted(_log, mdns.FullName);
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
        [LoggerMessage(3, LogLevel.Information, "DHCP server: pool {PoolStart}-{PoolEnd}, router and DNS {Router}, lease {LeaseSeconds} s, {Count} leases loaded from {LeaseFile}")]
        public static partial void DhcpServing(ILogger logger, string poolStart, string poolEnd, string router, long leaseSeconds, string leaseFile, int count);

        [LoggerMessage(4, LogLevel.Information, "mDNS: answering for {Name}")]
        public static partial void MdnsStarted(ILogger logger, string name);
    }
}
