using System.Text;

namespace Seqs.Http;

/// <summary>
/// Reads one response (RFC 9112 §4, §6.3) from a client connection: status line, fields, then content delimited by
/// Content-Length, chunked coding or the connection's close. Malformed responses are <see cref="IOException"/>s,
/// as a broken connection would be.
/// </summary>
internal sealed class HttpResponseReader
{
    private readonly Stream _connection;
    private readonly HttpUserAgentOptions _options;
    private byte[] _buffer;
    private int _start;
    private int _end;

    /// <param name="connection">The connection, or a stream over it (TLS).</param>
    public HttpResponseReader(Stream connection, HttpUserAgentOptions options)
    {
        _connection = connection;
        _options = options;
        _buffer = new byte[4096];
    }

    /// <summary>Bytes of a response have arrived (so a failure now is not a stale persistent connection).</summary>
    public bool ReceivedAny { get; private set; }

    /// <summary>After <see cref="ReadAsync"/>: the connection may carry another request (RFC 9112 §9.3).</summary>
    public bool KeepAlive { get; private set; }

    public async Task<HttpUserAgentResponse> ReadAsync(bool headRequest, CancellationToken cancellationToken)
    {
        while (true)
        {
            int headEnd;
            int searched = 0;
            while ((headEnd = Unread[searched..].IndexOf("\r\n\r\n"u8)) < 0)
            {
                // The next search resumes here: only the last three bytes can start an end of head that more bytes
                // complete, so a head that arrives a byte at a time is not searched again from its start each time.
                searched = Math.Max(0, _end - _start - 3);
                if (_end - _start >= _options.MaxResponseHeadersSize)
                    throw Malformed("the response head is larger than the limit");
                if (!await FillAsync(cancellationToken).ConfigureAwait(true))
                    throw Malformed(ReceivedAny ? "the connection closed inside the response head" : "the server closed the connection without answering");
            }
            int headLength = searched + headEnd + 4;
            ReadOnlySpan<byte> head = _buffer.AsSpan(_start, headLength);
            int statusCode = ParseStatusLine(head, out int minor, out int lineLength);
            var headers = new List<KeyValuePair<string, string>>();
            long contentLength = -1;
            bool chunked = false;
            bool close = minor == 0;
            int at = lineLength;
            while (at < headLength - 2)
            {
                int lf = head[at..].IndexOf((byte)'\n');
                // A bare LF (lf == 0) leaves no room for the CR: an empty line, which is malformed here.
                ReadOnlySpan<byte> line = head.Slice(at, Math.Max(lf - 1, 0));
                if (line.IsEmpty || head[at + lf - 1] != (byte)'\r' || HttpRequestParser.ParseFieldLine(line, out TextRange n, out TextRange v) != HttpRequestRejection.None)
                    throw Malformed("a header field line is malformed");
                ReadOnlySpan<byte> name = n.Of(line);
                ReadOnlySpan<byte> value = v.Of(line);
                headers.Add(new(Encoding.ASCII.GetString(name), Latin1(value)));
                if (HttpRequestParser.EqualsIgnoreCase(name, "content-length"u8))
                {
                    if (!HttpRequestParser.TryParseContentLength(value, out long length) || (contentLength >= 0 && contentLength != length))
                        throw Malformed("Content-Length is invalid");
                    contentLength = length;
                }
                else if (HttpRequestParser.EqualsIgnoreCase(name, "transfer-encoding"u8))
                {
                    chunked = HttpRequestParser.EqualsIgnoreCase(HttpRequestParser.TrimWhitespace(value), "chunked"u8);
                    if (!chunked)
                        throw Malformed("a transfer coding other than chunked");
                }
                else if (HttpRequestParser.EqualsIgnoreCase(name, "connection"u8))
                {
                    if (Contains(value, "close"u8))
                        close = true;
                    else if (Contains(value, "keep-alive"u8) && minor == 0)
                        close = false;
                }
                at += lf + 1;
            }
            _start += headLength;
            // RFC 9110 §15.2: 1xx responses are interim; the final one follows.
            if (statusCode is >= 100 and < 200)
                continue;
            byte[] body;
            KeepAlive = !close;
            // RFC 9112 §6.3 rule 1: no content after HEAD, 1xx, 204 or 304, whatever the fields say.
            if (headRequest || statusCode is 204 or 304)
                body = [];
            else if (chunked)
                body = await ReadChunkedAsync(cancellationToken).ConfigureAwait(true);
            else if (contentLength >= 0)
                body = await ReadLengthAsync(contentLength, cancellationToken).ConfigureAwait(true);
            else
            {
                // RFC 9112 §6.3 rule 8: the content runs to the close.
                KeepAlive = false;
                body = await ReadToCloseAsync(cancellationToken).ConfigureAwait(true);
            }
            // Bytes beyond the response mean the server sent something unasked: do not reuse the connection.
            if (_end > _start)
                KeepAlive = false;
            return new HttpUserAgentResponse(statusCode, minor, headers, body);
        }
    }

