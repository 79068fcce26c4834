using Seqs.Wire;

namespace Seqs.Tests.Wire;

public sealed class TcpOptionsTests
{
    [Test]
    public void EmptyList_HasNoOptions()
    {
        Assert.That(TcpOptions.TryParse([], out TcpOptions options, out WireRejection rejection), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rejection, Is.EqualTo(WireRejection.None));
            Assert.That(options.MaximumSegmentSize, Is.Null);
            Assert.That(options.WindowScale, Is.Null);
            Assert.That(options.SackPermitted, Is.False);
            Assert.That(options.HasTimestamps, Is.False);
            Assert.That(options.SackBlockCount, Is.Zero);
            Assert.That(options.ToString(), Is.EqualTo("[]"));
        }
    }

    [Test]
    public void EndOfOptionList_StopsTheScan()
    {
        // After EOL anything may follow, even what would be a malformed option.
        Assert.That(TcpOptions.TryParse([2, 4, 5, 180, 0, 2, 9, 9], out TcpOptions options, out _), Is.True);
        Assert.That(options.MaximumSegmentSize, Is.EqualTo((ushort)1460));
    }

    [Test]
    public void NoOperations_AreSkipped()
    {
        Assert.That(TcpOptions.TryParse([1, 1, 1, 3, 3, 7], out TcpOptions options, out _), Is.True);
        Assert.That(options.WindowScale, Is.EqualTo((byte)7));
    }

    [Test]
    public void UnknownKind_IsSkippedByItsLength()
    {
        // Kind 30 (MPTCP, RFC 8684) of length 4, then SACK-permitted.
        Assert.That(TcpOptions.TryParse([30, 4, 0x81, 0x01, 4, 2], out TcpOptions options, out _), Is.True);
        Assert.That(options.SackPermitted, Is.True);
    }

    [Test]
    public void FourSackBlocks_AreAllKept()
    {
        byte[] list = [1, 1, 5, 34, .. Blocks((1, 2), (3, 4), (0xFFFF_FFF0, 5), (7, 8))];
        Assert.That(TcpOptions.TryParse(list, out TcpOptions options, out _), Is.True);
        Assert.That(options.SackBlockCount, Is.EqualTo(4));
        Assert.That(options.GetSackBlock(0), Is.EqualTo((1u, 2u)));
        Assert.That(options.GetSackBlock(1), Is.EqualTo((3u, 4u)));
        Assert.That(options.GetSackBlock(2), Is.EqualTo((0xFFFF_FFF0u, 5u)));
        Assert.That(options.GetSackBlock(3), Is.EqualTo((7u, 8u)));
        Assert.That(() => options.GetSackBlock(4), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void SackBlocks_RoundTripThroughWriter()
    {
        var buffer = new byte[40];
        var writer = new TcpOptionWriter(buffer);
        writer.WriteNop();
        writer.WriteNop();
        writer.WriteSackBlocks([(10u, 20u), (30u, 40u), (50u, 60u), (70u, 80u)]);
        int length = writer.Finish();
        Assert.That(length, Is.EqualTo(36));
        Assert.That(TcpOptions.TryParse(buffer.AsSpan(0, length), out TcpOptions options, out _), Is.True);
        Assert.That(options.SackBlockCount, Is.EqualTo(4));
        Assert.That(options.GetSackBlock(3), Is.EqualTo((70u, 80u)));
    }

    [Test]
    public void Finish_PadsWithEndOfOptionList()
    {
        byte[] buffer = [.. Enumerable.Repeat((byte)0xEE, 8)];
        var writer = new TcpOptionWriter(buffer);
        writer.WriteWindowScale(7);
        Assert.That(writer.Finish(), Is.EqualTo(4));
        Assert.That(buffer[..4], Is.EqualTo(new byte[] { 3, 3, 7, 0 }));
    }

    [Test]
    public void Writer_StopsAtFortyOctets()
    {
        var writer = new TcpOptionWriter(new byte[60]);
        for (int i = 0; i < 4; i++)
            writer.WriteTimestamps(1, 2);
        Assert.That(writer.Remaining, Is.Zero);
        bool threw = false;
        try
        {
            writer.WriteNop();
        }
        catch (ArgumentException)
        {
            threw = true;
        }
        Assert.That(threw, Is.True);
        Assert.That(writer.Finish(), Is.EqualTo(40));
    }

    [TestCase(new byte[] { 2 }, TestName = "LengthOctetMissing_IsRejected")]
    [TestCase(new byte[] { 30, 0 }, TestName = "LengthZero_IsRejected")]
    [TestCase(new byte[] { 30, 1, 1, 1 }, TestName = "LengthOne_IsRejected")]
    [TestCase(new byte[] { 1, 30, 6, 0, 0 }, TestName = "UnknownKindRunningPastEnd_IsRejected")]
    [TestCase(new byte[] { 8, 10, 0, 0, 0, 0, 0, 0 }, TestName = "TimestampsRunningPastEnd_IsRejected")]
    [TestCase(new byte[] { 2, 3, 5, 0 }, TestName = "MaximumSegmentSizeOfLengthThree_IsRejected")]
    [TestCase(new byte[] { 3, 4, 7, 0 }, TestName = "WindowScaleOfLengthFour_IsRejected")]
    [TestCase(new byte[] { 4, 3, 0, 0 }, TestName = "SackPermittedOfLengthThree_IsRejected")]
    [TestCase(new byte[] { 8, 8, 0, 0, 0, 0, 0, 0 }, TestName = "TimestampsOfLengthEight_IsRejected")]
    [TestCase(new byte[] { 5, 2, 0, 0 }, TestName = "SackWithoutBlocks_IsRejected")]
    [TestCase(new byte[] { 5, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, TestName = "SackWithPartialBlock_IsRejected")]
    public void MalformedList_IsRejected(byte[] list)
    {
        Assert.That(TcpOptions.TryParse(list, out _, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(WireRejection.BadOptionLength));
    }

    [Test]
    public void SackWithFiveBlocks_IsRejected()
    {
        byte[] list = [5, 42, .. Blocks((1, 2), (3, 4), (5, 6), (7, 8), (9, 10))];
        Assert.That(TcpOptions.TryParse(list, out _, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(WireRejection.BadOptionLength));
    }

    private static byte[] Blocks(params (uint Left, uint Right)[] blocks)
    {
        var bytes = new byte[8 * blocks.Length];
        for (int i = 0; i < blocks.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8 * i), blocks[i].Left);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8 * i + 4), blocks[i].Right);
        }
        return bytes;
    }

    [Test]
    public void NopNopTimestamps_TheUsualList_ReadsAsTheGeneralScanWould()
    {
        byte[] usual = [1, 1, 8, 10, 0, 0, 0, 7, 0x80, 0, 0, 9];
        byte[] reordered = [8, 10, 0, 0, 0, 7, 0x80, 0, 0, 9, 1, 1];
        Assert.That(TcpOptions.TryParse(usual, out TcpOptions fast, out _), Is.True);
        Assert.That(TcpOptions.TryParse(reordered, out TcpOptions scanned, out _), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((fast.HasTimestamps, fast.TimestampValue, fast.TimestampEchoReply), Is.EqualTo((true, 7u, 0x8000_0009u)));
            Assert.That(fast.ToString(), Is.EqualTo(scanned.ToString()));
            Assert.That((fast.MaximumSegmentSize, fast.WindowScale, fast.SackPermitted, fast.SackBlockCount), Is.EqualTo(((ushort?)null, (byte?)null, false, 0)));
        }
    }
}
