using System.Buffers.Binary;
using System.Security.Cryptography;
using Seqs.Wire;

namespace Seqs.Tcp;

/// <summary>
/// The secret of one stack's TCP that keys its initial sequence numbers (RFC 6528 §3) and its SYN cookies (RFC 4987
/// §3.6): SipHash-2-4 under a random 128-bit key, made on first use. A seeded stack (simulation) draws the key from
/// its seeded generator, so runs replay; others take it from the operating system's generator.
/// </summary>
internal sealed class SequenceKey(Random? seeded)
{
    private SipHash? _hash;

    /// <summary>The keyed hash of the connection's 4-tuple followed by <paramref name="extra"/> (at most 8 octets).</summary>
    public ulong Hash(Ipv4EndPoint local, Ipv4EndPoint remote, ReadOnlySpan<byte> extra)
    {
        Span<byte> input = stackalloc byte[FourTupleLength + 8];
        local.Address.Write(input);
        BinaryPrimitives.WriteUInt16BigEndian(input[4..], local.Port);
        remote.Address.Write(input[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(input[10..], remote.Port);
        extra.CopyTo(input[FourTupleLength..]);
        return Key.Compute(input[..(FourTupleLength + extra.Length)]);
    }

    private const int FourTupleLength = 12;

    private SipHash Key
    {
        get
        {
            if (_hash is SipHash hash)
                return hash;
            Span<byte> key = stackalloc byte[16];
            if (seeded is not null)
                seeded.NextBytes(key);
            else
                RandomNumberGenerator.Fill(key);
            _hash = hash = SipHash.FromKey(key);
            return hash;
        }
    }
}
