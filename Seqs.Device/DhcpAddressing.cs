using Microsoft.Extensions.Logging;
using Seqs.Dhcp;
using Seqs.Diagnostics;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Device;

/// <summary>
/// <c>--dhcp</c>: a <see cref="DhcpClient"/> that gives the stack its address and keeps it renewed, with one console
/// line for each lease, renewal and release. A loss is the client's own warning line; the device filters the client's
/// other lines (see Program.cs) so that nothing is said twice.
/// </summary>
internal sealed partial class DhcpAddressing
{
    /// <summary>
    /// RFC 2131 §4.4.1 asks for a random wait of 1 to 10 s before the first DISCOVER, to spread a building's worth of
    /// clients powering on at once. A device started by hand or by its service manager is one client, so it waits
    /// at most 1 s; the RFC 5227 address probe that follows is kept in full.
    /// </summary>
    private static readonly TimeSpan MaxStartDelay = TimeSpan.FromSeconds(1);

    /// <summary>How long a DHCPRELEASE may wait for the server's MAC (ARP) before the loop stops.</summary>
    private static readonly TimeSpan ReleaseArpGrace = TimeSpan.FromMilliseconds(300);

    private readonly NetStack _stack;
    private readonly DhcpClient _client;
    private readonly ILogger _log;

    /// <param name="probe">False to use a leased address without the RFC 5227 probe (see <see cref="DeviceOptions.ProbeLeasedAddress"/>).</param>
    public DhcpAddressing(NetStack stack, string? hostName, bool probe, ILoggerFactory loggers, ILogger log)
    {
        _stack = stack;
        _log = log;
        var options = new DhcpClientOptions { HostName = hostName, MinStartDelay = TimeSpan.Zero, MaxStartDelay = MaxStartDelay };
        if (!probe)
            options.ProbeCount = 0;
        _client = new DhcpClient(stack, options, loggers.CreateLogger<DhcpClient>());
        _client.Bound += OnBound;
        _client.Renewed += OnRenewed;
    }

    /// <summary>The lease held now; null before the first and after a loss. Read on the loop.</summary>
    public DhcpClientLease? Lease => _client.Lease;

    public DhcpClientCounters Counters => _client.Counters;

    public void Start() => _client.Start();

    /// <summary>Releases the lease (RFC 2131 §4.4.6) and frees the client, giving the DHCPRELEASE time to leave.</summary>
    public async Task StopAsync()
    {
        bool serverKnown = await _stack.Loop.InvokeAsync(async () =>
        {
            DhcpClientLease? lease = _client.Lease;
            bool known = lease is not { } held || _stack.TryGetNeighbor(held.ServerIdentifier, out _);
            bool releasing = lease is not null && _client.State is DhcpClientState.Bound or DhcpClientState.Renewing or DhcpClientState.Rebinding;
            await _client.StopAsync().ConfigureAwait(true);
            _client.Dispose();
            if (releasing)
                Log.Released(_log, lease!.Value.Address.ToString(), lease.Value.ServerIdentifier.ToString());
            return known;
        }).ConfigureAwait(false);
        // The RELEASE is unicast to the server; when its MAC is not cached the frame waits on ARP in the stack.
        if (!serverKnown)
            await Task.Delay(ReleaseArpGrace).ConfigureAwait(false);
    }

    private void OnBound(object? sender, EventArgs e)
    {
        if (_client.Lease is not { } lease)
            return;
        string dns = lease.DnsServers.Count == 0 ? "none" : string.Join(", ", lease.DnsServers);
        Log.Bound(_log, lease.Address.ToString(), lease.ServerIdentifier.ToString(), Describe(lease.Router), dns, lease.DomainName is { } domain ? PeerText.Escape(domain) : "none",
            (long)lease.LeaseTime.TotalSeconds, (long)lease.RenewalTime.TotalSeconds);
    }

    private void OnRenewed(object? sender, EventArgs e)
    {
        if (_client.Lease is { } lease)
            Log.Renewed(_log, lease.Address.ToString(), lease.ServerIdentifier.ToString(), (long)lease.LeaseTime.TotalSeconds, (long)lease.RenewalTime.TotalSeconds);
    }

    private static string Describe(Ipv4Address router) => router.IsUnspecified ? "none" : router.ToString();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "DHCP lease {Address} from {Server}: router {Router}, DNS {Dns}, domain {Domain}, lease {LeaseSeconds} s, renewal in {RenewalSeconds} s")]
        public static partial void Bound(ILogger logger, string address, string server, string router, string dns, string domain, long leaseSeconds, long renewalSeconds);

        [LoggerMessage(2, LogLevel.Information, "DHCP lease {Address} renewed by {Server}: lease {LeaseSeconds} s, next renewal in {RenewalSeconds} s")]
        public static partial void Renewed(ILogger logger, string address, string server, long leaseSeconds, long renewalSeconds);

        [LoggerMessage(3, LogLevel.Information, "DHCP lease {Address} released to {Server}")]
        public static partial void Released(ILogger logger, string address, string server);
    }
}
