namespace Seqs.Tcp;

/// <summary>
/// The SACK blocks of one segment, at most four (RFC 2018 §3), held inline so that a <see cref="Segment"/> stays a
/// plain value.
/// </summary>
public struct SackBlocks : IEquatable<SackBlocks>
{
    /// <summary>RFC 2018 §3: a 40-octet option space holds at most four blocks.</summary>
    public const int MaxCount = 4;

    private SackBlock _block0, _block1, _block2, _block3;

    public int Count { get; private set; }

    public readonly SackBlock this[int index] => (uint)index >= (uint)Count
        ? throw new ArgumentOutOfRangeException(nameof(index))
        : index switch { 0 => _block0, 1 => _block1, 2 => _block2, _ => _block3 };

    /// <summary>Appends a block; false when four are held already.</summary>
    public bool TryAdd(SackBlock block)
    {
        switch (Count)
        {
            case 0: _block0 = block; break;
            case 1: _block1 = block; break;
            case 2: _block2 = block; break;
            case 3: _block3 = block; break;
            default: return false;
        }
        Count++;
        return true;
    }

    public static SackBlocks Of(params SackBlock[] blocks)
    {
        var list = new SackBlocks();
        foreach (SackBlock block in blocks)
        {
            if (!list.TryAdd(block))
                throw new ArgumentException("A segment carries at most four SACK blocks.", nameof(blocks));
        }
        return list;
    }

    public readonly bool Equals(SackBlocks other)
    {
        if (Count != other.Count)
            return false;
        for (int i = 0; i < Count; i++)
        {
            if (this[i] != other[i])
                return false;
        }
        return true;
    }

    public override readonly bool Equals(object? obj) => obj is SackBlocks other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(Count, _block0, _block1, _block2, _block3);

    public static bool operator ==(SackBlocks a, SackBlocks b) => a.Equals(b);

    public static bool operator !=(SackBlocks a, SackBlocks b) => !a.Equals(b);

    public override readonly string ToString()
    {
        var parts = new string[Count];
        for (int i = 0; i < Count; i++)
            parts[i] = this[i].ToString();
        return string.Join(",", parts);
    }
}
