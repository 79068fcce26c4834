namespace Seqs.Tests.Enc28j60;

/// <summary>A clock whose timestamps move only when the test says so; timers are never fired.</summary>
internal sealed class SteppingTimeProvider : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
