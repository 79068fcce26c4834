using Seqs.Scheduling;

namespace Seqs.Tests.Scheduling;

/// <summary>The rate limit of ICMP errors: 4 tokens a second, a burst of 3, with time passed in.</summary>
public sealed class TokenBucketTests
{
    private static TimeSpan At(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    [Test]
    public void NewBucket_AllowsTheBurst_ThenRefuses()
    {
        var bucket = new TokenBucket(ratePerSecond: 4, burst: 3);

        bool[] taken = [.. Enumerable.Range(0, 4).Select(_ => bucket.TryTake(At(0)))];

        Assert.That(taken, Is.EqualTo(new[] { true, true, true, false }));
    }

    [Test]
    public void EmptyBucket_RefillsAtTheRate_CountingFractionsOfATokenAcrossCalls()
    {
        var bucket = Emptied();

        Assert.That(bucket.TryTake(At(125)), Is.False, "half a token");
        Assert.That(bucket.TryTake(At(250)), Is.True, "two halves make one");
        Assert.That(bucket.TryTake(At(250)), Is.False);
        Assert.That(bucket.TryTake(At(750)), Is.True);
        Assert.That(bucket.TryTake(At(750)), Is.True);
        Assert.That(bucket.TryTake(At(750)), Is.False);
    }

    [Test]
    public void LongIdle_RefillsNoMoreThanTheBurst()
    {
        var bucket = Emptied();

        int taken = Enumerable.Range(0, 10).Count(_ => bucket.TryTake(TimeSpan.FromMinutes(10)));

        Assert.That(taken, Is.EqualTo(3));
    }

    [Test]
    public void TimeThatGoesBack_AddsNoTokens()
    {
        var bucket = new TokenBucket(ratePerSecond: 4, burst: 3);
        for (int i = 0; i < 3; i++)
            bucket.TryTake(At(1000));

        Assert.That(bucket.TryTake(At(500)), Is.False);
        Assert.That(bucket.TryTake(At(1000)), Is.False, "the bucket last refilled at 1000 ms");
        Assert.That(bucket.TryTake(At(1250)), Is.True);
    }

    private static TokenBucket Emptied()
    {
        var bucket = new TokenBucket(ratePerSecond: 4, burst: 3);
        while (bucket.TryTake(At(0)))
        {
        }
        return bucket;
    }
}
