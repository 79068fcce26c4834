using BenchmarkDotNet.Attributes;
using Seqs.Dhcp;
using Seqs.Dns;
using Seqs.Ntp;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Benchmarks;

/// <summary>
/// The services' steady state between two simulated stacks: a DHCP lease renewal (client and server), a cached
/// DNS lookup, and an NTP poll (four exchanges, the lowest-delay sample kept). Each operation includes the
/// simulator's work and the virtual time it skips.
/// </summary>
[MemoryDiagnoser]
public class ServicesBenchmarks // not sealed: BenchmarkDotNet's generated runner derives from it
{
    private static readonly SendOrPostCallback s_lookup = static s =>
    {
        var self = (ServicesBenchmarks)s!;
        ValueTask<IReadOnlyList<Ipv4Address>> lookup = self._resolver.ResolveAsync("device.example");
        self._answered = lookup.IsCompletedSuccessfully ? lookup.Result.Count : -1;
    };

    private readonly CancellationTokenSource _stop = new();
    private SimulatedPair _dhcpPair = null!;
    private DhcpClient _dhcpClient = null!;
    private Func<bool> _renewed = null!;
    private long _renewalTarget;
    private SimulatedPair _dnsPair = null!;
    private DnsResolver _resolver = null!;
    private int _answered;
    private SimulatedPair _ntpPair = null!;
    private NtpClient _ntpClient = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dhcpPair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1) });
        _dhcpPair.LoopA.Post(_ => _dhcpPair.A.Deconfigure(), null);
        var server = new DhcpServer(_dhcpPair.B, new DhcpServerOptions
        {
            PoolStart = new Ipv4Address(10, 0, 0, 100),
            PoolEnd = new Ipv4Address(10, 0, 0, 120),
            LeaseTime = TimeSpan.FromMinutes(10),
        });
        _ = server.RunAsync(_stop.Token);
        _dhcpClient = new DhcpClient(_dhcpPair.A, new DhcpClientOptions { MinStartDelay = TimeSpan.Zero, MaxStartDelay = TimeSpan.Zero });
        _dhcpPair.LoopA.Post(_ => _dhcpClient.Start(), null);
        _dhcpPair.Simulation.RunUntil(() => _dhcpClient.State == DhcpClientState.Bound, TimeSpan.FromMinutes(1));
        _renewed = () => _dhcpClient.Counters.Renewals >= _renewalTarget;

        _dnsPair = new SimulatedPair();
        var dns = new SimulatedDnsServer(_dnsPair.B);
        dns.Hosts["device.example"] = [new Ipv4Address(192, 0, 2, 7)];
        _ = dns.RunAsync(_stop.Token);
        _resolver = new DnsResolver(_dnsPair.A, new DnsResolverOptions { Servers = [SimulatedPair.AddressB] });
        Task<IReadOnlyList<Ipv4Address>> first = _dnsPair.LoopA.InvokeAsync(() => _resolver.ResolveAsync("device.example").AsTask());
        _dnsPair.Simulation.RunUntil(() => first.IsCompleted, TimeSpan.FromSeconds(5));

        _ntpPair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1) });
        var ntp = new SimulatedNtpServer(_ntpPair.B) { Offset = TimeSpan.FromSeconds(1), RecordTransmits = false };
        _ = ntp.RunAsync(_stop.Token);
        _ntpClient = new NtpClient(_ntpPair.A, SimulatedPair.AddressB);
        _ntpPair.LoopA.Post(_ => _ntpClient.Start(), null);
        _ntpPair.Simulation.RunFor(_ntpClient.PollInterval * 2);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Cancel();
        _dhcpPair.Dispose();
        _dnsPair.Dispose();
        _ntpPair.Dispose();
        _stop.Dispose();
    }

    /// <summary>Runs until the client has renewed once more: virtual time skips to T1, REQUEST and ACK cross.</summary>
    [Benchmark]
    public void DhcpRenewal()
    {
        _renewalTarget = _dhcpClient.Counters.Renewals + 1;
        _dhcpPair.Simulation.RunUntil(_renewed, TimeSpan.FromHours(1));
    }

    [Benchmark]
    public int CachedDnsLookup()
    {
        _dnsPair.LoopA.Post(s_lookup, this);
        _dnsPair.Simulation.RunFor(TimeSpan.Zero);
        return _answered;
    }

    /// <summary>One poll interval of virtual time: four request/reply exchanges with the server.</summary>
    [Benchmark]
    public void NtpPoll() => _ntpPair.Simulation.RunFor(_ntpClient.PollInterval);
}
