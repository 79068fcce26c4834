using Seqs.Dhcp;
using Seqs.Http;
using Seqs.Mdns;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Fuzz;

/// <summary>
/// The device under fuzzing and its one neighbour, in virtual time. The device (stack B) leased its address from the
/// neighbour's DHCP server and is mid-lease, answers mDNS as "seqs", serves HTTP on port 80 and holds an
/// established connection on port 9000 with data in flight both ways: the neighbour has sent more than the device
/// has read, and the device has more queued than the neighbour's window lets out. Targets put frames on the cable
/// as if the neighbour sent them (the neighbour's stack sees the device's answers too) and jump the clock.
/// </summary>
internal sealed class FuzzLan : IDisposable
{
    public const ushort HttpPort = 80;
    public const ushort DataPort = 9000;
    public const int DataInFlight = 24 * 1024;
    public static readonly Ipv4Address NeighbourAddress = new(10, 0, 0, 1);
    public static readonly MacAddress NeighbourMac = new(0x02_00_00_00_00_01);
    public static readonly MacAddress DeviceMac = new(0x02_00_00_00_00_02);
    public static readonly NetStackOptions DeviceOptions = new() { MaxTcpConnections = 8, MaxTcpTimeWaits = 8, ArpCacheSize = 8 };
    public static readonly HttpServerOptions HttpOptions = new() { Port = HttpPort, MaxConnections = 4 };
    public static readonly TcpConnectionOptions ConnectionOptions = new() { SendBufferSize = 8 * 1024, ReceiveBufferSize = 8 * 1024 };

    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _readBuffer = new byte[4096];

