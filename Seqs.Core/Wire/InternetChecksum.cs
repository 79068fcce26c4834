using System.Buffers.Binary;

namespace Seqs.Wire;

/// <summary>
/// The internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit big-endian words.
/// Sums are accumulated with <see cref="Accumulate"/> over any number of spans, each of even length except the last,
/// and finished with <see cref="Finish"/>. Receivers verify by checking that the finished sum over the covered bytes,
/// checksum field included, is zero.
/// </summary>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> to a running sum; an odd final octet is padded with zero (RFC 1071 §4.1).</summary>
    public static uint Accumulate(ReadOnlySpan<byte> data, uint sum = 0)
    {
        ulong acc = sum;
        int i = 0;
        for (; i + 4 <= data.Length; i += 4)
            acc += BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
        if (i + 2 <= data.Length)
        {
            acc += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
            i += 2;
        }
        if (i < data.Length)
            acc += (uint)data[i] << 8;
        return Reduce(acc);
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

    private static uint Reduce(ulong acc)
    {
        while (acc > uint.MaxValue)
            acc = (acc & uint.MaxValue) + (acc >> 32);
        return (uint)acc;
    }
}
