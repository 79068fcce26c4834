namespace Seqs.Ntp;

/// <summary>Settings of an <see cref="NtpClient"/>.</summary>
public sealed class NtpClientOptions
{
    /// <summary>RFC 4330 §10: "A client MUST NOT under any conditions use a poll interval less than 15 seconds."</summary>
    public static readonly TimeSpan MinimumPollInterval = TimeSpan.FromSeconds(15);

    /// <summary>Time between polls; RFC 5905 §7.3's default minimum poll is 2^6 = 64 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(64);

    /// <summary>
    /// The longest time between polls, reached by doubling after failed polls (RFC 4330 §10: back off
    /// exponentially) or a RATE kiss; RFC 5905 §7.3's default maximum poll is 2^10 = 1024 s.
    /// </summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(1024);

    /// <summary>Requests per poll; the sample with the lowest delay is kept (RFC 5905 §10 clock filter, simplified).</summary>
    public int SamplesPerPoll { get; set; } = 4;

    /// <summary>Time between the requests of a poll; RFC 5905 §13 spaces burst packets 2 s apart.</summary>
    public TimeSpan SampleSpacing { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for each reply.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    internal void Validate()
    {
        if (PollInterval < MinimumPollInterval)
            throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "RFC 4330 §10 forbids polling more often than every 15 seconds.");
        if (MaxPollInterval < PollInterval)
            throw new ArgumentOutOfRangeException(nameof(MaxPollInterval), MaxPollInterval, "The maximum poll interval is below the poll interval.");
        if (SamplesPerPoll is < 1 or > 8)
            throw new ArgumentOutOfRangeException(nameof(SamplesPerPoll), SamplesPerPoll, "From 1 to 8 samples per poll (RFC 5905 §13 bursts send 8).");
        if (SampleSpacing <= TimeSpan.Zero || ResponseTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(SampleSpacing), "The sample spacing and the response timeout must be positive.");
    }
}
