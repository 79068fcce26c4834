using System.Globalization;
using System.Text;

namespace Seqs.Diagnostics;

/// <summary>
/// Text a peer chose (an SSID, a DHCP domain name, an HTTP request target), made safe to print on a terminal or
/// write to a log: printable UTF-8 stays as it is; control characters (C0 with ESC, DEL, C1), format characters
/// (such as bidirectional overrides), line and paragraph separators, unassigned and private-use code points and
/// bytes that are not valid UTF-8 (RFC 3629 §4) become <c>\xNN</c> per byte; a backslash is doubled, so the
/// result reads back unambiguously. A hostile name can then neither move the cursor, recolour or clear the screen,
/// nor forge a line of the log.
/// </summary>
public static class PeerText
{
    public static string Escape(string text) => Escape(Encoding.UTF8.GetBytes(text));

    public static string Escape(ReadOnlySpan<byte> utf8)
    {
        var escaped = new StringBuilder(utf8.Length);
        int i = 0;
        while (i < utf8.Length)
        {
            int length = DecodeScalar(utf8[i..], out int scalar);
            if (length == 0 || !IsPrintable(scalar))
            {
                // Invalid UTF-8 shows its first byte only and resynchronises on the next.
                int shown = length == 0 ? 1 : length;
                foreach (byte b in utf8.Slice(i, shown))
                    escaped.Append("\\x").Append(b.ToString("X2", CultureInfo.InvariantCulture));
                i += shown;
                continue;
            }
            if (scalar == '\\')
                escaped.Append("\\\\");
            else
                escaped.Append(char.ConvertFromUtf32(scalar));
            i += length;
        }
        return escaped.ToString();
    }

    /// <summary>
    /// RFC 3629 §4: the length of the well-formed UTF-8 sequence at the start of <paramref name="bytes"/> and its
    /// scalar value, or 0 when it is not one (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF
    /// or cut short).
    /// </summary>
    private static int DecodeScalar(ReadOnlySpan<byte> bytes, out int scalar)
    {
        byte lead = bytes[0];
        (int length, int min, scalar) = lead switch
        {
            < 0x80 => (1, 0, lead),
            >= 0xC2 and <= 0xDF => (2, 0x80, lead & 0x1F),
            >= 0xE0 and <= 0xEF => (3, 0x800, lead & 0x0F),
            >= 0xF0 and <= 0xF4 => (4, 0x10000, lead & 0x07),
            _ => (0, 0, 0),
        };
        if (length == 0 || length > bytes.Length)
            return 0;
        for (int k = 1; k < length; k++)
        {
            if ((bytes[k] & 0xC0) != 0x80)
                return 0;
            scalar = (scalar << 6) | (bytes[k] & 0x3F);
        }
        if (scalar < min || scalar > 0x10FFFF || scalar is >= 0xD800 and <= 0xDFFF)
            return 0;
        return length;
    }

    private static bool IsPrintable(int scalar)
    {
        UnicodeCategory category = scalar < 0x10000
            ? CharUnicodeInfo.GetUnicodeCategory((char)scalar)
            : CharUnicodeInfo.GetUnicodeCategory(char.ConvertFromUtf32(scalar), 0);
        return category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned);
    }
}
