using System.Text;

namespace Seqs.Wire;

/// <summary>
/// A domain name inside a DNS message (RFC 1035 §3.1, §4.1.4): labels, each a length octet and that many octets,
/// ending with the zero-length root label, where a run of labels may end with a pointer to a prior occurrence.
/// A name from <see cref="TryCreate"/> (or from a <see cref="DnsMessage"/> that parsed) is known to be well
/// formed, so walking it cannot fail or loop. Comparisons are ASCII case-insensitive (RFC 1035 §2.3.3, RFC 4343).
/// The same methods serve uncompressed names in their own buffer, such as <see cref="TryEncode"/> writes.
/// </summary>
public readonly ref struct DnsName
{
    /// <summary>RFC 1035 §2.3.4: 255 octets or less, counting the length octets and the root label.</summary>
    public const int MaxLength = 255;

    /// <summary>RFC 1035 §2.3.4: 63 octets or less per label.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>RFC 1035 §4.1.4: the top two bits of a length octet: 00 a label, 11 a pointer; 01 and 10 are reserved.</summary>
    private const byte LabelTypeMask = 0xC0;
    private const byte PointerType = 0xC0;
    private const int PointerLength = 2;

    private readonly ReadOnlySpan<byte> _message;

    private DnsName(ReadOnlySpan<byte> message, int offset)
    {
        _message = message;
        Offset = offset;
    }

    /// <summary>Where the name starts in its message.</summary>
    public int Offset { get; }

    /// <summary>Octets of the name written out without compression, root label included (1 for the root).</summary>
    public int WireLength
    {
        get
        {
            int position = Offset;
            int length = 1;
            int labelLength;
            while ((labelLength = NextLabel(_message, ref position, out _)) != 0)
                length += 1 + labelLength;
            return length;
        }
    }

    /// <summary>
    /// Checks the name at <paramref name="offset"/> and gives the offset just past it in place (after its root
    /// label or first pointer). False with a reason when it runs past the message, is too long, uses a reserved
    /// label type or a pointer that does not point back (RFC 1035 §4.1.4).
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<byte> message, int offset, out DnsName name, out int end, out WireRejection rejection)
    {
        rejection = Check(message, offset, out end);
        name = rejection == WireRejection.None ? new DnsName(message, offset) : default;
        return rejection == WireRejection.None;
    }

    /// <summary>For names already checked, such as those of a parsed <see cref="DnsMessage"/>.</summary>
    internal static DnsName Unchecked(ReadOnlySpan<byte> message, int offset) => new(message, offset);

    /// <summary>
    /// Writes <paramref name="text"/> ("host.example.com", a trailing dot allowed, "." or "" for the root) as an
    /// uncompressed name. False when it is not a valid name: an empty or over-long label, over 255 octets, a
    /// character outside printable ASCII, or a destination too short.
    /// </summary>
    public static bool TryEncode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        if (text.Length > 0 && text[^1] == '.')
            text = text[..^1];
        int position = 0;
        while (text.Length > 0)
        {
            int dot = text.IndexOf('.');
            ReadOnlySpan<char> label = dot < 0 ? text : text[..dot];
            if (label.Length == 0 || label.Length > MaxLabelLength || position + 1 + label.Length >= destination.Length)
                return false;
            destination[position++] = (byte)label.Length;
            foreach (char c in label)
            {
                if (c <= ' ' || c > '~')
                    return false;
                destination[position++] = (byte)c;
            }
            text = dot < 0 ? default : text[(dot + 1)..];
            if (dot >= 0 && text.Length == 0)
                return false;
        }
        if (position + 1 > MaxLength || position >= destination.Length)
            return false;
        destination[position++] = 0;
        written = position;
        return true;
    }

    /// <summary>The uncompressed form of a valid name, or null for an invalid one; for setting up, not for hot paths.</summary>
    public static byte[]? Encode(string text)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        return TryEncode(text, buffer, out int written) ? buffer[..written].ToArray() : null;
    }

    /// <summary>True when both names have the same labels, ignoring ASCII case.</summary>
    public bool NameEquals(DnsName other) => NamesEqual(_message, Offset, other._message, other.Offset);

    /// <summary>True when this name equals the uncompressed, valid name <paramref name="wireName"/>.</summary>
    public bool NameEquals(ReadOnlySpan<byte> wireName) => NamesEqual(_message, Offset, wireName, 0);

    /// <summary>Writes the name uncompressed and returns its <see cref="WireLength"/>; false if it does not fit.</summary>
    public bool TryCopyTo(Span<byte> destination, out int written)
    {
        written = 0;
        int position = Offset;
        while (true)
        {
            int labelLength = NextLabel(_message, ref position, out int start);
            if (written + 1 + labelLength > destination.Length)
            {
                written = 0;
                return false;
            }
            destination[written++] = (byte)labelLength;
            if (labelLength == 0)
                return true;
            _message.Slice(start, labelLength).CopyTo(destination[written..]);
            written += labelLength;
        }
    }

    /// <summary>Dotted text ("host.example.com"; "." for the root). Octets outside printable ASCII, dots and backslashes inside a label are escaped as \DDD (RFC 1035 §5.1).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        int position = Offset;
        int labelLength;
        while ((labelLength = NextLabel(_message, ref position, out int start)) != 0)
        {
            if (text.Length > 0)
                text.Append('.');
            foreach (byte b in _message.Slice(start, labelLength))
            {
                if (b > ' ' && b < 0x7F && b != '.' && b != '\\')
                    text.Append((char)b);
                else
                    text.Append('\\').Append(((int)b).ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return text.Length == 0 ? "." : text.ToString();
    }

    /// <summary>
    /// Walks a name without trusting it. RFC 1035 §4.1.4 lets a pointer name "a prior occurance of the same name";
    /// Seqs requires each pointer to point before the start of the label run it ends, so the runs start ever
    /// earlier and a loop cannot be built. The 255-octet limit (RFC 1035 §2.3.4) applies to the name as read.
    /// </summary>
    private static WireRejection Check(ReadOnlySpan<byte> message, int offset, out int end)
    {
        end = -1;
        if ((uint)offset >= (uint)message.Length)
            return WireRejection.Truncated;
        int position = offset;
        int runStart = offset;
        int length = 1;
        while (true)
        {
            if (position >= message.Length)
                return WireRejection.Truncated;
            byte octet = message[position];
            switch (octet & LabelTypeMask)
            {
                case 0:
                    if (octet == 0)
                    {
                        if (end < 0)
                            end = position + 1;
                        return WireRejection.None;
                    }
                    // The label and the octet after it (the next length, pointer or root) must be in the message.
                    if (position + 1 + octet >= message.Length)
                        return WireRejection.BadLabel;
                    length += 1 + octet;
                    if (length > MaxLength)
                        return WireRejection.NameTooLong;
                    position += 1 + octet;
                    break;
                case PointerType:
                    if (position + PointerLength > message.Length)
                        return WireRejection.Truncated;
                    int target = ((octet & ~LabelTypeMask) << 8) | message[position + 1];
                    if (end < 0)
                        end = position + PointerLength;
                    if (target >= runStart)
                        return WireRejection.BadCompressionPointer;
                    position = runStart = target;
                    break;
                default:
                    return WireRejection.BadLabel;
            }
        }
    }

    /// <summary>Steps to the next label of a checked name, following pointers; returns its length, 0 at the root.</summary>
    private static int NextLabel(ReadOnlySpan<byte> message, ref int position, out int start)
    {
        byte octet = message[position];
        while ((octet & LabelTypeMask) == PointerType)
        {
            position = ((octet & ~LabelTypeMask) << 8) | message[position + 1];
            octet = message[position];
        }
        start = position + 1;
        position = start + octet;
        return octet;
    }

    private static bool NamesEqual(ReadOnlySpan<byte> a, int positionA, ReadOnlySpan<byte> b, int positionB)
    {
        while (true)
        {
            int lengthA = NextLabel(a, ref positionA, out int startA);
            int lengthB = NextLabel(b, ref positionB, out int startB);
            if (lengthA != lengthB)
                return false;
            if (lengthA == 0)
                return true;
            for (int i = 0; i < lengthA; i++)
            {
                if (FoldCase(a[startA + i]) != FoldCase(b[startB + i]))
                    return false;
            }
        }
    }

    /// <summary>RFC 4343 §3: only the ASCII letters compare without regard to case.</summary>
    private static byte FoldCase(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
}
