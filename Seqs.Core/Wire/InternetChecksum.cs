using System.Buffers.Binary;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace Seqs.Wire;

/// <summary>
/// The internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit big-endian words.
/// Sums are accumulated with <see cref="Accumulate"/> over any number of spans, each of even length except the last,
/// and finished with <see cref="Finish"/>. Receivers verify by checking that the finished sum over the covered bytes,
/// checksum field included, is zero. A running sum is meaningful only once finished: two sums of the same words
/// always finish to the same checksum, but their raw 32-bit values may differ.
/// </summary>
public static class InternetChecksum
{
#if NET8_0_OR_GREATER
    // Each 32-bit lane of a vector accumulator adds at most this many 16-bit words before it is widened to 64 bits:
    // 65,536 × 0xFFFF < 2^32, so no lane can overflow.
    private const int MaxVectorsPerBlock = 65_536;

    // Below this the vector path costs more than it saves: headers (20 to 60 octets) sum faster with 64-bit reads.
    private const int MinVectorLength = 64;
#endif

    /// <summary>Adds <paramref name="data"/> to a running sum; an odd final octet is padded with zero (RFC 1071 §4.1).</summary>
    public static uint Accumulate(ReadOnlySpan<byte> data, uint sum = 0)
    {
#if NET8_0_OR_GREATER
        if (Vector128.IsHardwareAccelerated && data.Length >= MinVectorLength)
            return AddNativeSum(sum, SumNativeVector128(data));
#endif
        return AddNativeSum(sum, SumNativeScalar(data));
    }

    /// <summary>Adds the IPv4 pseudo-header of TCP and UDP (RFC 9293 §3.1, RFC 768) to a running sum.</summary>
    public static uint AccumulatePseudoHeader(Ipv4Address source, Ipv4Address destination, byte protocol, int length, uint sum = 0)
    {
        ulong acc = (ulong)sum + source.Value + destination.Value + protocol + (uint)length;
        return Reduce(acc);
    }

