namespace Seqs.Wire;

/// <summary>
/// The 64-bit NTP timestamp (RFC 5905 §6): seconds since the era's epoch in the high 32 bits and a binary fraction
/// of a second in the low 32 bits. Era 0 started 1900-01-01T00:00:00Z; era 1 starts 2036-02-07T06:28:16Z.
/// Differences are taken modulo 2^64 and read as signed, so they are right across an era boundary as long as the
/// two times are within 68 years of each other (RFC 5905 §6).
/// </summary>
public readonly record struct NtpTimestamp(ulong Value)
{
    public static readonly NtpTimestamp Zero = default;

    private static readonly DateTimeOffset s_era0 = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_era1 = s_era0.AddSeconds(1L << 32);

    public uint Seconds => (uint)(Value >> 32);

    /// <summary>The fraction of a second, in units of 2^-32 s (about 233 ps).</summary>
    public uint Fraction => (uint)Value;

    public bool IsZero => Value == 0;

    /// <summary>The NTP timestamp of <paramref name="time"/>, modulo the era (times from 1968 to 2104 round-trip).</summary>
    public static NtpTimestamp FromDateTimeOffset(DateTimeOffset time)
    {
        long ticks = (time - s_era0).Ticks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }
        ulong fraction = ((ulong)remainder << 32) / TimeSpan.TicksPerSecond;
        return new NtpTimestamp(((ulong)seconds << 32) | fraction);
    }

    /// <summary>
    /// RFC 4330 §3: with the top bit of the seconds set the time is in 1968–2036 (era 0), otherwise in 2036–2104
    /// (era 1).
    /// </summary>
    public DateTimeOffset ToDateTimeOffset()
    {
        DateTimeOffset epoch = (Seconds & 0x8000_0000) != 0 ? s_era0 : s_era1;
        return epoch.AddTicks(Seconds * TimeSpan.TicksPerSecond + FractionToTicks(Fraction));
    }

    /// <summary>a − b as a signed interval (RFC 5905 §6: 64-bit two's-complement difference).</summary>
    public static TimeSpan operator -(NtpTimestamp a, NtpTimestamp b)
    {
        long difference = unchecked((long)(a.Value - b.Value));
        long seconds = difference >> 32;
        return new TimeSpan(seconds * TimeSpan.TicksPerSecond + FractionToTicks((uint)difference));
    }

    public override string ToString() => WireText.Invariant($"{ToDateTimeOffset():yyyy-MM-ddTHH:mm:ss.fffffffZ} (0x{Value:x16})");

    private static long FractionToTicks(uint fraction) => (long)(((ulong)fraction * TimeSpan.TicksPerSecond) >> 32);
}
