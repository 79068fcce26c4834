namespace Seqs.Tcp;

/// <summary>
/// A TCP sequence number: 32-bit arithmetic modulo 2^32, compared by the sign of the wrapped difference
/// (RFC 9293 §3.4: "all arithmetic dealing with sequence numbers must be performed modulo 2**32"). Comparing raw
/// <see cref="uint"/>s instead is a bug once the space wraps.
/// </summary>
public readonly record struct SeqNumber(uint Value) : IComparable<SeqNumber>
{
    public static SeqNumber operator +(SeqNumber seq, int delta) => new(unchecked(seq.Value + (uint)delta));

    public static SeqNumber operator -(SeqNumber seq, int delta) => new(unchecked(seq.Value - (uint)delta));

    /// <summary>The distance from <paramref name="b"/> to <paramref name="a"/>, negative when a is before b.</summary>
    public static int operator -(SeqNumber a, SeqNumber b) => unchecked((int)(a.Value - b.Value));

    public static bool operator <(SeqNumber a, SeqNumber b) => a - b < 0;

    public static bool operator >(SeqNumber a, SeqNumber b) => a - b > 0;

    public static bool operator <=(SeqNumber a, SeqNumber b) => a - b <= 0;

    public static bool operator >=(SeqNumber a, SeqNumber b) => a - b >= 0;

    /// <summary>first ≤ this &lt; end, in sequence space.</summary>
    public bool InWindow(SeqNumber first, int length) => length > 0 && (uint)(this - first) < (uint)length;

    public static SeqNumber Max(SeqNumber a, SeqNumber b) => a >= b ? a : b;

    public static SeqNumber Min(SeqNumber a, SeqNumber b) => a <= b ? a : b;

    public int CompareTo(SeqNumber other) => this - other;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
