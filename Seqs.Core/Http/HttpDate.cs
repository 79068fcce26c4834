namespace Seqs.Http;

/// <summary>
/// The Date field value in IMF-fixdate form (RFC 9110 §5.6.7: "Sun, 06 Nov 1994 08:49:37 GMT"), formatted at most
/// once per second into a buffer that is reused.
/// </summary>
internal sealed class HttpDate
{
    public const int Length = 29;

    private readonly byte[] _value = new byte[Length];
    private long _second = long.MinValue;

    public ReadOnlySpan<byte> Format(DateTimeOffset now)
    {
        long second = now.UtcTicks / TimeSpan.TicksPerSecond;
        if (second != _second)
        {
            _second = second;
            Write(now.UtcDateTime, _value);
        }
        return _value;
    }

    public static void Write(DateTime utc, Span<byte> destination)
    {
        ReadOnlySpan<byte> days = "SunMonTueWedThuFriSat"u8;
        ReadOnlySpan<byte> months = "JanFebMarAprMayJunJulAugSepOctNovDec"u8;
        days.Slice((int)utc.DayOfWeek * 3, 3).CopyTo(destination);
        destination[3] = (byte)',';
        destination[4] = (byte)' ';
        TwoDigits(utc.Day, destination[5..]);
        destination[7] = (byte)' ';
        months.Slice((utc.Month - 1) * 3, 3).CopyTo(destination[8..]);
        destination[11] = (byte)' ';
        TwoDigits(utc.Year / 100, destination[12..]);
        TwoDigits(utc.Year % 100, destination[14..]);
        destination[16] = (byte)' ';
        TwoDigits(utc.Hour, destination[17..]);
        destination[19] = (byte)':';
        TwoDigits(utc.Minute, destination[20..]);
        destination[22] = (byte)':';
        TwoDigits(utc.Second, destination[23..]);
        " GMT"u8.CopyTo(destination[25..]);
    }

    private static void TwoDigits(int value, Span<byte> destination)
    {
        destination[0] = (byte)('0' + value / 10);
        destination[1] = (byte)('0' + value % 10);
    }
}
