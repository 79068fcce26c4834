using System.Buffers.Binary;
using Seqs.Wire;

namespace Seqs.Tests.Wire;

public sealed class InternetChecksumTests
{
    // Captured on Linux loopback (AF_PACKET on lo) from a UDP datagram sent to 127.0.0.1:5353 by the kernel;
    // the kernel filled in the header checksum, 0x7ffd at offset 10.
    private static readonly byte[] CapturedIpv4Header = Convert.FromHexString("45000029bcc4400040117ffd7f0000017f000001");

    private const int HugeLength = 5 * 1024 * 1024;

    [Test]
    public void Accumulate_MatchesWordByWordReference_ForEveryLengthAtOddAndEvenOffsets() =>
        AssertMatchesReferenceForEveryLength((data, sum) => InternetChecksum.Accumulate(data, sum));

    [Test]
    public void ScalarFallback_MatchesWordByWordReference_ForEveryLengthAtOddAndEvenOffsets() =>
        AssertMatchesReferenceForEveryLength((data, sum) => InternetChecksum.AccumulateScalar(data, sum));

    [Test]
    public void Vector128Path_MatchesWordByWordReference_ForEveryLengthAtOddAndEvenOffsets() =>
        AssertMatchesReferenceForEveryLength((data, sum) => InternetChecksum.AccumulateVector128(data, sum));

