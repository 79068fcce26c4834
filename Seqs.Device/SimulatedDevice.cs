using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Device.Nics;
using Seqs.Dhcp;
using Seqs.Http;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device;

/// <summary>
/// The device with no hardware and no root: the NIC its kind opens on the simulated LAN
/// (<see cref="INicKind.OpenOnSimulatedLan"/>: the real ENC28J60 driver against the chip's emulator, or with
/// <c>--nic cyw43</c> the real CYW43439 driver against its emulator, booted and joined), the chip's wire (or air) on a
/// port of a virtual switch, and on another port a simulated router (a second stack) that serves DHCP, NTP, DNS
/// (<see cref="RouterName"/>) and a web page.
/// Virtual time follows the wall clock, driven on a thread of its own, so the network is live: the device leases
/// its address, synchronises its clock, and serves its pages, which <see cref="HostForwarder"/> makes reachable
/// from the host.
/// </summary>
internal sealed partial class SimulatedDevice : IDevice
{
    /// <summary>The router's name in the simulated network's DNS.</summary>
    public const string RouterName = "router.sim";

    public static readonly Ipv4Cidr RouterAddress = new(new Ipv4Address(192, 168, 50, 1), 24);
    private static readonly Ipv4Address PoolStart = new(192, 168, 50, 100);
    private static readonly Ipv4Address PoolEnd = new(192, 168, 50, 199);
    private static readonly MacAddress DefaultDeviceMac = MacAddress.Parse("02:53:45:51:53:02");
    private static readonly MacAddress RouterMac = MacAddress.Parse("02:53:45:51:53:01");

    /// <summary>A 10BASE-T cable with the delay of a short run through a switch.</summary>
    private static readonly LinkFaults Cable = new() { PropagationDelay = TimeSpan.FromMilliseconds(1), BitsPerSecond = 10_000_000 };

    /// <summary>How often the driving thread catches virtual time up with the wall clock.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private readonly ILogger _log;
    private readonly NetworkSimulation _simulation;
    private readonly OpenedNic _nic;
    private readonly DhcpServer _dhcpServer;
    private readonly SimulatedNtpServer _ntpServer;
    private readonly SimulatedDnsServer _dnsServer;
    private readonly HttpServer _webServer;
    private readonly DeviceServices _services;
    private readonly HostForwarder? _forwarder;
    private readonly int _httpPort;

    /// <exception cref="DeviceStartException">The forward address cannot be listened on, or the NIC did not start (the CYW43439 did not boot or join).</exception>
    public SimulatedDevice(DeviceOptions options, ILoggerFactory loggers)
    {
        _log = loggers.CreateLogger("Seqs.Device");
        _httpPort = options.HttpPort;
        _simulation = new NetworkSimulation();
        VirtualSwitch lan = _simulation.CreateSwitch(4);
        var cable = new VirtualNic(options.MacAddress ?? DefaultDeviceMac);
        var routerNic = new VirtualNic(RouterMac);
        lan.Connect(0, cable, Cable);
        lan.Connect(1, routerNic, Cable);
        try
        {
            _nic = options.NicKind.OpenOnSimulatedLan(cable, _simulation, options, loggers);
        }
        catch
        {
            _simulation.Dispose();
            throw;
        }

        Router = new NetStack(_simulation.CreateLoop(), routerNic);
        Router.Configure(RouterAddress);
        _dhcpServer = new DhcpServer(Router, new DhcpServerOptions
        {
            PoolStart = PoolStart,
            PoolEnd = PoolEnd,
            Router = RouterAddress.Address,
            DnsServers = [RouterAddress.Address],
        }, new MemoryLeaseStore(), NullLogger<DhcpServer>.Instance);
        // The router's clock is the host's, so the time the device synchronises to is the real time.
        _ntpServer = new SimulatedNtpServer(Router) { Offset = DateTimeOffset.UtcNow - _simulation.Clock.GetUtcNow(), RecordTransmits = false };

        _dnsServer = new SimulatedDnsServer(Router);
        _dnsServer.Hosts[RouterName] = [RouterAddress.Address];
        _webServer = new HttpServer(Router, new HttpRouter().MapGet("/", ServeRouterPageAsync), logger: NullLogger<HttpServer>.Instance);

        var stack = new NetStack(_simulation.CreateLoop(), _nic.Nic, options.StackOptions(), loggers.CreateLogger<NetStack>());
        _services = new DeviceServices(stack, _nic.DescribedAs($"{_nic.Description} on a simulated switch"), options.OnSimulatedNetwork(RouterAddress.Address), loggers);
        _forwarder = options.Forward is { } forward ? new HostForwarder(forward, Router, _log) : null;
    }

