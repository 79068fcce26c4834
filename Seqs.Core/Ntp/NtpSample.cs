namespace Seqs.Ntp;

/// <summary>
/// One request and reply (RFC 5905 §8): <see cref="Offset"/> θ = ((T2 − T1) + (T3 − T4)) / 2, how far the local
/// clock is behind the server's, and <see cref="Delay"/> δ = (T4 − T1) − (T3 − T2), the round trip without the
/// server's own time. <see cref="LocalTime"/> is T4 on the local clock.
/// </summary>
public readonly record struct NtpSample(TimeSpan Offset, TimeSpan Delay, byte Stratum, DateTimeOffset LocalTime);