    [TestCase(HugeLength)]
    [TestCase(HugeLength + 1)]
    public void HugeAllOnesInput_KeepsEveryCarry(int length)
    {
        byte[] data = new byte[length];
        data.AsSpan().Fill(0xFF);
        // Every word is 0xFFFF (-0), so the sum stays -0; an odd length adds 0xFF00.
        ushort expected = length % 2 == 0 ? (ushort)0x0000 : (ushort)0x00FF;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ReferenceChecksum(data), Is.EqualTo(expected));
            Assert.That(InternetChecksum.Compute(data), Is.EqualTo(expected));
            Assert.That(InternetChecksum.Finish(InternetChecksum.AccumulateScalar(data)), Is.EqualTo(expected));
            Assert.That(InternetChecksum.Finish(InternetChecksum.AccumulateVector128(data)), Is.EqualTo(expected));
            Assert.That(InternetChecksum.Finish(InternetChecksum.Accumulate(data, uint.MaxValue)),
                Is.EqualTo(ReferenceChecksum(data, uint.MaxValue)));
        }
    }

    [Test]
    public void HugeRandomInput_MatchesReferenceAcrossVectorBlocks()
    {
        byte[] data = new byte[HugeLength + 3];
        new Random(1071).NextBytes(data);
        ReadOnlySpan<byte> unaligned = data.AsSpan(1);
        ushort expected = ReferenceChecksum(unaligned);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(InternetChecksum.Compute(unaligned), Is.EqualTo(expected));
            Assert.That(InternetChecksum.Finish(InternetChecksum.AccumulateScalar(unaligned)), Is.EqualTo(expected));
            Assert.That(InternetChecksum.Finish(InternetChecksum.AccumulateVector128(unaligned)), Is.EqualTo(expected));
        }
    }

    [Test]
    public void Rfc1071Example_SumsToDdf2()
    {
        // RFC 1071 §3, "Numerical Examples": 0001 + f203 + f4f5 + f6f7 = 2ddf0, folded to ddf2.
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];

        Assert.That((ushort)~InternetChecksum.Compute(data), Is.EqualTo(0xddf2));
    }

    [Test]
    public void CapturedIpv4Header_VerifiesToZero() =>
        Assert.That(InternetChecksum.Compute(CapturedIpv4Header), Is.Zero);

    [Test]
    public void CapturedIpv4Header_WithChecksumFieldCleared_ComputesTheCapturedChecksum()
    {
        byte[] header = (byte[])CapturedIpv4Header.Clone();
        header[10] = 0;
        header[11] = 0;

        Assert.That(InternetChecksum.Compute(header), Is.EqualTo(0x7ffd));
    }

    [Test]
    public void Update_MatchesRecomputation_AfterOneWordChanges()
    {
        var random = new Random(1624);
        byte[] header = (byte[])CapturedIpv4Header.Clone();
        for (int trial = 0; trial < 10_000; trial++)
        {
            int offset = 2 * random.Next(10);
            if (offset == 10)
                continue;
            header[10] = 0;
            header[11] = 0;
            ushort checksum = InternetChecksum.Compute(header);
            ushort oldWord = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(offset));
            ushort newWord = trial % 10 == 0 ? (ushort)0 : (ushort)random.Next(0x10000);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(offset), newWord);

            ushort updated = InternetChecksum.Update(checksum, oldWord, newWord);

            Assert.That(updated, Is.EqualTo(InternetChecksum.Compute(header)), $"word at {offset}: {oldWord:x4} -> {newWord:x4}");
        }
    }

    [Test]
    public void Update_GivesPositiveZeroLikeRecomputation_InRfc1624Example()
    {
        // RFC 1624 §3: the other words sum to 0xCD7A and m = 0x5555 changes to m' = 0x3285. Recomputation gives
        // ~(0xCD7A + 0x3285) = ~0xFFFF = 0x0000; RFC 1141's HC + m + ~m' gives 0xFFFF (-0) instead.
        byte[] data = [0xCD, 0x7A, 0x55, 0x55];
        ushort checksum = InternetChecksum.Compute(data);
        data[2] = 0x32;
        data[3] = 0x85;

        ushort updated = InternetChecksum.Update(checksum, 0x5555, 0x3285);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(checksum, Is.EqualTo(0xDD2F));
            Assert.That(InternetChecksum.Compute(data), Is.EqualTo(0x0000));
            Assert.That(updated, Is.EqualTo(0x0000));
        }
    }

    [Test]
    public void AccumulatingEvenLengthChunks_EqualsOnePass()
    {
        var random = new Random(9293);
        byte[] data = new byte[1501];
        for (int trial = 0; trial < 1000; trial++)
        {
            random.NextBytes(data);
            int length = random.Next(data.Length + 1);
            ReadOnlySpan<byte> whole = data.AsSpan(0, length);
            uint sum = 0;
            int start = 0;
            while (start < length)
            {
                int chunk = Math.Min(2 * random.Next(1, 100), length - start);
                sum = InternetChecksum.Accumulate(whole.Slice(start, chunk), sum);
                start += chunk;
            }

            Assert.That(InternetChecksum.Finish(sum), Is.EqualTo(InternetChecksum.Compute(whole)), $"length {length}");
        }
    }

    [Test]
    public void AllZeroData_FinishesToNegativeZeroChecksum()
    {
        // The sum of zeros is +0, whose complement is 0xFFFF; no folding or byte swap may turn it into -0.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(InternetChecksum.Compute(new byte[1500]), Is.EqualTo(0xFFFF));
            Assert.That(InternetChecksum.Compute([]), Is.EqualTo(0xFFFF));
        }
    }

    [Test]
    public void PseudoHeader_AddsAddressesProtocolAndLengthAsWords()
    {
        var source = new Ipv4Address(192, 0, 2, 1);
        var destination = new Ipv4Address(198, 51, 100, 7);
        byte[] pseudoHeader = Convert.FromHexString("c0000201c6336407001100" + "1c");

        uint sum = InternetChecksum.AccumulatePseudoHeader(source, destination, protocol: 17, length: 0x1c);

        Assert.That(InternetChecksum.Finish(sum), Is.EqualTo(ReferenceChecksum(pseudoHeader)));
    }

    private static void AssertMatchesReferenceForEveryLength(Func<ReadOnlySpan<byte>, uint, uint> accumulate)
    {
        var random = new Random(791);
        byte[] buffer = new byte[603];
        for (int length = 0; length <= 600; length++)
        {
            for (int offset = 0; offset <= 3; offset++)
            {
                random.NextBytes(buffer);
                ReadOnlySpan<byte> data = buffer.AsSpan(offset, length);
                uint initial = length % 3 == 0 ? 0u : (uint)random.Next() * 3u;

                ushort actual = InternetChecksum.Finish(accumulate(data, initial));

                Assert.That(actual, Is.EqualTo(ReferenceChecksum(data, initial)), $"length {length}, offset {offset}, initial sum {initial:x8}");
            }
        }
    }

    // RFC 1071 as written: add 16-bit big-endian words one at a time with end-around carry.
    private static ushort ReferenceChecksum(ReadOnlySpan<byte> data, uint initial = 0)
    {
        uint sum = initial;
        while (sum > 0xFFFF)
            sum = (sum & 0xFFFF) + (sum >> 16);
        for (int i = 0; i < data.Length; i += 2)
        {
            uint word = (uint)data[i] << 8 | (i + 1 < data.Length ? data[i + 1] : 0u);
            sum += word;
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}