    private ReadOnlySpan<byte> Unread => _buffer.AsSpan(_start, _end - _start);

    private async Task<byte[]> ReadLengthAsync(long length, CancellationToken cancellationToken)
    {
        if (length > _options.MaxResponseBodySize)
            throw Malformed("the content is larger than the limit");
        byte[] body = new byte[length];
        int got = Take(body);
        while (got < length)
        {
            int n = await _connection.ReadAsync(body.AsMemory(got), cancellationToken).ConfigureAwait(true);
            if (n == 0)
                throw Malformed("the connection closed inside the content");
            got += n;
        }
        return body;
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        using var content = new MemoryStream();
        while (true)
        {
            HttpParseStatus status;
            long size;
            int consumed;
            while ((status = HttpRequestParser.TryParseChunkSize(Unread, out size, out consumed, out _)) == HttpParseStatus.NeedMoreData)
                await FillOrThrowAsync(cancellationToken).ConfigureAwait(true);
            if (status == HttpParseStatus.Rejected)
                throw Malformed("a chunk-size line is malformed");
            _start += consumed;
            if (size == 0)
                break;
            if (content.Length + size > _options.MaxResponseBodySize)
                throw Malformed("the content is larger than the limit");
            while (_end - _start < size + 2)
                await FillOrThrowAsync(cancellationToken).ConfigureAwait(true);
            content.Write(_buffer, _start, (int)size);
            _start += (int)size;
            if (_buffer[_start] != (byte)'\r' || _buffer[_start + 1] != (byte)'\n')
                throw Malformed("chunk-data is not followed by CRLF");
            _start += 2;
        }
        while (true)
        {
            HttpParseStatus status = HttpRequestParser.TryParseTrailers(Unread, _options.MaxResponseHeadersSize, out int consumed, out _);
            if (status == HttpParseStatus.Complete)
            {
                _start += consumed;
                return content.ToArray();
            }
            if (status == HttpParseStatus.Rejected)
                throw Malformed("the trailer section is malformed");
            await FillOrThrowAsync(cancellationToken).ConfigureAwait(true);
        }
    }

    private async Task<byte[]> ReadToCloseAsync(CancellationToken cancellationToken)
    {
        using var content = new MemoryStream();
        content.Write(_buffer, _start, _end - _start);
        _start = _end;
        byte[] chunk = new byte[4096];
        int n;
        while ((n = await _connection.ReadAsync(chunk, cancellationToken).ConfigureAwait(true)) > 0)
        {
            if (content.Length + n > _options.MaxResponseBodySize)
                throw Malformed("the content is larger than the limit");
            content.Write(chunk, 0, n);
        }
        return content.ToArray();
    }

    private int Take(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        return n;
    }

    private async Task FillOrThrowAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(cancellationToken).ConfigureAwait(true))
            throw Malformed("the connection closed inside the chunked content");
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        int n = await _connection.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(true);
        _end += n;
        ReceivedAny |= n > 0;
        return n > 0;
    }

    private static int ParseStatusLine(ReadOnlySpan<byte> head, out int minor, out int length)
    {
        // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ] CRLF
        // RFC 9110 §15: all valid status codes are within the range of 100 to 599.
        int lf = head.IndexOf((byte)'\n');
        if (lf < 13 || head[lf - 1] != (byte)'\r' || !head[..7].SequenceEqual("HTTP/1."u8) || head[8] != (byte)' ' || head[12] != (byte)' '
            || !IsDigit(head[7]) || head[9] is < (byte)'1' or > (byte)'5' || !IsDigit(head[10]) || !IsDigit(head[11]))
            throw Malformed("the status line is malformed");
        minor = head[7] == (byte)'0' ? 0 : 1;
        length = lf + 1;
        return (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
    }

    private static bool Contains(ReadOnlySpan<byte> list, ReadOnlySpan<byte> token)
    {
        foreach (Range element in Split(list))
        {
            if (HttpRequestParser.EqualsIgnoreCase(HttpRequestParser.TrimWhitespace(list[element]), token))
                return true;
        }
        return false;
    }

    private static List<Range> Split(ReadOnlySpan<byte> list)
    {
        var ranges = new List<Range>();
        int start = 0;
        for (int i = 0; i <= list.Length; i++)
        {
            if (i == list.Length || list[i] == (byte)',')
            {
                ranges.Add(new Range(start, i));
                start = i + 1;
            }
        }
        return ranges;
    }

    /// <summary>Field values may carry obs-text (RFC 9110 §5.5); each byte becomes the character of the same value.</summary>
    private static string Latin1(ReadOnlySpan<byte> bytes)
    {
        char[] chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            chars[i] = (char)bytes[i];
        return new string(chars);
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static IOException Malformed(string what) => new($"The HTTP response is malformed: {what}.");
}
