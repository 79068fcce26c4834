namespace Seqs.Http;

/// <summary>Where a parsed element sits in the buffer it was parsed from: offsets, not copies.</summary>
internal readonly record struct TextRange(int Start, int Length)
{
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> buffer) => buffer.Slice(Start, Length);
}
