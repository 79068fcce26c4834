using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Seqs.Http;

/// <summary>
/// The response to the request being served. Content written before the handler returns and within
/// <see cref="HttpServerOptions.ResponseBufferSize"/> is sent with a Content-Length; past that, or after
/// <see cref="FlushAsync"/>, the response streams with chunked coding (RFC 9112 §7.1), or with the Content-Length
/// the handler set. Buffers come from <see cref="ArrayPool{T}"/> and go back when the response ends.
/// </summary>
public sealed class HttpResponse
{
    /// <summary>Room before buffered content for a chunk-size line: 8 hex digits and CRLF.</summary>
    private const int ChunkPrefix = 10;
    /// <summary>Room after buffered content for the chunk's CRLF and the last chunk "0\r\n\r\n".</summary>
    private const int ChunkSuffix = 7;
    private static readonly byte[] s_lastChunk = "0\r\n\r\n"u8.ToArray();
    private static readonly byte[] s_crlf = "\r\n"u8.ToArray();

    private readonly HttpServerConnection _connection;
    private readonly int _bufferSize;
    private byte[]? _fields;
    private int _fieldsLength;
    private byte[]? _body;
    private int _bodyLength;
    private int _statusCode = 200;
    private long? _contentLength;
    private string? _contentType;

    internal HttpResponse(HttpServerConnection connection, int bufferSize)
    {
        _connection = connection;
        _bufferSize = bufferSize;
    }

    /// <summary>The status code (RFC 9110 §15), 200 unless set; fixed once the response has started.</summary>
    public int StatusCode
    {
        get => _statusCode;
        set
        {
            ThrowIfStarted();
            if (value is < 100 or > 999)
                throw new ArgumentOutOfRangeException(nameof(value), value, "A status code has three digits (RFC 9110 §15).");
            // 1xx responses are interim; the server sends 100 (Continue) itself.
            if (value < 200)
                throw new ArgumentOutOfRangeException(nameof(value), value, "A handler's response is final: 200 to 999.");
            _statusCode = value;
        }
    }

    /// <summary>Declares the content length up front, so that a streamed response needs no chunked coding.</summary>
    public long? ContentLength
    {
        get => _contentLength;
        set
        {
            ThrowIfStarted();
            if (value < 0)
                throw new ArgumentOutOfRangeException(nameof(value), value, "A content length is zero or more.");
            _contentLength = value;
        }
    }

    /// <summary>The Content-Type field value; ASCII without control characters.</summary>
    public string? ContentType
    {
        get => _contentType;
        set
        {
            ThrowIfStarted();
            if (value is not null)
                CheckFieldValue(value, nameof(value));
            _contentType = value;
        }
    }

    /// <summary>Ask for the connection to close after this response (it is sent with "Connection: close").</summary>
    public bool CloseConnection { get; set; }

    /// <summary>The head has been sent: status and fields can no longer change.</summary>
    public bool HasStarted => Framing != HttpResponseFraming.NotStarted;

    internal HttpResponseFraming Framing { get; private set; }

    /// <summary>Content bytes the handler wrote, whether sent, buffered or (for HEAD) discarded.</summary>
    internal long BodyBytesWritten { get; private set; }

    /// <summary>Adds a header field; names and values are ASCII without CR, LF or other controls (RFC 9110 §5.5).</summary>
    public void AddHeader(string name, string value)
    {
        ThrowIfStarted();
        CheckFieldName(name);
        CheckFieldValue(value, nameof(value));
        Span<byte> line = ReserveField(name.Length + value.Length + 4);
        int at = Encoding.ASCII.GetBytes(name, line);
        ": "u8.CopyTo(line[at..]);
        at += 2;
        at += Encoding.ASCII.GetBytes(value, line[at..]);
        "\r\n"u8.CopyTo(line[at..]);
    }

