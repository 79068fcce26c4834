namespace Seqs.Simulation;

/// <summary>
/// Something that happens on a <see cref="LinkChannel"/> at a virtual time: a frame arrives (<see cref="Frame"/>
/// holds a pooled copy) or, when <see cref="Frame"/> is null, the frame at the head of the channel's queue has
/// finished serialising. <see cref="Sequence"/> orders events due at the same time by when they were scheduled.
/// </summary>
internal readonly struct WireEvent(TimeSpan time, long sequence, LinkChannel channel, byte[]? frame, int length)
{
    public TimeSpan Time { get; } = time;

    public long Sequence { get; } = sequence;

    public LinkChannel Channel { get; } = channel;

    public byte[]? Frame { get; } = frame;

    public int Length { get; } = length;

    public bool IsBefore(in WireEvent other) =>
        Time < other.Time || (Time == other.Time && Sequence < other.Sequence);
}
