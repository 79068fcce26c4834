namespace Seqs.Http;

/// <summary>
/// Parses request heads, chunk-size lines and trailer sections (RFC 9112) in place: results are offsets into the
/// caller's buffer, so nothing is allocated. Each method keeps need-more-bytes, malformed and success apart; on
/// <see cref="HttpParseStatus.NeedMoreData"/> nothing is consumed and the caller parses again with more bytes.
/// </summary>
internal static class HttpRequestParser
{
    /// <summary>Longest chunk-size line (size, extensions, CRLF) accepted; extensions are ignored, so a long one is an attack.</summary>
    public const int MaxChunkLineLength = 1024;

    private const byte ByteCR = (byte)'\r';
    private const byte ByteLF = (byte)'\n';
    private const byte ByteSpace = (byte)' ';
    private const byte ByteTab = (byte)'\t';
    private const byte ByteColon = (byte)':';
    private const byte ByteSlash = (byte)'/';
    private const byte ByteQuestion = (byte)'?';
    private const byte ByteSemicolon = (byte)';';
    private const byte ByteComma = (byte)',';

    /// <summary>
    /// Parses one request head at the start of <paramref name="buffer"/>. On success <paramref name="consumed"/>
    /// covers it (and any empty lines before it) and <paramref name="head"/> holds offsets into <paramref name="buffer"/>.
    /// </summary>
    public static HttpParseStatus TryParseHead(ReadOnlySpan<byte> buffer, HttpRequestHead head, HttpServerOptions limits, out int consumed, out HttpRequestRejection rejection)
    {
        HttpHeadScan scan = default;
        return TryParseHead(buffer, head, limits, ref scan, out consumed, out rejection);
    }

    /// <summary>
    /// Parses one request head at the start of <paramref name="buffer"/>, resuming the search for its end where
    /// <paramref name="scan"/> says the last call with a prefix of the same bytes stopped; so a head that arrives a
    /// byte at a time costs time linear in its length. Start each head with a <c>default</c> scan.
    /// </summary>
    public static HttpParseStatus TryParseHead(ReadOnlySpan<byte> buffer, HttpRequestHead head, HttpServerOptions limits, ref HttpHeadScan scan, out int consumed, out HttpRequestRejection rejection)
    {
        consumed = 0;
        rejection = HttpRequestRejection.None;
        if (!scan.RequestLineFound)
        {
            // RFC 9112 §2.2: a server SHOULD ignore at least one empty line (CRLF) received before the request-line.
            while (scan.Start + 1 < buffer.Length && buffer[scan.Start] == ByteCR && buffer[scan.Start + 1] == ByteLF)
                scan.Start += 2;
            scan.LineStart = scan.Start;
            scan.Searched = Math.Max(scan.Searched, scan.Start);
            int lf = scan.FindLineFeed(buffer);
            if (lf < 0)
            {
                if (buffer.Length - scan.Start >= limits.MaxRequestLineLength)
                    return Reject(HttpRequestRejection.RequestLineTooLong, out rejection);
                return HttpParseStatus.NeedMoreData;
            }
            if (lf + 1 - scan.Start > limits.MaxRequestLineLength)
                return Reject(HttpRequestRejection.RequestLineTooLong, out rejection);
            scan.RequestLineFound = true;
            scan.RequestLineEnd = lf;
            scan.LineStart = scan.Searched = lf + 1;
        }
        int start = scan.Start;
        int requestLineEnd = scan.RequestLineEnd;

        // The head ends at the first empty line after the request-line.
        int headEnd = -1;
        while (true)
        {
            int lf = scan.FindLineFeed(buffer);
            if (lf < 0)
                break;
            int lineLength = lf - scan.LineStart;
            if (lineLength == 0 || (lineLength == 1 && buffer[scan.LineStart] == ByteCR))
            {
                headEnd = lf + 1;
                break;
            }
            scan.LineStart = scan.Searched = lf + 1;
        }
        if (headEnd < 0)
        {
            if (buffer.Length - start >= limits.MaxRequestHeadersSize)
                return Reject(HttpRequestRejection.HeadersTooLarge, out rejection);
            return HttpParseStatus.NeedMoreData;
        }
        if (headEnd - start > limits.MaxRequestHeadersSize)
            return Reject(HttpRequestRejection.HeadersTooLarge, out rejection);

        head.Reset();
        rejection = ParseRequestLine(buffer, start, requestLineEnd, head, out bool knownMethod);
        if (rejection == HttpRequestRejection.None)
            rejection = ParseFields(buffer, requestLineEnd + 1, headEnd, head, limits);
        if (rejection == HttpRequestRejection.None && !knownMethod)
            rejection = HttpRequestRejection.UnknownMethod;
        if (rejection != HttpRequestRejection.None)
            return HttpParseStatus.Rejected;
        consumed = headEnd;
        return HttpParseStatus.Complete;
    }

