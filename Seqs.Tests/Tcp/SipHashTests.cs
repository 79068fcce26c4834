using Seqs.Tcp;

namespace Seqs.Tests.Tcp;

/// <summary>SipHash-2-4 against the reference vectors of the paper's test.c (key 00..0f, message 00..n-1).</summary>
public sealed class SipHashTests
{
    [TestCase(0, 0x726fdb47dd0e0e31UL)]
    [TestCase(1, 0x74f839c593dc67fdUL)]
    [TestCase(8, 0x93f5f5799a932462UL)]
    [TestCase(15, 0xa129ca6149be45e5UL)]
    [TestCase(16, 0x3f2acc7f57c29bdbUL)]
    public void ReferenceVectors(int length, ulong expected)
    {
        byte[] key = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
        byte[] message = [.. Enumerable.Range(0, length).Select(i => (byte)i)];
        Assert.That(SipHash.FromKey(key).Compute(message), Is.EqualTo(expected));
    }
}
