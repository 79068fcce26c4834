namespace Seqs.Fuzz;

/// <summary>
/// Reads a fuzz input as a script: small numbers for choices and lengths, then byte runs. Past the end every read
/// gives zero or an empty run, so any input is a valid script and a mutation changes one decision at a time.
/// </summary>
public ref struct FuzzInput(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;

    public readonly bool IsEmpty => _position >= _bytes.Length;

    public byte TakeByte() => _position < _bytes.Length ? _bytes[_position++] : (byte)0;

    public ushort TakeUInt16() => (ushort)((TakeByte() << 8) | TakeByte());

    /// <summary>The next <paramref name="length"/> bytes, or what is left when fewer are.</summary>
    public ReadOnlySpan<byte> Take(int length)
    {
        int start = Math.Min(_position, _bytes.Length);
        int n = Math.Min(length, _bytes.Length - start);
        _position = start + n;
        return _bytes.Slice(start, n);
    }

    /// <summary>A run whose length is the next two bytes (big-endian).</summary>
    public ReadOnlySpan<byte> TakeRun() => Take(TakeUInt16());

    public ReadOnlySpan<byte> TakeRest() => Take(int.MaxValue);
}
