using System.Buffers;
using System.Buffers.Text;

namespace Seqs.Device.Web;

/// <summary>
/// Draws a <see cref="TrafficHistory"/> as an inline SVG: the rates in and out over the window as two polylines on a
/// scale rounded up to 1, 2 or 5 × 10ⁿ bit/s, the latest rates in the legend. Everything in it is a number or a
/// fixed text, so it needs no escaping, and writing it allocates nothing.
/// </summary>
internal static class TrafficChart
{
    private const int Left = 70, Right = 590, Top = 10, Bottom = 140, Width = Right - Left, Height = Bottom - Top;

    /// <summary>The least full scale, so that an idle device draws flat lines rather than noise.</summary>
    private const long MinScaleBitsPerSecond = 1_000;

    public static void Write(TrafficHistory history, IBufferWriter<byte> output)
    {
        long peak = 0;
        for (int i = 0; i < history.Count; i++)
            peak = Math.Max(peak, Math.Max(history.BytesIn(i), history.BytesOut(i)));
        long scale = NiceCeiling(BitsPerSecond(peak));

        output.Write("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 600 170\" role=\"img\" aria-labelledby=\"chartTitle\"><title id=\"chartTitle\">Traffic in and out, the last "u8);
        WriteInteger(output, (long)TrafficHistory.Window.TotalMinutes);
        output.Write(" minutes</title><rect x=\"70\" y=\"10\" width=\"520\" height=\"130\" fill=\"none\" stroke=\"#ccc\"/><line x1=\"70\" y1=\"75\" x2=\"590\" y2=\"75\" stroke=\"#eee\"/><text x=\"64\" y=\"16\" text-anchor=\"end\" font-size=\"12\">"u8);
        WriteRate(output, scale, decimals: false);
        output.Write("</text><text x=\"64\" y=\"144\" text-anchor=\"end\" font-size=\"12\">0</text><text x=\"70\" y=\"158\" font-size=\"12\">"u8);
        WriteInteger(output, (long)TrafficHistory.Window.TotalMinutes);
        output.Write(" min ago</text><text x=\"590\" y=\"158\" text-anchor=\"end\" font-size=\"12\">now</text>"u8);
        output.Write("<polyline id=\"trafficIn\" fill=\"none\" stroke=\"#1e88e5\" stroke-width=\"2\" points=\""u8);
        WritePoints(output, history, scale, incoming: true);
        output.Write("\"/><polyline id=\"trafficOut\" fill=\"none\" stroke=\"#e65100\" stroke-width=\"2\" points=\""u8);
        WritePoints(output, history, scale, incoming: false);
        output.Write("\"/><text x=\"200\" y=\"158\" font-size=\"12\" fill=\"#1e88e5\">in "u8);
        WriteRate(output, history.Count == 0 ? 0 : BitsPerSecond(history.BytesIn(history.Count - 1)), decimals: true);
        output.Write("</text><text x=\"360\" y=\"158\" font-size=\"12\" fill=\"#e65100\">out "u8);
        WriteRate(output, history.Count == 0 ? 0 : BitsPerSecond(history.BytesOut(history.Count - 1)), decimals: true);
        output.Write("</text></svg>"u8);
    }

    /// <summary>The newest sample at the right edge, one step of the full window's width per sample to the left.</summary>
    private static void WritePoints(IBufferWriter<byte> output, TrafficHistory history, long scale, bool incoming)
    {
        for (int i = 0; i < history.Count; i++)
        {
            long bits = BitsPerSecond(incoming ? history.BytesIn(i) : history.BytesOut(i));
            long x = Right - (long)(history.Count - 1 - i) * Width / (TrafficHistory.Capacity - 1);
            long y = Bottom - bits * Height / scale;
            if (i > 0)
                output.Write(" "u8);
            WriteInteger(output, x);
            output.Write(","u8);
            WriteInteger(output, y);
        }
    }

    private static long BitsPerSecond(long bytesPerInterval) => bytesPerInterval * 8 * TimeSpan.TicksPerSecond / TrafficHistory.Interval.Ticks;

    /// <summary>The least of 1, 2 and 5 × 10ⁿ at or above <paramref name="bitsPerSecond"/>.</summary>
    internal static long NiceCeiling(long bitsPerSecond)
    {
        long decade = MinScaleBitsPerSecond;
        while (true)
        {
            foreach (long step in (ReadOnlySpan<long>)[1, 2, 5])
            {
                if (step * decade >= bitsPerSecond)
                    return step * decade;
            }
            decade *= 10;
        }
    }

    /// <summary>"500 kbit/s", or with decimals "1.2 Mbit/s".</summary>
    private static void WriteRate(IBufferWriter<byte> output, long bitsPerSecond, bool decimals)
    {
        int prefix = bitsPerSecond >= 1_000_000_000 ? 3 : bitsPerSecond >= 1_000_000 ? 2 : bitsPerSecond >= 1_000 ? 1 : 0;
        long divisor = prefix switch { 3 => 1_000_000_000, 2 => 1_000_000, 1 => 1_000, _ => 1 };
        ReadOnlySpan<byte> unit = prefix switch { 3 => " Gbit/s"u8, 2 => " Mbit/s"u8, 1 => " kbit/s"u8, _ => " bit/s"u8 };
        Span<byte> digits = output.GetSpan(32);
        int length;
        if (decimals && divisor > 1)
            Utf8Formatter.TryFormat((double)bitsPerSecond / divisor, digits, out length, new StandardFormat('F', 1));
        else
            Utf8Formatter.TryFormat(bitsPerSecond / divisor, digits, out length);
        output.Advance(length);
        output.Write(unit);
    }

    private static void WriteInteger(IBufferWriter<byte> output, long value)
    {
        Utf8Formatter.TryFormat(value, output.GetSpan(20), out int length);
        output.Advance(length);
    }
}
