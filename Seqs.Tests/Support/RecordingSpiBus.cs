using Seqs.Hal;

namespace Seqs.Tests.Support;

/// <summary>Passes exchanges through to a chip and records the MOSI bytes of each chip-select frame.</summary>
internal sealed class RecordingSpiBus(ISpiBus inner) : ISpiBus
{
    public List<byte[]> Frames { get; } = [];

    public int ClockFrequency => inner.ClockFrequency;

    public void Exchange(ReadOnlySpan<byte> transmit, Span<byte> receive)
    {
        Frames.Add(transmit.ToArray());
        inner.Exchange(transmit, receive);
    }

    public void Dispose() => inner.Dispose();
}
