using System.Diagnostics;
using Seqs.Dhcp;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Dhcp;

/// <summary>Client and server in virtual time on a simulated LAN: every lease transition of RFC 2131 §4.4.</summary>
public sealed class DhcpSimulationTests
{
    private static readonly TimeSpan OneMinute = TimeSpan.FromMinutes(1);

    [Test]
    public void Client_GetsALeaseFromThePool_AndConfiguresTheStack()
    {
        using var lan = new DhcpLan();
        int bound = 0;
        lan.Client.Bound += (_, _) => bound++;

        lan.Client.Start();
        Assert.That(lan.RunUntilBound(OneMinute), Is.True);

        DhcpClientLease lease = lan.Client.Lease!.Value;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(bound, Is.EqualTo(1));
            Assert.That(lan.ClientStack.Address, Is.EqualTo(new Ipv4Cidr(DhcpLan.PoolStart, 24)));
            Assert.That(lan.ClientStack.Gateway, Is.EqualTo(DhcpLan.Router));
            Assert.That(lan.ClientStack.DnsServers, Is.EqualTo(new[] { DhcpLan.Dns }));
            Assert.That(lease.DomainName, Is.EqualTo("lan.example"));
            Assert.That(lease.ServerIdentifier, Is.EqualTo(DhcpLan.ServerAddress));
            Assert.That(lease.LeaseTime, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(lease.RenewalTime, Is.EqualTo(TimeSpan.FromMinutes(30)));
            Assert.That(lease.RebindingTime, Is.EqualTo(TimeSpan.FromMinutes(52.5)));
            Assert.That(lan.ServerLeaseOf(DhcpLan.ClientMac).State, Is.EqualTo(DhcpLeaseState.Bound));
            Assert.That(lan.ServerLeaseOf(DhcpLan.ClientMac).Address, Is.EqualTo(DhcpLan.PoolStart));
            Assert.That(lan.Client.Counters.Malformed + lan.Server!.Counters.Malformed, Is.Zero);
        }
    }

