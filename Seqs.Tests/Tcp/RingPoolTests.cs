using System.Buffers;
using Seqs.Tcp;

namespace Seqs.Tests.Tcp;

/// <summary>
/// The stack's cache of connection rings. The shared pool would hand back a ring just returned to it as well, so each
/// test first takes that size from the shared pool: a ring the cache had passed on would come out there.
/// </summary>
public sealed class RingPoolTests
{
    [Test]
    public void ARingGivenBack_IsKeptForTheNextRentOfItsSize()
    {
        var pool = new RingPool(4);
        byte[] ring = pool.Rent(1500);
        Assert.That(ring.Length, Is.EqualTo(2048), "the shared pool's size for 1500 bytes");
        pool.Return(ring);
        Assert.That(ArrayPool<byte>.Shared.Rent(2048), Is.Not.SameAs(ring), "kept, not passed to the shared pool");
        Assert.That(pool.Rent(2048), Is.SameAs(ring));
    }

    [TestCase(4096)]
    [TestCase(1000)]
    public void ARingOfAnotherSize_IsNotHandedOut(int length)
    {
        var pool = new RingPool(4);
        byte[] ring = pool.Rent(2048);
        pool.Return(ring);
        byte[] other = pool.Rent(length);
        Assert.That(other, Is.Not.SameAs(ring));
        Assert.That(other.Length, Is.GreaterThanOrEqualTo(length).And.LessThan(2 * length));
        Assert.That(ArrayPool<byte>.Shared.Rent(2048), Is.Not.SameAs(ring));
        Assert.That(pool.Rent(2048), Is.SameAs(ring), "still kept for its own size");
    }

    [Test]
    public void RingsBeyondTheCapacity_GoToTheSharedPool()
    {
        var pool = new RingPool(1);
        byte[] kept = pool.Rent(8192);
        byte[] passedOn = pool.Rent(8192);
        pool.Return(kept);
        pool.Return(passedOn);
        Assert.That(ArrayPool<byte>.Shared.Rent(8192), Is.SameAs(passedOn));
        Assert.That(pool.Rent(8192), Is.SameAs(kept));
    }
}