    /// <summary>
    /// Parses chunk-size [chunk-ext] CRLF (RFC 9112 §7.1); extensions are checked for stray control bytes and
    /// otherwise ignored, as §7.1.1 lets a recipient do.
    /// </summary>
    public static HttpParseStatus TryParseChunkSize(ReadOnlySpan<byte> buffer, out long size, out int consumed, out HttpRequestRejection rejection)
    {
        size = 0;
        consumed = 0;
        rejection = HttpRequestRejection.None;
        int lf = buffer.IndexOf(ByteLF);
        if (lf < 0)
            return buffer.Length >= MaxChunkLineLength ? Reject(HttpRequestRejection.InvalidChunkSize, out rejection) : HttpParseStatus.NeedMoreData;
        if (lf + 1 > MaxChunkLineLength || lf == 0 || buffer[lf - 1] != ByteCR)
            return Reject(HttpRequestRejection.InvalidChunkSize, out rejection);
        ReadOnlySpan<byte> line = buffer[..(lf - 1)];
        int i = 0;
        int significantDigits = 0;
        for (; i < line.Length; i++)
        {
            int digit = HexValue(line[i]);
            if (digit < 0)
                break;
            if (significantDigits > 0 || digit != 0)
                significantDigits++;
            // Fifteen hex digits keep the size below 2^60, far past any limit, and the sum cannot overflow a long.
            if (significantDigits > 15)
                return Reject(HttpRequestRejection.InvalidChunkSize, out rejection);
            size = (size << 4) | (uint)digit;
        }
        if (i == 0)
            return Reject(HttpRequestRejection.InvalidChunkSize, out rejection);
        // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
        while (i < line.Length && line[i] is ByteSpace or ByteTab)
            i++;
        if (i < line.Length)
        {
            if (line[i] != ByteSemicolon)
                return Reject(HttpRequestRejection.InvalidChunkSize, out rejection);
            for (; i < line.Length; i++)
            {
                if (!IsFieldValueByte(line[i]))
                    return Reject(HttpRequestRejection.InvalidChunkSize, out rejection);
            }
        }
        consumed = lf + 1;
        return HttpParseStatus.Complete;
    }

    /// <summary>
    /// Parses a trailer-section and the CRLF that ends the chunked body (RFC 9112 §7.1.2). The fields are checked
    /// and discarded: §7.1.2 lets a recipient discard fields it does not process.
    /// </summary>
    public static HttpParseStatus TryParseTrailers(ReadOnlySpan<byte> buffer, int maxSize, out int consumed, out HttpRequestRejection rejection)
    {
        consumed = 0;
        rejection = HttpRequestRejection.None;
        int lineStart = 0;
        while (true)
        {
            int lf = buffer[lineStart..].IndexOf(ByteLF);
            if (lf < 0)
                return buffer.Length >= maxSize ? Reject(HttpRequestRejection.HeadersTooLarge, out rejection) : HttpParseStatus.NeedMoreData;
            int lineEnd = lineStart + lf;
            if (lineEnd + 1 > maxSize)
                return Reject(HttpRequestRejection.HeadersTooLarge, out rejection);
            if (lf == 0 || buffer[lineEnd - 1] != ByteCR)
                return Reject(HttpRequestRejection.InvalidHeader, out rejection);
            if (lf == 1)
            {
                consumed = lineEnd + 1;
                return HttpParseStatus.Complete;
            }
            rejection = ParseFieldLine(buffer[lineStart..(lineEnd - 1)], out _, out _);
            if (rejection != HttpRequestRejection.None)
                return HttpParseStatus.Rejected;
            lineStart = lineEnd + 1;
        }
    }