    public FuzzLan()
    {
        Simulation = new NetworkSimulation();
        NeighbourNic = new VirtualNic(NeighbourMac);
        DeviceNic = new VirtualNic(DeviceMac);
        Simulation.Connect(NeighbourNic, DeviceNic, new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1) });
        Neighbour = new NetStack(Simulation.CreateLoop(), NeighbourNic, logger: Failures.For<NetStack>(), randomSeed: 1);
        Device = new NetStack(Simulation.CreateLoop(), DeviceNic, DeviceOptions, Failures.For<NetStack>(), randomSeed: 2);
        Neighbour.Configure(new Ipv4Cidr(NeighbourAddress, 24), NeighbourAddress, [NeighbourAddress]);
        DhcpServer = new DhcpServer(Neighbour, new DhcpServerOptions
        {
            PoolStart = new Ipv4Address(10, 0, 0, 100),
            PoolEnd = new Ipv4Address(10, 0, 0, 103),
            Router = NeighbourAddress,
            DnsServers = [NeighbourAddress],
            LeaseTime = TimeSpan.FromMinutes(10),
        }, logger: Failures.For<DhcpServer>());
        _ = DhcpServer.RunAsync(_stop.Token);
        DhcpClient = new DhcpClient(Device, new DhcpClientOptions { RandomSeed = 3, HostName = "seqs", ProbeCount = 1 }, Failures.For<DhcpClient>());
        Mdns = new MdnsResponder(Device, "seqs", new Random(4));
        HttpServer = new HttpServer(Device, new HttpRouter().MapGet("/", static (_, response, _) =>
        {
            response.Write("hello");
            return ValueTask.CompletedTask;
        }), HttpOptions, Failures.For<HttpServer>());
        _ = HttpServer.RunAsync(_stop.Token);
        Listener = new TcpListener(Device.Tcp, DataPort, ConnectionOptions, backlog: 2);
        _ = Device.Loop.InvokeAsync(() =>
        {
            Listener.Start();
            DhcpClient.Start();
            return Task.CompletedTask;
        });
        Settle();
        Simulation.RunUntil(() => DhcpClient.State == DhcpClientState.Bound, TimeSpan.FromMinutes(1));
        InvariantViolation.Check(Device.Address is { } leased, "the device leased an address while setting up");
        DeviceAddress = Device.Address!.Value.Address;
        _ = Device.Loop.InvokeAsync(() =>
        {
            Mdns.Start(_stop.Token);
            return Task.CompletedTask;
        });
        OpenDataConnection();
        // Probing and announcing end; the data still flows (neither side reads).
        Simulation.RunFor(TimeSpan.FromSeconds(3));
    }

    /// <summary>Failures the stacks and services caught and logged; each one is a bug.</summary>
    public SwallowedFailures Failures { get; } = new();

    public NetworkSimulation Simulation { get; }

    public VirtualNic NeighbourNic { get; }

    public VirtualNic DeviceNic { get; }

    public NetStack Neighbour { get; }

    public NetStack Device { get; }

    public Ipv4Address DeviceAddress { get; }

    public DhcpServer DhcpServer { get; }

    public DhcpClient DhcpClient { get; }

    public MdnsResponder Mdns { get; }

    public HttpServer HttpServer { get; }

    public TcpListener Listener { get; }

    /// <summary>The device's end of the established connection; null until accepted.</summary>
    public TcpConnection? DeviceEnd { get; private set; }

    /// <summary>The neighbour's end of the established connection.</summary>
    public TcpConnection? NeighbourEnd { get; private set; }

    /// <summary>
    /// Puts a frame on the cable from the neighbour's port, then settles the instant. A frame longer than Ethernet
    /// carries (a long datagram the script built) goes cut at the NIC's maximum, as a truncated packet.
    /// </summary>
    public void Inject(ReadOnlySpan<byte> frame)
    {
        NeighbourNic.TryTransmit(frame[..Math.Min(frame.Length, NeighbourNic.MaxFrameSize)]);
        Settle();
    }

    public void Settle() => Simulation.RunFor(TimeSpan.Zero);

    /// <summary>Puts a frame on the cable from the device's port (to the neighbour's DHCP server, say), cut as <see cref="Inject"/> cuts, then settles the instant.</summary>
    public void InjectFromDevice(ReadOnlySpan<byte> frame)
    {
        DeviceNic.TryTransmit(frame[..Math.Min(frame.Length, DeviceNic.MaxFrameSize)]);
        Settle();
    }

    /// <summary>Jumps the clock by a script's choice: 1 ms to about 4.5 hours, in units that reach every timer.</summary>
    public void Jump(ref FuzzInput script)
    {
        int unit = script.TakeByte() % 4;
        ushort count = script.TakeUInt16();
        Simulation.RunFor(TimeSpan.FromMilliseconds((count * (unit switch { 0 => 1, 1 => 16, 2 => 256, _ => 16384 }) / 64.0) + 1));
    }

    /// <summary>The device's application reads what has arrived (up to one buffer).</summary>
    public void DeviceReads()
    {
        ReadSome(Device, DeviceEnd);
    }

    /// <summary>The neighbour's application reads what has arrived (up to one buffer).</summary>
    public void NeighbourReads()
    {
        ReadSome(Neighbour, NeighbourEnd);
    }

    public void DeviceCloses()
    {
        DeviceEnd?.ShutdownSend();
        Settle();
    }

    public void DeviceAborts()
    {
        DeviceEnd?.Abort();
        Settle();
    }

    public void Dispose()
    {
        _stop.Cancel();
        HttpServer.Dispose();
        DhcpServer.Dispose();
        Listener.Dispose();
        Simulation.Dispose();
        _stop.Dispose();
    }

    /// <summary>Reads what has arrived, if anything has: a read never waits, so reads never pile up.</summary>
    private void ReadSome(NetStack stack, TcpConnection? connection)
    {
        if (connection?.Tcb is { Readable: > 0 })
            _ = stack.Loop.InvokeAsync(async () => await connection.ReadAsync(_readBuffer));
        Settle();
    }

    private void OpenDataConnection()
    {
        byte[] data = new byte[DataInFlight];
        _ = Device.Loop.InvokeAsync(async () =>
        {
            TcpConnection accepted = await Listener.AcceptAsync();
            DeviceEnd = accepted;
            try
            {
                await accepted.WriteAsync(data);
            }
            catch (IOException)
            {
                // The fuzzer reset the connection: writing ends, the rest of the device goes on.
            }
        });
        _ = Neighbour.Loop.InvokeAsync(async () =>
        {
            TcpConnection connection = await Neighbour.Tcp.ConnectAsync(new Ipv4EndPoint(DeviceAddress, DataPort), ConnectionOptions);
            NeighbourEnd = connection;
            try
            {
                await connection.WriteAsync(data);
            }
            catch (IOException)
            {
                // As above, from the neighbour's side.
            }
        });
        Simulation.RunUntil(() => DeviceEnd is not null && NeighbourEnd is not null, TimeSpan.FromSeconds(5));
        InvariantViolation.Check(DeviceEnd is not null, "the data connection was established while setting up");
    }
}
