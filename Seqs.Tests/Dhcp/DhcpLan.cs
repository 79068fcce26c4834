using Seqs.Dhcp;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Dhcp;

/// <summary>
/// A simulated LAN for DHCP tests: a switch with a server stack (192.168.7.1/24, pool .100 to .109), a client
/// stack with a <see cref="DhcpClient"/>, and a third stack (the "other host") that tests configure to squat an
/// address or to be a second client. Only the client's cable carries <c>clientLink</c> faults.
/// </summary>
internal sealed class DhcpLan : IDisposable
{
    public static readonly Ipv4Address ServerAddress = new(192, 168, 7, 1);
    public static readonly Ipv4Address Router = new(192, 168, 7, 254);
    public static readonly Ipv4Address Dns = new(192, 168, 7, 53);
    public static readonly Ipv4Address PoolStart = new(192, 168, 7, 100);
    public static readonly Ipv4Address PoolEnd = new(192, 168, 7, 109);
    public static readonly MacAddress ServerMac = new(0x02_00_00_00_07_01);
    public static readonly MacAddress ClientMac = new(0x02_00_00_00_07_02);
    public static readonly MacAddress OtherMac = new(0x02_00_00_00_07_03);

    private readonly Action<DhcpServerOptions>? _configureServer;
    private CancellationTokenSource? _serverStop;

    public DhcpLan(LinkFaults? clientLink = null, Action<DhcpServerOptions>? configureServer = null,
        Action<DhcpClientOptions>? configureClient = null, ILeaseStore? store = null)
    {
        _configureServer = configureServer;
        Store = store ?? new MemoryLeaseStore();
        Simulation = new NetworkSimulation();
        Switch = Simulation.CreateSwitch(3);
        var serverNic = new VirtualNic(ServerMac);
        var clientNic = new VirtualNic(ClientMac);
        var otherNic = new VirtualNic(OtherMac);
        Switch.Connect(0, serverNic);
        Switch.Connect(1, clientNic, clientLink);
        Switch.Connect(2, otherNic);
        ServerStack = new NetStack(Simulation.CreateLoop(), serverNic, randomSeed: 11);
        ClientStack = new NetStack(Simulation.CreateLoop(), clientNic, randomSeed: 12);
        OtherStack = new NetStack(Simulation.CreateLoop(), otherNic, randomSeed: 13);
        ServerStack.Configure(new Ipv4Cidr(ServerAddress, 24), Router);
        var clientOptions = new DhcpClientOptions { RandomSeed = 7, HostName = "seqs-test" };
        configureClient?.Invoke(clientOptions);
        Client = new DhcpClient(ClientStack, clientOptions);
        StartServer();
        Simulation.RunFor(TimeSpan.Zero);
    }

    public NetworkSimulation Simulation { get; }

    public VirtualSwitch Switch { get; }

    public NetStack ServerStack { get; }

    public NetStack ClientStack { get; }

    public NetStack OtherStack { get; }

    public DhcpServer? Server { get; private set; }

    public DhcpClient Client { get; }

    public ILeaseStore Store { get; private set; }

    public static DhcpServerOptions ServerOptions(Action<DhcpServerOptions>? configure)
    {
        var options = new DhcpServerOptions
        {
            PoolStart = PoolStart,
            PoolEnd = PoolEnd,
            Router = Router,
            DnsServers = [Dns],
            DomainName = "lan.example",
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Starts a server on the server stack, reading its leases from <paramref name="store"/> (or the current store).</summary>
    public void StartServer(ILeaseStore? store = null)
    {
        Store = store ?? Store;
        Server = new DhcpServer(ServerStack, ServerOptions(_configureServer), Store);
        _serverStop = new CancellationTokenSource();
        _ = Server.RunAsync(_serverStop.Token);
        Simulation.RunFor(TimeSpan.Zero);
    }

    /// <summary>Stops the server as if its host went away: it answers nothing until started again.</summary>
    public void StopServer()
    {
        _serverStop?.Cancel();
        Server?.Dispose();
        Server = null;
        Simulation.RunFor(TimeSpan.Zero);
        _serverStop?.Dispose();
        _serverStop = null;
    }

    public bool RunUntilBound(TimeSpan timeout) => Simulation.RunUntil(() => Client.State == DhcpClientState.Bound, timeout);

    public DhcpLease ServerLeaseOf(MacAddress mac) => Server!.Leases.Single(l => l.HardwareAddress == mac && l.State != DhcpLeaseState.Declined);

    public void Dispose()
    {
        _serverStop?.Cancel();
        Server?.Dispose();
        _serverStop?.Dispose();
        Simulation.Dispose();
    }
}