    /// <summary>The simulated router: DHCP and NTP server, and the host bridge's side of the forwarded connections.</summary>
    public NetStack Router { get; }

    public DeviceServices Services => _services;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var simulationStop = new CancellationTokenSource();
        Task simulation = DriveAsync(simulationStop.Token);
        Log.Started(_log, _nic.Description, _services.Stack.MacAddress.ToString(), RouterAddress.Address.ToString());
        Task router = Task.WhenAll(_dhcpServer.RunAsync(cancellationToken), _ntpServer.RunAsync(cancellationToken),
            _dnsServer.RunAsync(cancellationToken), _webServer.RunAsync(cancellationToken));
        Task announce = AnnounceAsync(cancellationToken);
        await _services.RunAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(router, announce).ConfigureAwait(false);
        await simulationStop.CancelAsync().ConfigureAwait(false);
        await simulation.ConfigureAwait(false);
        NetStackCounters c = _services.Stack.Counters;
        Log.Stopped(_log, c.FramesReceived, c.FramesTransmitted, c.Malformed, _services.Stack.Tcp.Counters.SegmentsReceived);
    }

    public void Dispose()
    {
        _forwarder?.Dispose();
        _services.Dispose();
        _webServer.Dispose();
        _dnsServer.Dispose();
        _ntpServer.Dispose();
        _dhcpServer.Dispose();
        _nic.Dispose();
        _simulation.Dispose();
    }

    /// <summary>The router's web page, for <c>seqs-device get http://router.sim/</c>.</summary>
    private static ValueTask ServeRouterPageAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        response.ContentType = "text/plain; charset=utf-8";
        response.Write("Hello from the simulated router.\n"u8);
        return default;
    }

    /// <summary>Once the device has its lease: the URL line, and the host bridge to its pages.</summary>
    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _services.Stack.WhenConfiguredAsync(cancellationToken).ConfigureAwait(false);
            Ipv4Address address = _services.Stack.Address!.Value.Address;
            if (_forwarder is null)
            {
                Log.Serving(_log, address.ToString(), _httpPort);
                return;
            }
            Log.Forwarding(_log, $"http://{_forwarder.LocalEndPoint}/", address.ToString(), _httpPort);
            await _forwarder.RunAsync(new Ipv4EndPoint(address, (ushort)_httpPort), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Keeps virtual time level with the wall clock on a thread of its own, which becomes every simulated loop's thread.</summary>
    private Task DriveAsync(CancellationToken cancellationToken)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var wall = Stopwatch.StartNew();
                TimeSpan start = _simulation.Now;
                while (!cancellationToken.IsCancellationRequested)
                {
                    TimeSpan behind = start + wall.Elapsed - _simulation.Now;
                    _simulation.RunFor(behind > TimeSpan.Zero ? behind : TimeSpan.Zero);
                    Thread.Sleep(Tick);
                }
                stopped.TrySetResult();
            }
            catch (Exception e)
            {
                stopped.TrySetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "Seqs simulated network",
        };
        thread.Start();
        return stopped.Task;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Simulated network: the device on {Nic} as {Mac}, a router at {Router} serving DHCP, NTP and DNS. For a real interface: --nic tap --tap-name NAME --dhcp. Ctrl-C stops.")]
        public static partial void Started(ILogger logger, string nic, string mac, string router);

        [LoggerMessage(2, LogLevel.Information, "Open {Url} for the device's page (forwarded to {Address}:{HttpPort} through the simulated network)")]
        public static partial void Forwarding(ILogger logger, string url, string address, int httpPort);

        [LoggerMessage(3, LogLevel.Information, "The device serves its page at {Address}:{HttpPort} inside the simulated network (no --forward)")]
        public static partial void Serving(ILogger logger, string address, int httpPort);

        [LoggerMessage(4, LogLevel.Information, "Stopped: {Received} frames in, {Sent} out, {Malformed} malformed dropped, {TcpSegments} TCP segments received")]
        public static partial void Stopped(ILogger logger, long received, long sent, long malformed, long tcpSegments);
    }
}
