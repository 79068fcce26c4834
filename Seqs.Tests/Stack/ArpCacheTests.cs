using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Tests.Stack;

/// <summary>
/// The ARP table on its own, in virtual time passed as an argument: two entries, a 60 s lifetime, and three
/// requests a second apart before an address is given up.
/// </summary>
public sealed class ArpCacheTests
{
    private static readonly Ipv4Address AddressA = new(10, 0, 0, 1);
    private static readonly Ipv4Address AddressB = new(10, 0, 0, 2);
    private static readonly Ipv4Address AddressC = new(10, 0, 0, 3);
    private static readonly MacAddress MacA = new(0x02_00_00_00_00_0A);
    private static readonly MacAddress MacB = new(0x02_00_00_00_00_0B);
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private static ArpCache Create() => new(size: 2, Lifetime, requestInterval: TimeSpan.FromSeconds(1), requestAttempts: 3);

    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);

    [Test]
    public void UnknownAddress_AsksForOneRequest_AndThenWaits()
    {
        ArpCache cache = Create();

        Assert.That(cache.Lookup(AddressA, At(0), out _, out _), Is.EqualTo(ArpLookup.PendingSendRequest));
        Assert.That(cache.Lookup(AddressA, At(0.5), out _, out _), Is.EqualTo(ArpLookup.Pending));
        Assert.That(cache.TryGet(AddressA, out _), Is.False);
        Assert.That(cache.Count, Is.EqualTo(1));
        Assert.That(cache.NextRequestDeadline, Is.EqualTo(At(1)));
    }

    [Test]
    public void ReplyForAPendingAddress_ResolvesIt_AndSaysHeldPacketsCanGo()
    {
        ArpCache cache = Create();
        cache.Lookup(AddressA, At(0), out _, out _);

        Assert.That(cache.Update(AddressA, MacA, At(0.2), create: false), Is.True);
        Assert.That(cache.Lookup(AddressA, At(0.3), out MacAddress mac, out _), Is.EqualTo(ArpLookup.Resolved));
        Assert.That(mac, Is.EqualTo(MacA));
        Assert.That(cache.NextRequestDeadline, Is.Null);
    }

    [Test]
    public void UnknownSender_IsLearnedOnlyWhenThisHostWasTheTarget()
    {
        ArpCache cache = Create();

        Assert.That(cache.Update(AddressA, MacA, At(0), create: false), Is.False);
        Assert.That(cache.TryGet(AddressA, out _), Is.False, "RFC 826: merge only, no new entry");
        Assert.That(cache.Update(AddressA, MacA, At(0), create: true), Is.False, "nothing was waiting for it");
        Assert.That(cache.TryGet(AddressA, out MacAddress mac) && mac == MacA, Is.True);
    }

    [Test]
    public void KnownAddress_IsUpdatedToItsNewMac()
    {
        ArpCache cache = Create();
        cache.Update(AddressA, MacA, At(0), create: true);

        cache.Update(AddressA, MacB, At(1), create: false);

        Assert.That(cache.TryGet(AddressA, out MacAddress mac) && mac == MacB, Is.True);
        Assert.That(cache.Count, Is.EqualTo(1));
    }

    [Test]
    public void EntryPastItsLifetime_IsStillUsed_WhileOneRefreshIsAskedFor()
    {
        ArpCache cache = Create();
        cache.Update(AddressA, MacA, At(0), create: true);

        Assert.That(cache.Lookup(AddressA, Lifetime - At(0.001), out _, out _), Is.EqualTo(ArpLookup.Resolved));
        Assert.That(cache.Lookup(AddressA, Lifetime, out MacAddress mac, out _), Is.EqualTo(ArpLookup.ResolvedSendRequest));
        Assert.That(mac, Is.EqualTo(MacA));
        Assert.That(cache.Lookup(AddressA, Lifetime + At(0.5), out _, out _), Is.EqualTo(ArpLookup.Resolved), "one refresh at a time");
        Assert.That(cache.NextRequestDeadline, Is.EqualTo(Lifetime + At(1)));
    }

    [Test]
    public void UnansweredAddress_IsRequestedAgainEachInterval_ThenReportedAsFailedAndRemoved()
    {
        ArpCache cache = Create();
        cache.Lookup(AddressA, At(0), out _, out _);

        Assert.That(cache.TryTakeDue(At(0.9), out _, out _), Is.False, "not due yet");
        Assert.That(TakeDue(cache, At(1)), Is.EqualTo((AddressA, false)));
        Assert.That(TakeDue(cache, At(2)), Is.EqualTo((AddressA, false)));
        Assert.That(TakeDue(cache, At(3)), Is.EqualTo((AddressA, true)), "three requests in all, then given up");
        Assert.That(cache.Count, Is.Zero);
        Assert.That(cache.TryTakeDue(At(10), out _, out _), Is.False);
    }

    [Test]
    public void UnansweredRefresh_RemovesTheEntryWithoutReportingAFailure()
    {
        ArpCache cache = Create();
        cache.Update(AddressA, MacA, At(0), create: true);
        cache.Lookup(AddressA, Lifetime, out _, out _);

        Assert.That(TakeDue(cache, Lifetime + At(1)), Is.EqualTo((AddressA, false)));
        Assert.That(TakeDue(cache, Lifetime + At(2)), Is.EqualTo((AddressA, false)));
        Assert.That(cache.TryTakeDue(Lifetime + At(3), out _, out _), Is.False, "nothing was waiting, so nothing failed");
        Assert.That(cache.TryGet(AddressA, out _), Is.False);
        Assert.That(cache.Count, Is.Zero);
    }

    [Test]
    public void FullTable_EvictsTheLeastRecentlyUsedResolvedEntry()
    {
        ArpCache cache = Create();
        cache.Update(AddressA, MacA, At(0), create: true);
        cache.Update(AddressB, MacB, At(1), create: true);
        cache.Lookup(AddressA, At(2), out _, out _);

        Assert.That(cache.Lookup(AddressC, At(3), out _, out _), Is.EqualTo(ArpLookup.PendingSendRequest));
        Assert.That(cache.TryGet(AddressA, out _), Is.True);
        Assert.That(cache.TryGet(AddressB, out _), Is.False);
        Assert.That(cache.Count, Is.EqualTo(cache.Capacity));
    }

    /// <summary>
    /// Entries being resolved are at most a quarter of the table (here one): a new address to resolve takes the place
    /// of the oldest one, whose held packets the stack drops, instead of filling the table with unanswered lookups.
    /// </summary>
    [Test]
    public void UnresolvedEntriesAtTheirCap_GiveUpTheOldestForANewOne()
    {
        ArpCache cache = Create();
        Assert.That(cache.Lookup(AddressA, At(0), out _, out Ipv4Address first), Is.EqualTo(ArpLookup.PendingSendRequest));
        Assert.That(first.IsUnspecified, Is.True);

        Assert.That(cache.Lookup(AddressB, At(0.5), out _, out Ipv4Address displaced), Is.EqualTo(ArpLookup.PendingSendRequest));
        Assert.That(displaced, Is.EqualTo(AddressA));
        Assert.That(cache.Count, Is.EqualTo(1), "the other slot stays free for a resolved neighbour");
        Assert.That(cache.Update(AddressC, MacA, At(0.5), create: true), Is.False, "learnt: it was not being resolved");
        Assert.That(cache.TryGet(AddressC, out _), Is.True);
    }

    /// <summary>
    /// Issue 16's ARP starvation: lookups of many unused addresses (pings from spoofed senders) recycle the entries
    /// being resolved among themselves; resolved neighbours and the gateway stay.
    /// </summary>
    [Test]
    public void ManyUnansweredLookups_KeepTheGatewayAndResolvedNeighbours()
    {
        var cache = new ArpCache(size: 8, Lifetime, requestInterval: TimeSpan.FromSeconds(1), requestAttempts: 3) { Gateway = AddressA };
        cache.Update(AddressA, MacA, At(0), create: true);
        cache.Update(AddressB, MacB, At(0), create: true);
        for (int i = 0; i < 100; i++)
            cache.Lookup(new Ipv4Address(10, 0, 1, (byte)i), At(1 + i * 0.01), out _, out _);

        Assert.That((cache.TryGet(AddressA, out MacAddress gateway), cache.TryGet(AddressB, out MacAddress neighbour)), Is.EqualTo((true, true)));
        Assert.That((gateway, neighbour), Is.EqualTo((MacA, MacB)));
        Assert.That(cache.Count, Is.EqualTo(4), "the two resolved entries and two being resolved (a quarter of eight)");
    }

    [Test]
    public void MarkStale_MakesTheNextUseAskForARefresh()
    {
        ArpCache cache = Create();
        cache.Update(AddressA, MacA, At(0), create: true);

        cache.MarkStale(AddressA, At(10));

        Assert.That(cache.Lookup(AddressA, At(10), out MacAddress mac, out _), Is.EqualTo(ArpLookup.ResolvedSendRequest));
        Assert.That(mac, Is.EqualTo(MacA));
    }

    [Test]
    public void Clear_ForgetsEveryEntry()
    {
        ArpCache cache = Create();
        cache.Update(AddressA, MacA, At(0), create: true);
        cache.Lookup(AddressB, At(0), out _, out _);

        cache.Clear();

        Assert.That(cache.Count, Is.Zero);
        Assert.That(cache.NextRequestDeadline, Is.Null);
        Assert.That(cache.Lookup(AddressA, At(1), out _, out _), Is.EqualTo(ArpLookup.PendingSendRequest));
    }

    private static (Ipv4Address Address, bool Failed) TakeDue(ArpCache cache, TimeSpan now)
    {
        Assert.That(cache.TryTakeDue(now, out Ipv4Address address, out bool failed), Is.True, $"a request due at {now}");
        return (address, failed);
    }
}
