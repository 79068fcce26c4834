using Seqs.Stack;

namespace Seqs.Tests.Stack;

public sealed class NonceSourceTests
{
    [Test]
    public void SeededSource_ReplaysTheSameNonces()
    {
        var first = new NonceSource(new Random(7));
        var second = new NonceSource(new Random(7));

        Assert.That(new[] { first.NextUInt64(), first.NextUInt32(), first.NextUInt16(), (ulong)first.Next(1000) },
            Is.EqualTo(new[] { second.NextUInt64(), second.NextUInt32(), second.NextUInt16(), (ulong)second.Next(1000) }));
    }

    [Test]
    public void CryptographicSource_DrawsDistinctNonces_WithoutAllocating()
    {
        var source = new NonceSource(null);
        source.NextUInt64();

        long before = GC.GetAllocatedBytesForCurrentThread();
        ulong a = source.NextUInt64(), b = source.NextUInt64();
        int port = source.Next(16384);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(a, Is.Not.EqualTo(b));
        Assert.That(port, Is.InRange(0, 16383));
        Assert.That(allocated, Is.Zero);
    }
}
