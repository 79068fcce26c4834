namespace Seqs.Simulation;

/// <summary>
/// What one direction of a virtual cable does to the frames it carries. Every random decision comes from a
/// <see cref="System.Random"/> seeded with <see cref="Seed"/> and owned by that direction, and each frame consumes
/// the same draws whatever the probabilities are, so a seed replays exactly and raising one probability does not
/// reshuffle the others' decisions.
/// </summary>
/// <remarks>
/// A frame's journey: it waits for the wire (at most <see cref="QueueCapacity"/> frames wait or serialise; a frame
/// that finds the queue full is dropped), serialises at <see cref="BitsPerSecond"/>, then propagates for
/// <see cref="PropagationDelay"/> plus up to <see cref="Jitter"/>. Loss, corruption, duplication and reordering
/// are decided when it enters the wire.
/// </remarks>
public sealed record LinkFaults
{
    /// <summary>A perfect cable: no delay, no loss, unlimited bandwidth.</summary>
    public static readonly LinkFaults None = new();

    /// <summary>
    /// Seeds the direction's random source. The A→B direction of a link (and a switch port's NIC→switch direction)
    /// uses <c>Seed</c>, the other direction <c>Seed + 1</c>, so that the two are independent.
    /// </summary>
    public int Seed { get; init; }

    /// <summary>Probability in [0, 1] that a frame is lost in the medium; it still occupies the wire.</summary>
    public double LossProbability { get; init; }

    /// <summary>Probability in [0, 1] that a frame arrives twice; the copy arrives right after the original.</summary>
    public double DuplicationProbability { get; init; }

    /// <summary>
    /// Probability in [0, 1] that a frame is held back by <see cref="ReorderDelay"/>, so that frames sent after it
    /// within that delay overtake it.
    /// </summary>
    public double ReorderProbability { get; init; }

    /// <summary>The extra delay of a frame chosen for reordering.</summary>
    public TimeSpan ReorderDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Probability in [0, 1] that one random bit of a frame is flipped.</summary>
    public double CorruptionProbability { get; init; }

    /// <summary>Fixed delay from the end of serialisation to arrival.</summary>
    public TimeSpan PropagationDelay { get; init; }

    /// <summary>
    /// Extra delay drawn uniformly from [0, Jitter] per frame. Jitter never reorders: a frame never arrives before
    /// one sent ahead of it (unless that one was held back for reordering).
    /// </summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>
    /// Wire speed in bits per second; 0 means unlimited. A frame of n bytes occupies the wire for n × 8 / rate
    /// seconds (preamble, FCS and inter-frame gap are not counted), and frames queue behind each other.
    /// </summary>
    public long BitsPerSecond { get; init; }

    /// <summary>How many frames may wait for or occupy the wire at once; more are dropped. Matters only with a rate.</summary>
    public int QueueCapacity { get; init; } = 64;

    internal void Validate()
    {
        CheckProbability(LossProbability, nameof(LossProbability));
        CheckProbability(DuplicationProbability, nameof(DuplicationProbability));
        CheckProbability(ReorderProbability, nameof(ReorderProbability));
        CheckProbability(CorruptionProbability, nameof(CorruptionProbability));
        CheckNotNegative(ReorderDelay, nameof(ReorderDelay));
        CheckNotNegative(PropagationDelay, nameof(PropagationDelay));
        CheckNotNegative(Jitter, nameof(Jitter));
        if (BitsPerSecond < 0)
            throw new ArgumentOutOfRangeException(nameof(BitsPerSecond), BitsPerSecond, "The rate must be zero (unlimited) or positive.");
        if (QueueCapacity < 1)
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "The queue must hold at least one frame.");
    }

    private static void CheckProbability(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentOutOfRangeException(name, value, "A probability must be between 0 and 1.");
    }

    private static void CheckNotNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(name, value, "A delay cannot be negative.");
    }
}
