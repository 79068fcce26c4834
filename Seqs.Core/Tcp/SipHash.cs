using System.Buffers.Binary;

namespace Seqs.Tcp;

/// <summary>
/// SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): a keyed 64-bit pseudorandom
/// function built for short inputs, which is what Linux keys its TCP initial sequence numbers and SYN cookies with.
/// A plain value holding the 128-bit key.
/// </summary>
internal readonly struct SipHash(ulong k0, ulong k1)
{
    /// <summary>A key of 16 bytes, read as two little-endian 64-bit words as the paper specifies.</summary>
    public static SipHash FromKey(ReadOnlySpan<byte> key) =>
        new(BinaryPrimitives.ReadUInt64LittleEndian(key), BinaryPrimitives.ReadUInt64LittleEndian(key[8..]));

    public ulong Compute(ReadOnlySpan<byte> data)
    {
        // The initialisation constants spell "somepseudorandomlygeneratedbytes".
        ulong v0 = k0 ^ 0x736f6d6570736575UL;
        ulong v1 = k1 ^ 0x646f72616e646f6dUL;
        ulong v2 = k0 ^ 0x6c7967656e657261UL;
        ulong v3 = k1 ^ 0x7465646279746573UL;
        int whole = data.Length & ~7;
        for (int i = 0; i < whole; i += 8)
        {
            ulong m = BinaryPrimitives.ReadUInt64LittleEndian(data[i..]);
            v3 ^= m;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }
        // The last block: the remaining bytes, little-endian, with the input length (mod 256) in the top byte.
        ulong last = (ulong)data.Length << 56;
        for (int i = data.Length - 1; i >= whole; i--)
            last |= (ulong)data[i] << (8 * (i - whole));
        v3 ^= last;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;
        v2 ^= 0xff;
        for (int i = 0; i < 4; i++)
            Round(ref v0, ref v1, ref v2, ref v3);
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1;
        v1 = Rotl(v1, 13);
        v1 ^= v0;
        v0 = Rotl(v0, 32);
        v2 += v3;
        v3 = Rotl(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Rotl(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Rotl(v1, 17);
        v1 ^= v2;
        v2 = Rotl(v2, 32);
    }

    // The JIT turns this shape into a single rotate instruction (BitOperations is not in netstandard2.1).
    private static ulong Rotl(ulong value, int bits) => (value << bits) | (value >> (64 - bits));
}
