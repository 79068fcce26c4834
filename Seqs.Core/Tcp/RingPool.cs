using System.Buffers;

namespace Seqs.Tcp;

/// <summary>
/// The rings (send and receive buffers) of a stack's closed connections, kept for its next ones: taking one back
/// costs a few comparisons, where <see cref="ArrayPool{T}.Shared"/> costs a thread-local lookup each way. It holds
/// at most its capacity, in an array made on the first return; rings it cannot hold go to the shared pool, and
/// rings it has none of come from there. For the loop's thread only.
/// </summary>
internal sealed class RingPool(int capacity)
{
    /// <summary>Keeps nothing: every ring comes from and goes back to the shared pool (a block driven alone).</summary>
    public static readonly RingPool None = new(0);

    private byte[][]? _rings;
    private int _count;

    /// <summary>A ring of at least <paramref name="length"/> bytes, of the size the shared pool would give.</summary>
    public byte[] Rent(int length)
    {
        for (int i = _count - 1; i >= 0; i--)
        {
            byte[] ring = _rings![i];
            // The shared pool's sizes are powers of two: this is the one it would pick, the smallest that fits.
            if (ring.Length >= length && ring.Length / 2 < length)
            {
                _count--;
                _rings[i] = _rings[_count];
                _rings[_count] = null!;
                return ring;
            }
        }
        return ArrayPool<byte>.Shared.Rent(length);
    }

    public void Return(byte[] ring)
    {
        if (_count < capacity)
        {
            (_rings ??= new byte[capacity][])[_count++] = ring;
            return;
        }
        ArrayPool<byte>.Shared.Return(ring);
    }
}