    [Test]
    public void Client_RenewsByUnicastAtT1_AndTheServerExtendsTheLease()
    {
        using var lan = new DhcpLan();
        lan.Client.Start();
        lan.RunUntilBound(OneMinute);
        TimeSpan renewAt = lan.Client.Lease!.Value.RenewAt;
        DateTimeOffset firstExpiry = lan.ServerLeaseOf(DhcpLan.ClientMac).ExpiresAt;
        var renewedAt = new List<TimeSpan>();
        lan.Client.Renewed += (_, _) => renewedAt.Add(lan.Simulation.Now);

        lan.Simulation.RunFor(renewAt - lan.Simulation.Now + TimeSpan.FromSeconds(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(renewedAt, Has.Count.EqualTo(1));
            Assert.That(renewedAt[0] - renewAt, Is.LessThan(TimeSpan.FromMilliseconds(10)));
            Assert.That(lan.Client.State, Is.EqualTo(DhcpClientState.Bound));
            Assert.That(lan.ServerLeaseOf(DhcpLan.ClientMac).ExpiresAt - firstExpiry, Is.EqualTo(TimeSpan.FromMinutes(30)).Within(TimeSpan.FromSeconds(1)));
            Assert.That(lan.Server!.Counters.Discovers, Is.EqualTo(1));
        }
    }

    [Test]
    public void AWholeDayOnALossyLink_KeepsTheLease_InWellUnderASecond()
    {
        var faults = new LinkFaults { Seed = 5, LossProbability = 0.1 };
        using var lan = new DhcpLan(faults, server => server.LeaseTime = TimeSpan.FromMinutes(10));
        int lost = 0;
        lan.Client.Lost += (_, _) => lost++;
        lan.Client.Start();
        Assert.That(lan.RunUntilBound(TimeSpan.FromMinutes(5)), Is.True);

        var watch = Stopwatch.StartNew();
        lan.Simulation.RunFor(TimeSpan.FromDays(1));
        watch.Stop();

        TestContext.Out.WriteLine($"24 h of 10-minute leases at 10% loss: {watch.ElapsedMilliseconds} ms, {lan.Client.Counters.Renewals} renewals, {lan.Client.Counters.MessagesSent} messages sent");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lost, Is.Zero);
            Assert.That(lan.Client.Counters.Renewals, Is.GreaterThanOrEqualTo(24 * 12 - 4));
            Assert.That(lan.ClientStack.Address?.Address, Is.EqualTo(DhcpLan.PoolStart));
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
        }
    }

    [Test]
    public void ServerGoneAtT1_ClientRebindsAtT2_WithTheRestartedServer()
    {
        using var lan = new DhcpLan();
        lan.Client.Start();
        lan.RunUntilBound(OneMinute);
        DhcpClientLease lease = lan.Client.Lease!.Value;
        lan.StopServer();

        lan.Simulation.RunFor(lease.RenewAt - lan.Simulation.Now + TimeSpan.FromSeconds(1));
        Assert.That(lan.Client.State, Is.EqualTo(DhcpClientState.Renewing));
        lan.Simulation.RunFor(lease.RebindAt - lan.Simulation.Now + TimeSpan.FromSeconds(1));
        Assert.That(lan.Client.State, Is.EqualTo(DhcpClientState.Rebinding));

        lan.StartServer();
        Assert.That(lan.Simulation.RunUntil(() => lan.Client.State == DhcpClientState.Bound, lease.ExpiresAt - lan.Simulation.Now), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lan.Client.Lease!.Value.Address, Is.EqualTo(lease.Address));
            Assert.That(lan.Client.Counters.Renewals, Is.EqualTo(1));
            Assert.That(lan.Client.Counters.LeasesLost, Is.Zero);
            Assert.That(lan.Server!.Counters.Discovers, Is.Zero);
        }
    }

    [Test]
    public void ServerGoneForGood_LeaseExpires_AddressIsRemoved_AndTheClientStartsOver()
    {
        using var lan = new DhcpLan();
        lan.Client.Start();
        lan.RunUntilBound(OneMinute);
        DhcpClientLease lease = lan.Client.Lease!.Value;
        TimeSpan? lostAt = null;
        lan.Client.Lost += (_, _) => lostAt = lan.Simulation.Now;
        lan.StopServer();

        lan.Simulation.RunFor(lease.ExpiresAt - lan.Simulation.Now + TimeSpan.FromSeconds(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lostAt, Is.EqualTo(lease.ExpiresAt));
            Assert.That(lan.ClientStack.Address, Is.Null);
            Assert.That(lan.Client.Lease, Is.Null);
            Assert.That(lan.Client.State, Is.EqualTo(DhcpClientState.Selecting));
        }
    }

    [Test]
    public void RememberedAddressOnAnotherNetwork_IsRefusedWithNak_AndTheClientGetsANewLease()
    {
        using var lan = new DhcpLan(configureClient: c => c.RememberedAddress = new Ipv4Address(10, 9, 9, 9));
        lan.Client.Start();

        Assert.That(lan.RunUntilBound(OneMinute), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lan.Client.Counters.Naks, Is.EqualTo(1));
            Assert.That(lan.Server!.Counters.Naks, Is.EqualTo(1));
            Assert.That(lan.ClientStack.Address?.Address, Is.EqualTo(DhcpLan.PoolStart));
        }
    }

    [Test]
    public void RememberedAddressTheServerKnows_IsConfirmedWithoutDiscover()
    {
        var store = new MemoryLeaseStore();
        using (var first = new DhcpLan(store: store))
        {
            first.Client.Start();
            first.RunUntilBound(OneMinute);
        }
        using var lan = new DhcpLan(configureClient: c => c.RememberedAddress = DhcpLan.PoolStart, store: store);
        lan.Client.Start();

        Assert.That(lan.RunUntilBound(OneMinute), Is.True);
        Assert.That(lan.Server!.Counters.Discovers, Is.Zero);
        Assert.That(lan.ClientStack.Address?.Address, Is.EqualTo(DhcpLan.PoolStart));
    }

    [Test]
    public void AddressInUse_IsFoundByTheClientsProbe_Declined_AndAnotherIsLeased()
    {
        using var lan = new DhcpLan(configureServer: s => s.ConflictProbeWait = TimeSpan.Zero);
        lan.OtherStack.Configure(new Ipv4Cidr(DhcpLan.PoolStart, 24));
        lan.Client.Start();

        Assert.That(lan.RunUntilBound(TimeSpan.FromMinutes(2)), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lan.Client.Counters.Declines, Is.EqualTo(1));
            Assert.That(lan.Server!.Counters.Declines, Is.EqualTo(1));
            Assert.That(lan.ClientStack.Address?.Address, Is.EqualTo(new Ipv4Address(192, 168, 7, 101)));
            Assert.That(lan.Server.Leases.Single(l => l.Address == DhcpLan.PoolStart).State, Is.EqualTo(DhcpLeaseState.Declined));
        }
    }

    [Test]
    public void AddressInUse_IsFoundByTheServersProbe_AndNeverOffered()
    {
        using var lan = new DhcpLan();
        lan.OtherStack.Configure(new Ipv4Cidr(DhcpLan.PoolStart, 24));
        lan.Client.Start();

        Assert.That(lan.RunUntilBound(TimeSpan.FromMinutes(2)), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lan.Server!.Counters.Conflicts, Is.EqualTo(1));
            Assert.That(lan.Client.Counters.Declines, Is.Zero);
            Assert.That(lan.ClientStack.Address?.Address, Is.EqualTo(new Ipv4Address(192, 168, 7, 101)));
        }
    }

    [Test]
    public void ServerRestartWithTheFileStore_KeepsTheLease_AndTheRenewalIsAcknowledged()
    {
        string path = Path.Combine(Path.GetTempPath(), $"seqs-dhcp-{Guid.NewGuid():N}.leases");
        try
        {
            using var lan = new DhcpLan(store: new FileLeaseStore(path));
            lan.Client.Start();
            lan.RunUntilBound(OneMinute);
            DhcpClientLease lease = lan.Client.Lease!.Value;
            lan.StopServer();
            lan.StartServer(new FileLeaseStore(path));

            lan.Simulation.RunFor(lease.RenewAt - lan.Simulation.Now + TimeSpan.FromSeconds(1));
            Assert.That(lan.Server!.LeaseWriter.Writing.Wait(TimeSpan.FromSeconds(30)), Is.True);

            string[] lines = File.ReadAllLines(path).Where(l => !l.StartsWith('#')).ToArray();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(lan.Client.Counters.Renewals, Is.EqualTo(1));
                Assert.That(lan.Client.Counters.Naks, Is.Zero);
                Assert.That(lan.ServerLeaseOf(DhcpLan.ClientMac).Address, Is.EqualTo(lease.Address.Address));
                Assert.That(lines, Has.Length.EqualTo(1));
                Assert.That(lines[0], Does.StartWith("192.168.7.100 02:00:00:00:07:02 01020000000702 Bound "));
                Assert.That(File.Exists(path + ".tmp"), Is.False);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void FullPool_GetsNoOffer_AndNeverADuplicateAddress()
    {
        using var lan = new DhcpLan(configureServer: s => s.PoolEnd = s.PoolStart);
        lan.Client.Start();
        lan.RunUntilBound(OneMinute);
        using var second = new DhcpClient(lan.OtherStack, new DhcpClientOptions { RandomSeed = 9 });
        second.Start();

        lan.Simulation.RunFor(TimeSpan.FromMinutes(2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.State, Is.EqualTo(DhcpClientState.Selecting));
            Assert.That(lan.OtherStack.Address, Is.Null);
            Assert.That(lan.Server!.Counters.PoolExhausted, Is.GreaterThanOrEqualTo(2));
            Assert.That(lan.Server.Counters.Offers, Is.EqualTo(1));
        }
    }

    [Test]
    public void ReservedMac_GetsItsReservedAddress()
    {
        var reserved = new Ipv4Address(192, 168, 7, 20);
        using var lan = new DhcpLan(configureServer: s => s.Reservations[DhcpLan.ClientMac] = reserved);
        lan.Client.Start();

        Assert.That(lan.RunUntilBound(OneMinute), Is.True);
        Assert.That(lan.ClientStack.Address?.Address, Is.EqualTo(reserved));
    }

    [Test]
    public void StopAsync_ReleasesTheLease_AndRemovesTheAddress()
    {
        using var lan = new DhcpLan();
        lan.Client.Start();
        lan.RunUntilBound(OneMinute);

        Task stop = lan.Client.StopAsync();
        lan.Simulation.RunFor(TimeSpan.FromSeconds(1));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stop.IsCompletedSuccessfully, Is.True);
            Assert.That(lan.Client.State, Is.EqualTo(DhcpClientState.Stopped));
            Assert.That(lan.ClientStack.Address, Is.Null);
            Assert.That(lan.Server!.Counters.Releases, Is.EqualTo(1));
            Assert.That(lan.ServerLeaseOf(DhcpLan.ClientMac).State, Is.EqualTo(DhcpLeaseState.Released));
        }
    }

    [Test]
    public void ExpiredLeaseOfAGoneClient_IsGivenToTheNextClient()
    {
        using var lan = new DhcpLan(configureServer: s =>
        {
            s.PoolEnd = s.PoolStart;
            s.LeaseTime = TimeSpan.FromMinutes(10);
        });
        lan.Client.Start();
        lan.RunUntilBound(OneMinute);
        lan.Client.Dispose();
        lan.ClientStack.Deconfigure();
        using var second = new DhcpClient(lan.OtherStack, new DhcpClientOptions { RandomSeed = 9 });
        second.Start();

        Assert.That(lan.Simulation.RunUntil(() => second.State == DhcpClientState.Bound, TimeSpan.FromMinutes(15)), Is.True);
        Assert.That(lan.OtherStack.Address?.Address, Is.EqualTo(DhcpLan.PoolStart));
        Assert.That(lan.Simulation.Now, Is.GreaterThan(TimeSpan.FromMinutes(10)));
    }
}
