using Seqs.Hal;

namespace Seqs.Tests.Cyw43;

/// <summary>Passes frames through and reports the virtual time of each.</summary>
internal sealed class TimedSpiBus(ISpiBus inner, TimeProvider clock, Action<TimeSpan> frameAt) : ISpiBus
{
    private readonly long _start = clock.GetTimestamp();

    public int ClockFrequency => inner.ClockFrequency;

    public void Exchange(ReadOnlySpan<byte> transmit, Span<byte> receive)
    {
        frameAt(clock.GetElapsedTime(_start));
        inner.Exchange(transmit, receive);
    }

    public void Dispose() => inner.Dispose();
}
