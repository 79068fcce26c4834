using BenchmarkDotNet.Attributes;
using Seqs.Scheduling;
using Seqs.Services;
using Seqs.Simulation;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Benchmarks;

/// <summary>
/// Whole exchanges between two in-process stacks on a simulated cable (<see cref="SimulatedPair"/>): A's frame
/// goes out, B handles it and answers, A handles the answer. Each operation includes both loops' turns and the
/// simulator's bookkeeping, so it is an upper bound on the stack's own cost.
/// </summary>
[MemoryDiagnoser]
public class StackBenchmarks // not sealed: BenchmarkDotNet's generated runner derives from it
{
    private SimulatedPair _pair = null!;
    private UdpEchoServer _echo = null!;
    private UdpSocket _client = null!;
    private CancellationTokenSource _stop = null!;
    private byte[] _arpRequest = [];
    private byte[] _echoRequest = [];
    private byte[] _udpDatagram = [];
    private readonly byte[] _buffer = new byte[1500];
    private CrossoverNic _directNicA = null!;
    private NetStack _directA = null!;
    private NetStack _directB = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pair = new SimulatedPair();
        _stop = new CancellationTokenSource();
        _echo = new UdpEchoServer(_pair.B);
        _ = _echo.RunAsync(_stop.Token);
        _client = new UdpSocket(_pair.A);
        _client.Bind(5000);
        _arpRequest = PeerFrames.Arp(ArpOperation.Request, SimulatedPair.MacA, SimulatedPair.AddressA, MacAddress.Zero, SimulatedPair.AddressB);
        _echoRequest = PeerFrames.EchoRequest(SimulatedPair.MacA, SimulatedPair.MacB, SimulatedPair.AddressA, SimulatedPair.AddressB, 0x4242, 1, new byte[56]);
        _udpDatagram = PeerFrames.Udp(SimulatedPair.MacA, SimulatedPair.MacB, new Ipv4EndPoint(SimulatedPair.AddressA, 5000), new Ipv4EndPoint(SimulatedPair.AddressB, UdpEchoServer.DefaultPort), new byte[64]);
        _pair.SendFromA(_arpRequest);

        var direct = new CrossoverStacks();
        _directNicA = direct.NicA;
        _directA = direct.A;
        _directB = direct.B;
        ArpExchangeDirect();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Cancel();
        _client.Dispose();
        _echo.Dispose();
        _pair.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// The stack's own cost of an ARP exchange, on a <see cref="CrossoverNic"/> pair: A's request reaches B, B's turn
    /// answers it, A's turn takes the reply into its cache. No simulator in between.
    /// </summary>
    [Benchmark(Baseline = true)]
    public void ArpExchangeDirect()
    {
        _directNicA.TryTransmit(_arpRequest);
        _directB.Loop.RunOnce();
        _directA.Loop.RunOnce();
    }

    /// <summary>An ARP request from A, B's reply, A's cache update, through the network simulator.</summary>
    [Benchmark]
    public void ArpExchange() => _pair.SendFromA(_arpRequest);

    /// <summary>An ICMP echo request from A with 56 octets of data, B's reply.</summary>
    [Benchmark]
    public void IcmpEcho() => _pair.SendFromA(_echoRequest);

    /// <summary>A 64-byte UDP datagram from A to B's echo service, the echo back into A's socket.</summary>
    [Benchmark]
    public int UdpEcho()
    {
        _pair.SendFromA(_udpDatagram);
        _client.TryReceiveFrom(_buffer, out UdpReceiveResult result);
        return result.ReceivedBytes;
    }
}