    /// <summary>RFC 9110 §5.6.2: tchar.</summary>
    public static bool IsTokenByte(byte b) => b switch
    {
        >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' => true,
        (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
            or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~' => true,
        _ => false,
    };

    /// <summary>RFC 9110 §5.5: field-vchar, SP or HTAB; CR, LF, NUL and other controls are refused.</summary>
    public static bool IsFieldValueByte(byte b) => (b >= 0x20 && b != 0x7F) || b == ByteTab;

    /// <summary>ASCII case-insensitive equality of a field name or token with a lowercase constant.</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> value, ReadOnlySpan<byte> lowercase)
    {
        if (value.Length != lowercase.Length)
            return false;
        for (int i = 0; i < value.Length; i++)
        {
            byte b = value[i];
            if (b is >= (byte)'A' and <= (byte)'Z')
                b |= 0x20;
            if (b != lowercase[i])
                return false;
        }
        return true;
    }

    /// <summary>ASCII case-insensitive equality of a field name with a name the application gave.</summary>
    public static bool EqualsIgnoreCaseAscii(ReadOnlySpan<byte> value, ReadOnlySpan<byte> other)
    {
        if (value.Length != other.Length)
            return false;
        for (int i = 0; i < value.Length; i++)
        {
            if (LowerAscii(value[i]) != LowerAscii(other[i]))
                return false;
        }
        return true;
    }

    private static byte LowerAscii(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;

    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> value)
    {
        int start = 0;
        int end = value.Length;
        while (start < end && value[start] is ByteSpace or ByteTab)
            start++;
        while (end > start && value[end - 1] is ByteSpace or ByteTab)
            end--;
        return value[start..end];
    }

    private static HttpRequestRejection ParseRequestLine(ReadOnlySpan<byte> buffer, int start, int lf, HttpRequestHead head, out bool knownMethod)
    {
        knownMethod = false;
        // RFC 9112 §2.2 lets a recipient take a bare LF as a line end; this server does not, so that a request
        // cannot be framed differently here and in a proxy in front of it.
        if (lf == start || buffer[lf - 1] != ByteCR)
            return HttpRequestRejection.InvalidRequestLine;
        ReadOnlySpan<byte> line = buffer[start..(lf - 1)];

        // RFC 9112 §3: request-line = method SP request-target SP HTTP-version; no other whitespace is allowed.
        int methodLength = 0;
        while (methodLength < line.Length && IsTokenByte(line[methodLength]))
            methodLength++;
        if (methodLength == 0 || methodLength == line.Length || line[methodLength] != ByteSpace)
            return HttpRequestRejection.InvalidRequestLine;
        knownMethod = TryGetMethod(line[..methodLength], out HttpRequestMethod method);
        head.Method = method;

        int targetStart = methodLength + 1;
        int targetEnd = targetStart;
        while (targetEnd < line.Length && line[targetEnd] != ByteSpace)
        {
            // RFC 9112 §3.2 / RFC 3986: the target is visible ASCII; anything else (controls, DEL, non-ASCII) is refused.
            if (line[targetEnd] is <= 0x20 or >= 0x7F)
                return HttpRequestRejection.InvalidRequestTarget;
            targetEnd++;
        }
        if (targetEnd == targetStart || targetEnd == line.Length)
            return HttpRequestRejection.InvalidRequestLine;

        ReadOnlySpan<byte> version = line[(targetEnd + 1)..];
        // RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive.
        if (version.Length != 8 || !version[..5].SequenceEqual("HTTP/"u8) || version[6] != (byte)'.'
            || !IsDigit(version[5]) || !IsDigit(version[7]))
            return HttpRequestRejection.InvalidVersion;
        if (version[5] != (byte)'1')
            return HttpRequestRejection.UnsupportedVersion;
        // RFC 9110 §2.5: a higher minor version is handled as the highest this server implements.
        head.MinorVersion = version[7] == (byte)'0' ? 0 : 1;

        int offset = start;
        return ParseTarget(line[targetStart..targetEnd], offset + targetStart, head, method, knownMethod);
    }

    private static HttpRequestRejection ParseTarget(ReadOnlySpan<byte> target, int offset, HttpRequestHead head, HttpRequestMethod method, bool knownMethod)
    {
        head.Target = new TextRange(offset, target.Length);
        int pathStart;
        if (target[0] == ByteSlash)
        {
            // RFC 9112 §3.2.1: origin-form = absolute-path [ "?" query ].
            pathStart = 0;
        }
        else if (target.Length == 1 && target[0] == (byte)'*')
        {
            // RFC 9112 §3.2.4: asterisk-form, only for a server-wide OPTIONS.
            if (knownMethod && method != HttpRequestMethod.Options)
                return HttpRequestRejection.InvalidRequestTarget;
            head.Path = new TextRange(offset, 1);
            head.Query = new TextRange(offset + 1, 0);
            return HttpRequestRejection.None;
        }
        else
        {
            // RFC 9112 §3.2.2: a server MUST accept the absolute-form; its path is what is routed.
            int schemeEnd = target.IndexOf("://"u8);
            if (schemeEnd <= 0 || !(EqualsIgnoreCase(target[..schemeEnd], "http"u8) || EqualsIgnoreCase(target[..schemeEnd], "https"u8)))
                return HttpRequestRejection.InvalidRequestTarget;
            int authorityStart = schemeEnd + 3;
            int authorityLength = target[authorityStart..].IndexOfAny(ByteSlash, ByteQuestion);
            if (authorityLength == 0)
                return HttpRequestRejection.InvalidRequestTarget;
            pathStart = authorityLength < 0 ? target.Length : authorityStart + authorityLength;
        }
        int question = target[pathStart..].IndexOf(ByteQuestion);
        int pathEnd = question < 0 ? target.Length : pathStart + question;
        head.Path = new TextRange(offset + pathStart, pathEnd - pathStart);
        head.Query = question < 0 ? new TextRange(offset + target.Length, 0) : new TextRange(offset + pathEnd + 1, target.Length - pathEnd - 1);
        return HttpRequestRejection.None;
    }

    private static HttpRequestRejection ParseFields(ReadOnlySpan<byte> buffer, int start, int headEnd, HttpRequestHead head, HttpServerOptions limits)
    {
        int hostCount = 0;
        bool hasTransferEncoding = false;
        bool chunkedLast = false;
        bool chunkedSeen = false;
        bool otherCoding = false;
        bool close = false;
        bool keepAliveToken = false;
        bool unsupportedExpectation = false;
        int lineStart = start;
        while (true)
        {
            int lineEnd = lineStart + buffer[lineStart..headEnd].IndexOf(ByteLF);
            if (lineEnd == lineStart || buffer[lineEnd - 1] != ByteCR)
                return HttpRequestRejection.InvalidHeader;
            if (lineEnd == lineStart + 1)
                break;
            if (head.IsFull)
                return HttpRequestRejection.TooManyHeaders;
            HttpRequestRejection fieldRejection = ParseFieldLine(buffer[lineStart..(lineEnd - 1)], out TextRange name, out TextRange value);
            if (fieldRejection != HttpRequestRejection.None)
                return fieldRejection;
            name = new TextRange(lineStart + name.Start, name.Length);
            value = new TextRange(lineStart + value.Start, value.Length);
            head.AddField(name, value);

            ReadOnlySpan<byte> n = name.Of(buffer);
            ReadOnlySpan<byte> v = value.Of(buffer);
            if (EqualsIgnoreCase(n, "host"u8))
            {
                hostCount++;
            }
            else if (EqualsIgnoreCase(n, "content-length"u8))
            {
                // RFC 9110 §8.6: Content-Length = 1*DIGIT. RFC 9112 §6.3 rule 5: several differing values, or an
                // invalid one, are an unrecoverable error.
                if (!TryParseContentLength(v, out long length) || (head.ContentLength >= 0 && head.ContentLength != length))
                    return HttpRequestRejection.InvalidContentLength;
                head.ContentLength = length;
            }
            else if (EqualsIgnoreCase(n, "transfer-encoding"u8))
            {
                hasTransferEncoding = true;
                foreach (TextRange coding in new ListElements(v))
                {
                    if (EqualsIgnoreCase(coding.Of(v), "chunked"u8))
                    {
                        // RFC 9112 §6.1: a sender MUST NOT apply chunked more than once.
                        if (chunkedSeen)
                            return HttpRequestRejection.ChunkedNotFinal;
                        chunkedSeen = true;
                        chunkedLast = true;
                    }
                    else
                    {
                        otherCoding = true;
                        chunkedLast = false;
                    }
                }
            }
            else if (EqualsIgnoreCase(n, "connection"u8))
            {
                foreach (TextRange option in new ListElements(v))
                {
                    if (EqualsIgnoreCase(option.Of(v), "close"u8))
                        close = true;
                    else if (EqualsIgnoreCase(option.Of(v), "keep-alive"u8))
                        keepAliveToken = true;
                }
            }
            else if (EqualsIgnoreCase(n, "expect"u8))
            {
                if (EqualsIgnoreCase(v, "100-continue"u8))
                    head.ExpectContinue = true;
                else
                    unsupportedExpectation = true;
            }
            lineStart = lineEnd + 1;
        }

        // RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request that lacks Host or has more than one.
        if (hostCount > 1 || (hostCount == 0 && head.MinorVersion == 1))
            return HttpRequestRejection.InvalidHost;
        if (hasTransferEncoding)
        {
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing.
            if (head.MinorVersion == 0)
                return HttpRequestRejection.TransferEncodingInHttp10;
            // RFC 9112 §6.1: a server MAY reject a request with both; doing so leaves no room for request smuggling.
            if (head.ContentLength >= 0)
                return HttpRequestRejection.ContentLengthWithTransferEncoding;
            // RFC 9112 §6.3 rule 4: chunked not final means the length cannot be determined: 400.
            if (!chunkedLast)
                return HttpRequestRejection.ChunkedNotFinal;
            // RFC 9112 §6.1: a coding the server does not understand SHOULD get 501.
            if (otherCoding)
                return HttpRequestRejection.UnsupportedTransferCoding;
            head.IsChunked = true;
        }
        if (head.ContentLength > limits.MaxRequestBodySize)
            return HttpRequestRejection.BodyTooLarge;
        // RFC 9110 §10.1.1: a server that receives 100-continue in an HTTP/1.0 request MUST ignore it.
        if (head.MinorVersion == 0)
            head.ExpectContinue = false;
        else if (unsupportedExpectation)
            return HttpRequestRejection.UnsupportedExpectation;
        // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 persists only with "keep-alive".
        head.KeepAlive = !close && (head.MinorVersion == 1 || keepAliveToken);
        return HttpRequestRejection.None;
    }

    /// <summary>field-line = field-name ":" OWS field-value OWS, without its CRLF; ranges are relative to <paramref name="line"/>.</summary>
    internal static HttpRequestRejection ParseFieldLine(ReadOnlySpan<byte> line, out TextRange name, out TextRange value)
    {
        name = value = default;
        // RFC 9112 §5.2: obs-fold (a line starting with whitespace) is refused.
        if (line[0] is ByteSpace or ByteTab)
            return HttpRequestRejection.ObsoleteLineFolding;
        int colon = 0;
        while (colon < line.Length && IsTokenByte(line[colon]))
            colon++;
        if (colon == line.Length || colon == 0)
            return HttpRequestRejection.InvalidHeader;
        if (line[colon] != ByteColon)
        {
            int after = colon;
            while (after < line.Length && line[after] is ByteSpace or ByteTab)
                after++;
            return after > colon && after < line.Length && line[after] == ByteColon
                ? HttpRequestRejection.WhitespaceBeforeColon
                : HttpRequestRejection.InvalidHeader;
        }
        int valueStart = colon + 1;
        int valueEnd = line.Length;
        while (valueStart < valueEnd && line[valueStart] is ByteSpace or ByteTab)
            valueStart++;
        while (valueEnd > valueStart && line[valueEnd - 1] is ByteSpace or ByteTab)
            valueEnd--;
        for (int i = valueStart; i < valueEnd; i++)
        {
            if (!IsFieldValueByte(line[i]))
                return HttpRequestRejection.InvalidHeader;
        }
        name = new TextRange(0, colon);
        value = new TextRange(valueStart, valueEnd - valueStart);
        return HttpRequestRejection.None;
    }

    private static bool TryGetMethod(ReadOnlySpan<byte> token, out HttpRequestMethod method)
    {
        // RFC 9110 §9.1: the method token is case-sensitive.
        method = token switch
        {
            _ when token.SequenceEqual("GET"u8) => HttpRequestMethod.Get,
            _ when token.SequenceEqual("HEAD"u8) => HttpRequestMethod.Head,
            _ when token.SequenceEqual("POST"u8) => HttpRequestMethod.Post,
            _ when token.SequenceEqual("PUT"u8) => HttpRequestMethod.Put,
            _ when token.SequenceEqual("DELETE"u8) => HttpRequestMethod.Delete,
            _ when token.SequenceEqual("OPTIONS"u8) => HttpRequestMethod.Options,
            _ when token.SequenceEqual("TRACE"u8) => HttpRequestMethod.Trace,
            _ when token.SequenceEqual("PATCH"u8) => HttpRequestMethod.Patch,
            _ => (HttpRequestMethod)byte.MaxValue,
        };
        return method != (HttpRequestMethod)byte.MaxValue;
    }

    internal static bool TryParseContentLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.IsEmpty || value.Length > 18)
            return false;
        foreach (byte b in value)
        {
            if (!IsDigit(b))
                return false;
            length = length * 10 + (b - '0');
        }
        return true;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static HttpParseStatus Reject(HttpRequestRejection reason, out HttpRequestRejection rejection)
    {
        rejection = reason;
        return HttpParseStatus.Rejected;
    }

    /// <summary>The non-empty elements of a comma-separated list (RFC 9110 §5.6.1), trimmed of OWS, as ranges into the value.</summary>
    private ref struct ListElements
    {
        private readonly ReadOnlySpan<byte> _value;
        private int _next;

        public ListElements(ReadOnlySpan<byte> value)
        {
            _value = value;
            _next = 0;
            Current = default;
        }

        public TextRange Current { get; private set; }

        public readonly ListElements GetEnumerator() => this;

        public bool MoveNext()
        {
            while (_next <= _value.Length)
            {
                int comma = _value[_next..].IndexOf(ByteComma);
                int end = comma < 0 ? _value.Length : _next + comma;
                int start = _next;
                _next = end + 1;
                while (start < end && _value[start] is ByteSpace or ByteTab)
                    start++;
                int stop = end;
                while (stop > start && _value[stop - 1] is ByteSpace or ByteTab)
                    stop--;
                if (stop > start)
                {
                    Current = new TextRange(start, stop - start);
                    return true;
                }
            }
            return false;
        }
    }
}