    /// <summary>Folds a running sum to 16 bits and complements it: the value to put in a checksum field.</summary>
    public static ushort Finish(uint sum)
    {
        while (sum > 0xFFFF)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    /// <summary>The checksum of one contiguous block.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Accumulate(data));

    /// <summary>
    /// Updates a checksum after one 16-bit word changed from <paramref name="oldWord"/> to <paramref name="newWord"/>
    /// without resumming the data: RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m').
    /// </summary>
    public static ushort Update(ushort checksum, ushort oldWord, ushort newWord)
    {
        uint sum = (uint)(ushort)~checksum + (ushort)~oldWord + newWord;
        return Finish(sum);
    }

    internal static uint AccumulateScalar(ReadOnlySpan<byte> data, uint sum = 0) =>
        AddNativeSum(sum, SumNativeScalar(data));

#if NET8_0_OR_GREATER
    internal static uint AccumulateVector128(ReadOnlySpan<byte> data, uint sum = 0) =>
        AddNativeSum(sum, SumNativeVector128(data));

#endif

    // The SumNative* methods add the data as 16-bit words in the machine's byte order, in wider lanes whose
    // carries are folded back later (2^16 ≡ 1 mod 0xFFFF, so a 32- or 64-bit word is the sum of its 16-bit halves).
    // RFC 1071 §2(B): the sum of byte-swapped words is the byte-swapped sum, so one swap at the end turns the
    // folded little-endian sum into the big-endian one. Folding never turns a non-zero sum into zero, which keeps
    // +0 (all-zero data) apart from -0 (0xFFFF).
    private static uint AddNativeSum(uint sum, ulong nativeSum)
    {
        ushort folded = Fold(nativeSum);
        if (BitConverter.IsLittleEndian)
            folded = BinaryPrimitives.ReverseEndianness(folded);
        return Reduce((ulong)sum + folded);
    }

    private static ulong SumNativeScalar(ReadOnlySpan<byte> data)
    {
        // 32-bit halves of 64-bit reads go into two 64-bit accumulators; each add is below 2^33, so a span of
        // int.MaxValue bytes cannot overflow them.
        ulong even = 0, odd = 0;
        int i = 0;
        for (; i <= data.Length - 16; i += 16)
        {
            ulong a = MemoryMarshal.Read<ulong>(data.Slice(i));
            ulong b = MemoryMarshal.Read<ulong>(data.Slice(i + 8));
            even += (uint)a + (a >> 32);
            odd += (uint)b + (b >> 32);
        }
        ulong acc = even + odd;
        if (i <= data.Length - 8)
        {
            ulong a = MemoryMarshal.Read<ulong>(data.Slice(i));
            acc += (uint)a + (a >> 32);
            i += 8;
        }
        if (i <= data.Length - 4)
        {
            acc += MemoryMarshal.Read<uint>(data.Slice(i));
            i += 4;
        }
        if (i <= data.Length - 2)
        {
            acc += MemoryMarshal.Read<ushort>(data.Slice(i));
            i += 2;
        }
        // RFC 1071 §4.1: the odd octet is the high byte of a big-endian word whose low byte is zero.
        if (i < data.Length)
            acc += BitConverter.IsLittleEndian ? data[i] : (uint)data[i] << 8;
        return acc;
    }

#if NET8_0_OR_GREATER
    private static ulong SumNativeVector128(ReadOnlySpan<byte> data)
    {
        const int Step = 16; // Vector128<byte>.Count
        ref byte start = ref MemoryMarshal.GetReference(data);
        int vectorEnd = data.Length - data.Length % Step;
        Vector128<uint> lowMask = Vector128.Create(0xFFFFu);
        ulong acc = 0;
        for (int block = 0; block < vectorEnd;)
        {
            int blockEnd = block + Math.Min(vectorEnd - block, MaxVectorsPerBlock * Step);
            Vector128<uint> low0 = default, high0 = default, low1 = default, high1 = default;
            int i = block;
            // Loads stay below vectorEnd ≤ data.Length, which is what makes LoadUnsafe safe here.
            for (; i <= blockEnd - 2 * Step; i += 2 * Step)
            {
                Vector128<uint> a = Vector128.LoadUnsafe(ref start, (nuint)i).AsUInt32();
                Vector128<uint> b = Vector128.LoadUnsafe(ref start, (nuint)(i + Step)).AsUInt32();
                low0 += a & lowMask;
                high0 += Vector128.ShiftRightLogical(a, 16);
                low1 += b & lowMask;
                high1 += Vector128.ShiftRightLogical(b, 16);
            }
            if (i < blockEnd)
            {
                Vector128<uint> a = Vector128.LoadUnsafe(ref start, (nuint)i).AsUInt32();
                low0 += a & lowMask;
                high0 += Vector128.ShiftRightLogical(a, 16);
            }
            acc += WidenSum(low0 + low1) + WidenSum(high0 + high1);
            block = blockEnd;
        }
        return acc + SumNativeScalar(data.Slice(vectorEnd));
    }

    private static ulong WidenSum(Vector128<uint> lanes)
    {
        (Vector128<ulong> lower, Vector128<ulong> upper) = Vector128.Widen(lanes);
        return Vector128.Sum(lower + upper);
    }
#endif

    // End-around carry from 64 bits down to 16 in fixed steps: < 2^33, < 2^17 + 2^16, ≤ 0x10001, ≤ 0xFFFF.
    private static ushort Fold(ulong acc)
    {
        acc = (acc >> 32) + (uint)acc;
        acc = (acc >> 16) + (ushort)acc;
        acc = (acc >> 16) + (ushort)acc;
        acc = (acc >> 16) + (ushort)acc;
        return (ushort)acc;
    }

    private static uint Reduce(ulong acc)
    {
        while (acc > uint.MaxValue)
            acc = (acc & uint.MaxValue) + (acc >> 32);
        return (uint)acc;
    }
}
