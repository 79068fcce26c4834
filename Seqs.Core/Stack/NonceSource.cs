using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Seqs.Stack;

/// <summary>
/// The numbers a stack puts on the wire so that an off-path attacker cannot guess them and forge replies: DNS IDs
/// (RFC 5452 §9.2), UDP ephemeral ports (RFC 6056 §3.3.1; for NTP clients RFC 9109 §3), the NTP transmit timestamp
/// that a reply's origin timestamp must echo (RFC 5905 §8) and the DHCP xid (RFC 2131 §4.1). A real stack draws them
/// from the operating system's cryptographic generator; a simulated one from its seeded generator, so that runs
/// replay. Safe from any thread; allocates nothing.
/// </summary>
internal sealed class NonceSource(Random? seeded)
{
    public void Fill(Span<byte> destination)
    {
        if (seeded is null)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }
        lock (seeded)
            seeded.NextBytes(destination);
    }

    public ushort NextUInt16()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ushort)];
        Fill(bytes);
        return BinaryPrimitives.ReadUInt16LittleEndian(bytes);
    }

    public uint NextUInt32()
    {
        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        Fill(bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    public ulong NextUInt64()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        Fill(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    /// <summary>A uniform draw from [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive)
    {
        if (seeded is null)
            return RandomNumberGenerator.GetInt32(maxExclusive);
        lock (seeded)
            return seeded.Next(maxExclusive);
    }
}
