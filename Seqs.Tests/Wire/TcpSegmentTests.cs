using Seqs.Wire;

namespace Seqs.Tests.Wire;

public sealed class TcpSegmentTests
{
    private static readonly Ipv4Address SackSender = new(10, 0, 1, 3);

    [Test]
    public void CapturedSyn_DeconstructsEveryField()
    {
        byte[] bytes = CapturedFrames.TransportOf(CapturedFrames.TcpSyn);
        Assert.That(TcpSegment.TryParse(bytes, out TcpSegment segment, out WireRejection rejection), Is.True);
        TcpOptions options = segment.ParsedOptions;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rejection, Is.EqualTo(WireRejection.None));
            Assert.That(segment.SourcePort, Is.EqualTo(33136));
            Assert.That(segment.DestinationPort, Is.EqualTo(8080));
            Assert.That(segment.SequenceNumber, Is.EqualTo(3868149945u));
            Assert.That(segment.AcknowledgmentNumber, Is.Zero);
            Assert.That(segment.DataOffset, Is.EqualTo(10));
            Assert.That(segment.HeaderLength, Is.EqualTo(40));
            Assert.That(segment.Reserved, Is.Zero);
            Assert.That(segment.Flags, Is.EqualTo(TcpFlags.Syn));
            Assert.That(segment.WindowSize, Is.EqualTo(64240));
            Assert.That(segment.Checksum, Is.EqualTo(0xb11f));
            Assert.That(segment.UrgentPointer, Is.Zero);
            Assert.That(segment.Options.ToArray(), Is.EqualTo(bytes[20..40]));
            Assert.That(segment.Payload.IsEmpty, Is.True);
            Assert.That(segment.VerifyChecksum(CapturedFrames.HostAIp, CapturedFrames.HostBIp), Is.True);
            Assert.That(options.MaximumSegmentSize, Is.EqualTo((ushort)1460));
            Assert.That(options.SackPermitted, Is.True);
            Assert.That(options.HasTimestamps, Is.True);
            Assert.That(options.TimestampValue, Is.EqualTo(4289574129u));
            Assert.That(options.TimestampEchoReply, Is.Zero);
            Assert.That(options.WindowScale, Is.EqualTo((byte)10));
            Assert.That(options.SackBlockCount, Is.Zero);
            Assert.That(segment.ToString(), Is.EqualTo(
                "TCP 33136 > 8080 [S] seq 3868149945 ack 0 win 64240 len 0 [mss 1460,wscale 10,sackOK,TS val 4289574129 ecr 0]"));
        }
    }

    [Test]
    public void CapturedSyn_IsRebuiltByWriters()
    {
        var segment = new byte[40];
        var options = new TcpOptionWriter(segment.AsSpan(TcpSegment.MinHeaderLength));
        // Linux's SYN layout: MSS, SACK-permitted, timestamps, NOP, window scale.
        options.WriteMaximumSegmentSize(1460);
        options.WriteSackPermitted();
        options.WriteTimestamps(4289574129, 0);
        options.WriteNop();
        options.WriteWindowScale(10);
        int optionsLength = options.Finish();
        int headerLength = TcpSegment.WriteHeader(segment, 33136, 8080, 3868149945, 0, TcpFlags.Syn, 64240, optionsLength);
        TcpSegment.WriteChecksum(segment, CapturedFrames.HostAIp, CapturedFrames.HostBIp);
        Assert.That(optionsLength, Is.EqualTo(20));
        Assert.That(headerLength, Is.EqualTo(40));
        Assert.That(segment, Is.EqualTo(CapturedFrames.TransportOf(CapturedFrames.TcpSyn)));
    }

    [Test]
    public void CapturedDataSegment_DeconstructsEveryField()
    {
        byte[] bytes = CapturedFrames.TransportOf(CapturedFrames.TcpData);
        Assert.That(TcpSegment.TryParse(bytes, out TcpSegment segment, out _), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(segment.SequenceNumber, Is.EqualTo(3868149946u));
            Assert.That(segment.AcknowledgmentNumber, Is.EqualTo(3660035540u));
            Assert.That(segment.DataOffset, Is.EqualTo(8));
            Assert.That(segment.Flags, Is.EqualTo(TcpFlags.Psh | TcpFlags.Ack));
            Assert.That(segment.WindowSize, Is.EqualTo(63));
            Assert.That(segment.Checksum, Is.EqualTo(0x3e5a));
            Assert.That(segment.Payload.ToArray(), Is.EqualTo("hello seqs over tcp\n"u8.ToArray()));
            Assert.That(segment.ParsedOptions.HasTimestamps, Is.True);
            Assert.That(segment.ParsedOptions.TimestampEchoReply, Is.EqualTo(3773240584u));
            Assert.That(segment.ParsedOptions.MaximumSegmentSize, Is.Null);
            Assert.That(segment.ParsedOptions.WindowScale, Is.Null);
            Assert.That(segment.VerifyChecksum(CapturedFrames.HostAIp, CapturedFrames.HostBIp), Is.True);
            Assert.That(segment.ToString(), Does.StartWith("TCP 33136 > 8080 [P.] seq 3868149946 ack 3660035540 win 63 len 20"));
        }
    }

    [Test]
    public void CapturedDataSegment_IsRebuiltByWriters()
    {
        var segment = new byte[52];
        var options = new TcpOptionWriter(segment.AsSpan(20));
        options.WriteNop();
        options.WriteNop();
        options.WriteTimestamps(4289574129, 3773240584);
        int header = TcpSegment.WriteHeader(segment, 33136, 8080, 3868149946, 3660035540, TcpFlags.Psh | TcpFlags.Ack, 63, options.Finish());
        "hello seqs over tcp\n"u8.CopyTo(segment.AsSpan(header));
        TcpSegment.WriteChecksum(segment, CapturedFrames.HostAIp, CapturedFrames.HostBIp);
        Assert.That(segment, Is.EqualTo(CapturedFrames.TransportOf(CapturedFrames.TcpData)));
    }

    [Test]
    public void CapturedSackSegment_DeconstructsSackBlock()
    {
        byte[] bytes = CapturedFrames.TransportOf(CapturedFrames.TcpSack);
        Assert.That(TcpSegment.TryParse(bytes, out TcpSegment segment, out _), Is.True);
        TcpOptions options = segment.ParsedOptions;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(segment.SourcePort, Is.EqualTo(8080));
            Assert.That(segment.DestinationPort, Is.EqualTo(39256));
            Assert.That(segment.SequenceNumber, Is.EqualTo(0xd796b76cu));
            Assert.That(segment.AcknowledgmentNumber, Is.EqualTo(0x2bda5285u));
            Assert.That(segment.HeaderLength, Is.EqualTo(44));
            Assert.That(segment.Flags, Is.EqualTo(TcpFlags.Ack));
            Assert.That(segment.WindowSize, Is.EqualTo(73));
            Assert.That(options.TimestampValue, Is.EqualTo(0xdbfc286fu));
            Assert.That(options.TimestampEchoReply, Is.EqualTo(0xda2c31d7u));
            Assert.That(options.SackBlockCount, Is.EqualTo(1));
            // Relative to the ISN these are 2897 and 5001, what tshark shows as SLE and SRE.
            Assert.That(options.GetSackBlock(0), Is.EqualTo((0x2bda582du, 0x2bda6065u)));
            Assert.That(segment.VerifyChecksum(SackSender, CapturedFrames.HostAIp), Is.True);
            Assert.That(segment.ToString(), Does.EndWith("sack {735729709:735731813}]"));
        }
    }

    [Test]
    public void CapturedSackSegment_IsRebuiltByWriters()
    {
        var buffer = new byte[TcpSegment.MaxHeaderLength];
        var options = new TcpOptionWriter(buffer.AsSpan(20));
        options.WriteNop();
        options.WriteNop();
        options.WriteTimestamps(0xdbfc286f, 0xda2c31d7);
        options.WriteNop();
        options.WriteNop();
        Assert.That(options.SackBlocksThatFit, Is.EqualTo(3));
        options.WriteSackBlocks([(0x2bda582du, 0x2bda6065u)]);
        int length = TcpSegment.WriteHeader(buffer, 8080, 39256, 0xd796b76c, 0x2bda5285, TcpFlags.Ack, 73, options.Finish());
        Span<byte> segment = buffer.AsSpan(0, length);
        TcpSegment.WriteChecksum(segment, SackSender, CapturedFrames.HostAIp);
        Assert.That(segment.ToArray(), Is.EqualTo(CapturedFrames.TransportOf(CapturedFrames.TcpSack)));
    }

    [Test]
    public void CorruptedSegment_FailsChecksum()
    {
        byte[] bytes = CapturedFrames.TransportOf(CapturedFrames.TcpData);
        bytes[^1] ^= 0x01;
        Assert.That(TcpSegment.TryParse(bytes, out TcpSegment segment, out _), Is.True);
        Assert.That(segment.VerifyChecksum(CapturedFrames.HostAIp, CapturedFrames.HostBIp), Is.False);
    }

    [Test]
    public void WrongPseudoHeader_FailsChecksum()
    {
        Assert.That(TcpSegment.TryParse(CapturedFrames.TransportOf(CapturedFrames.TcpData), out TcpSegment segment, out _), Is.True);
        Assert.That(segment.VerifyChecksum(CapturedFrames.HostBIp, CapturedFrames.HostAIp), Is.True); // the sum is symmetric
        Assert.That(segment.VerifyChecksum(CapturedFrames.HostAIp, CapturedFrames.RouterIp), Is.False);
    }

    [TestCase(0)]
    [TestCase(19)]
    public void ShorterThanMinimumHeader_IsTruncated(int length) =>
        AssertRejected(CapturedFrames.TransportOf(CapturedFrames.TcpData)[..length], WireRejection.Truncated);

    [TestCase(0x00)]
    [TestCase(0x40)]
    public void DataOffsetBelowFive_IsRejected(byte dataOffset)
    {
        byte[] bytes = CapturedFrames.TransportOf(CapturedFrames.TcpData);
        bytes[12] = dataOffset;
        AssertRejected(bytes, WireRejection.BadDataOffset);
    }

    [Test]
    public void DataOffsetPastReceivedOctets_IsRejected()
    {
        byte[] bytes = CapturedFrames.TransportOf(CapturedFrames.TcpSyn);
        AssertRejected(bytes[..39], WireRejection.BadDataOffset);
        bytes[12] = 0xF0; // 60 octets of header in 40
        AssertRejected(bytes, WireRejection.BadDataOffset);
    }

    [Test]
    public void MalformedOptionList_IsRejected()
    {
        byte[] bytes = CapturedFrames.TransportOf(CapturedFrames.TcpSyn);
        bytes[21] = 5; // MSS with length 5
        AssertRejected(bytes, WireRejection.BadOptionLength);
    }

    [TestCase(-1)]
    [TestCase(2)]
    [TestCase(44)]
    public void HeaderWriterGivenBadOptionsLength_Throws(int optionsLength) =>
        Assert.That(() => TcpSegment.WriteHeader(new byte[64], 1, 2, 0, 0, TcpFlags.Syn, 0, optionsLength),
            Throws.InstanceOf<ArgumentOutOfRangeException>());

    private static void AssertRejected(byte[] bytes, WireRejection expected)
    {
        Assert.That(TcpSegment.TryParse(bytes, out _, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(expected));
        Assert.That(new TcpSegment(bytes).ToString(), Does.Contain(expected.ToString()));
    }
}