    /// <inheritdoc cref="AddHeader(string, string)"/>
    public void AddHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        ThrowIfStarted();
        if (name.IsEmpty)
            throw new ArgumentException("A field name is a non-empty token (RFC 9110 §5.1).", nameof(name));
        foreach (byte b in name)
        {
            if (!HttpRequestParser.IsTokenByte(b))
                throw new ArgumentException("A field name is a non-empty token (RFC 9110 §5.1).", nameof(name));
        }
        foreach (byte b in value)
        {
            if (!HttpRequestParser.IsFieldValueByte(b))
                throw new ArgumentException("A field value has no CR, LF or other control characters (RFC 9110 §5.5).", nameof(value));
        }
        Span<byte> line = ReserveField(name.Length + value.Length + 4);
        name.CopyTo(line);
        ": "u8.CopyTo(line[name.Length..]);
        value.CopyTo(line[(name.Length + 2)..]);
        "\r\n"u8.CopyTo(line[(name.Length + 2 + value.Length)..]);
    }

    /// <summary>
    /// Buffers content without waiting; the buffer grows as needed. For large content use <see cref="WriteAsync"/>,
    /// which streams instead.
    /// </summary>
    public void Write(ReadOnlySpan<byte> content)
    {
        ThrowIfStarted();
        BodyBytesWritten += content.Length;
        if (DiscardsContent)
            return;
        EnsureBody(_bodyLength + content.Length);
        content.CopyTo(_body.AsSpan(ChunkPrefix + _bodyLength));
        _bodyLength += content.Length;
    }

    /// <summary>Buffers <paramref name="text"/> as UTF-8, like <see cref="Write(ReadOnlySpan{byte})"/>.</summary>
    public void Write(string text)
    {
        ThrowIfStarted();
        if (text is null)
            throw new ArgumentNullException(nameof(text));
        int length = Encoding.UTF8.GetByteCount(text);
        BodyBytesWritten += length;
        if (DiscardsContent)
            return;
        EnsureBody(_bodyLength + length);
        Encoding.UTF8.GetBytes(text, _body.AsSpan(ChunkPrefix + _bodyLength));
        _bodyLength += length;
    }

    /// <summary>Writes content: buffered while it fits, else the response starts and the content is sent.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        if (Framing == HttpResponseFraming.NotStarted && (DiscardsContent || _bodyLength + content.Length <= _bufferSize))
        {
            Write(content.Span);
            return default;
        }
        BodyBytesWritten += content.Length;
        return StreamAsync(content, cancellationToken);
    }

    /// <summary>Starts the response (sending its head and the content buffered so far) if it has not started.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => StreamAsync(ReadOnlyMemory<byte>.Empty, cancellationToken);

    internal void Reset()
    {
        ReturnBuffers();
        _statusCode = 200;
        _contentLength = null;
        _contentType = null;
        CloseConnection = false;
        Framing = HttpResponseFraming.NotStarted;
        BodyBytesWritten = 0;
    }

    internal void ReturnBuffers()
    {
        if (_fields is not null)
            ArrayPool<byte>.Shared.Return(_fields);
        if (_body is not null)
            ArrayPool<byte>.Shared.Return(_body);
        _fields = null;
        _body = null;
        _fieldsLength = 0;
        _bodyLength = 0;
    }

    /// <summary>
    /// Ends the response after the handler returned: sends what is buffered, or the last chunk. Not an async method,
    /// so that the usual case (TCP takes everything at once) costs no state machine in any build.
    /// </summary>
    internal ValueTask CompleteAsync()
    {
        ValueTask write = default;
        switch (Framing)
        {
            case HttpResponseFraming.NotStarted:
                long length = ContentLength ?? BodyBytesWritten;
                if (!_connection.IsHeadRequest && length != BodyBytesWritten)
                    ThrowLengthMismatch();
                ValueTask head = SendHeadAsync(NoContentStatus ? HttpResponseFraming.NoBody : HttpResponseFraming.ContentLength, length);
                if (!head.IsCompletedSuccessfully)
                    return FinishAsync(head, sendBody: true);
                head.GetAwaiter().GetResult();
                if (_bodyLength > 0)
                    write = _connection.WriteAsync(_body.AsMemory(ChunkPrefix, _bodyLength), default);
                break;
            case HttpResponseFraming.Chunked:
                write = _connection.WriteAsync(s_lastChunk, default);
                break;
            case HttpResponseFraming.ContentLength when !_connection.IsHeadRequest && BodyBytesWritten != ContentLength:
                ThrowLengthMismatch();
                break;
        }
        if (!write.IsCompletedSuccessfully)
            return FinishAsync(write, sendBody: false);
        write.GetAwaiter().GetResult();
        ReturnBuffers();
        return default;
    }

    private async ValueTask FinishAsync(ValueTask pending, bool sendBody)
    {
        await pending.ConfigureAwait(true);
        if (sendBody && _bodyLength > 0)
            await _connection.WriteAsync(_body.AsMemory(ChunkPrefix, _bodyLength), default).ConfigureAwait(true);
        ReturnBuffers();
    }

    /// <summary>A minimal response of the server's own (an error, 503, 408) with no content and the connection closing.</summary>
    internal void SetError(int statusCode)
    {
        Reset();
        _statusCode = statusCode;
        CloseConnection = true;
    }

    private bool NoContentStatus => _statusCode is 204 or 304;

    private bool DiscardsContent => _connection.IsHeadRequest || NoContentStatus;

    private async ValueTask StreamAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (Framing == HttpResponseFraming.NotStarted)
        {
            HttpResponseFraming framing = DiscardsContent ? HttpResponseFraming.NoBody
                : ContentLength is not null ? HttpResponseFraming.ContentLength
                : _connection.Request.MinorVersion >= 1 ? HttpResponseFraming.Chunked
                : HttpResponseFraming.CloseDelimited;
            await SendHeadAsync(framing, ContentLength).ConfigureAwait(true);
            if (_bodyLength > 0)
                await SendContentAsync(_body!, _bodyLength, cancellationToken).ConfigureAwait(true);
            _bodyLength = 0;
        }
        if (content.IsEmpty || Framing == HttpResponseFraming.NoBody)
            return;
        if (Framing == HttpResponseFraming.ContentLength && BodyBytesWritten > ContentLength)
            ThrowLengthMismatch();
        if (Framing == HttpResponseFraming.Chunked)
        {
            byte[] prefix = _connection.ChunkPrefixBuffer;
            int length = WriteChunkSize(content.Length, prefix);
            await _connection.WriteAsync(prefix.AsMemory(0, length), cancellationToken).ConfigureAwait(true);
            await _connection.WriteAsync(content, cancellationToken).ConfigureAwait(true);
            await _connection.WriteAsync(s_crlf, cancellationToken).ConfigureAwait(true);
        }
        else
        {
            await _connection.WriteAsync(content, cancellationToken).ConfigureAwait(true);
        }
    }

    /// <summary>Sends buffered content in place, as one chunk when chunked: its size line and CRLF go around it in the buffer.</summary>
    private ValueTask SendContentAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        if (Framing != HttpResponseFraming.Chunked)
            return _connection.WriteAsync(buffer.AsMemory(ChunkPrefix, length), cancellationToken);
        Span<byte> size = stackalloc byte[ChunkPrefix];
        int sizeLength = WriteChunkSize(length, size);
        int start = ChunkPrefix - sizeLength;
        size[..sizeLength].CopyTo(buffer.AsSpan(start));
        "\r\n"u8.CopyTo(buffer.AsSpan(ChunkPrefix + length));
        return _connection.WriteAsync(buffer.AsMemory(start, sizeLength + length + 2), cancellationToken);
    }

    private ValueTask SendHeadAsync(HttpResponseFraming framing, long? contentLength)
    {
        Framing = framing;
        bool keepAlive = _connection.DecideKeepAlive(this);
        byte[] head = _connection.RentHeadBuffer(256 + (_contentType?.Length ?? 0) + _fieldsLength);
        Span<byte> h = head;
        int at = 0;
        Append(h, ref at, "HTTP/1.1 "u8);
        h[at++] = (byte)('0' + _statusCode / 100);
        h[at++] = (byte)('0' + _statusCode / 10 % 10);
        h[at++] = (byte)('0' + _statusCode % 10);
        h[at++] = (byte)' ';
        Append(h, ref at, HttpStatusCodes.ReasonPhrase(_statusCode));
        Append(h, ref at, "\r\n"u8);
        // RFC 9110 §6.6.1: an origin server with a clock MUST send Date in 2xx, 3xx and 4xx responses (and MAY in
        // 5xx); one without a reasonable clock MUST NOT. The application says when the clock can be trusted.
        if (_connection.Server.IsClockSynchronized)
        {
            Append(h, ref at, "Date: "u8);
            Append(h, ref at, _connection.Server.FormatDate());
            Append(h, ref at, "\r\n"u8);
        }
        if (_contentType is not null)
        {
            Append(h, ref at, "Content-Type: "u8);
            at += Encoding.ASCII.GetBytes(_contentType, h[at..]);
            Append(h, ref at, "\r\n"u8);
        }
        switch (framing)
        {
            case HttpResponseFraming.ContentLength when contentLength is not null:
            case HttpResponseFraming.NoBody when contentLength is not null && _connection.IsHeadRequest && !NoContentStatus:
                // RFC 9110 §8.6: a server MUST NOT send Content-Length in a 1xx or 204 response; for HEAD it MAY send
                // the length a GET would have had.
                Append(h, ref at, "Content-Length: "u8);
                Utf8Formatter.TryFormat(contentLength.Value, h[at..], out int written);
                at += written;
                Append(h, ref at, "\r\n"u8);
                break;
            case HttpResponseFraming.Chunked:
                Append(h, ref at, "Transfer-Encoding: chunked\r\n"u8);
                break;
        }
        // RFC 9112 §9.6: a server that will close sends "close"; §9.3: an HTTP/1.0 client persists only when told so.
        if (!keepAlive)
            Append(h, ref at, "Connection: close\r\n"u8);
        else if (_connection.Request.MinorVersion == 0)
            Append(h, ref at, "Connection: keep-alive\r\n"u8);
        if (_fieldsLength > 0)
            Append(h, ref at, _fields.AsSpan(0, _fieldsLength));
        Append(h, ref at, "\r\n"u8);
        return _connection.WriteHeadAsync(head, at);
    }

    private static void Append(Span<byte> destination, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        at += bytes.Length;
    }

    private static int WriteChunkSize(int length, Span<byte> destination)
    {
        Utf8Formatter.TryFormat((uint)length, destination, out int written, new StandardFormat('X'));
        destination[written++] = (byte)'\r';
        destination[written++] = (byte)'\n';
        return written;
    }

    private Span<byte> ReserveField(int length)
    {
        int needed = _fieldsLength + length;
        if (_fields is null || _fields.Length < needed)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(256, needed * 2));
            if (_fields is not null)
            {
                _fields.AsSpan(0, _fieldsLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_fields);
            }
            _fields = larger;
        }
        Span<byte> line = _fields.AsSpan(_fieldsLength, length);
        _fieldsLength = needed;
        return line;
    }

    [MemberNotNull(nameof(_body))]
    private void EnsureBody(int contentLength)
    {
        int needed = ChunkPrefix + contentLength + ChunkSuffix;
        if (_body is not null && _body.Length >= needed)
            return;
        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, ChunkPrefix + _bufferSize + ChunkSuffix));
        if (_body is not null)
        {
            _body.AsSpan(0, ChunkPrefix + _bodyLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_body);
        }
        _body = larger;
    }

    private void ThrowIfStarted()
    {
        if (HasStarted)
            throw new InvalidOperationException("The response has started: its status and fields are sent and content is streamed with WriteAsync.");
    }

    private static void CheckFieldName(string name)
    {
        bool valid = !string.IsNullOrEmpty(name);
        foreach (char c in name ?? "")
            valid &= c <= 0x7F && HttpRequestParser.IsTokenByte((byte)c);
        if (!valid)
            throw new ArgumentException("A field name is a non-empty token (RFC 9110 §5.1).", nameof(name));
    }

    private static void CheckFieldValue(string value, string parameter)
    {
        bool valid = value is not null;
        foreach (char c in value ?? "")
            valid &= c <= 0x7F && HttpRequestParser.IsFieldValueByte((byte)c);
        if (!valid)
            throw new ArgumentException("A field value is ASCII without CR, LF or other control characters (RFC 9110 §5.5).", parameter);
    }

    [DoesNotReturn]
    private void ThrowLengthMismatch() =>
        throw new InvalidOperationException($"The handler declared Content-Length {ContentLength} but wrote {BodyBytesWritten} bytes.");
}
