using System.Runtime.CompilerServices;

namespace Seqs.Http;

/// <summary>Request content: Content-Length (RFC 9112 §6.2) and chunked (RFC 9112 §7.1) decoding over the connection's buffer.</summary>
internal sealed partial class HttpServerConnection
{
    /// <summary>
    /// Reads decoded content into <paramref name="destination"/>; 0 at its end. Bytes already buffered are copied;
    /// otherwise TCP reads straight into <paramref name="destination"/>, never past the current chunk or length, so
    /// a pipelined request that follows stays in the connection.
    /// </summary>
#if NET8_0_OR_GREATER
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    public async ValueTask<int> ReadBodyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty || _bodyState == HttpBodyState.Done)
            return 0;
        if (_bodyState == HttpBodyState.Failed)
            throw new InvalidOperationException("The request content already failed to read.");
        // RFC 9110 §10.1.1: the server sends 100 (Continue) when it wants the content; here, at the first read.
        if (_head.ExpectContinue && !_continueSent && !Response.HasStarted)
        {
            _continueSent = true;
            await WriteAsync(s_continue, cancellationToken).ConfigureAwait(true);
        }
        while (true)
        {
            switch (_bodyState)
            {
                case HttpBodyState.ContentLength:
                case HttpBodyState.ChunkData:
                {
                    int max = (int)Math.Min(destination.Length, _bodyRemaining);
                    int n;
                    if (_end > _start)
                    {
                        n = Math.Min(max, _end - _start);
                        _buffer.AsSpan(_start, n).CopyTo(destination.Span);
                        _start += n;
                    }
                    else
                    {
                        n = await ReadTcpAsync(destination[..max], cancellationToken).ConfigureAwait(true);
                    }
                    _bodyRemaining -= n;
                    if (_bodyRemaining == 0)
                        _bodyState = _bodyState == HttpBodyState.ContentLength ? HttpBodyState.Done : HttpBodyState.ChunkDataEnd;
                    return n;
                }
                case HttpBodyState.ChunkSize:
                {
                    HttpParseStatus status = HttpRequestParser.TryParseChunkSize(Unparsed, out long size, out int consumed, out HttpRequestRejection rejection);
                    if (status == HttpParseStatus.NeedMoreData)
                    {
                        await FillAsync(cancellationToken).ConfigureAwait(true);
                        continue;
                    }
                    if (status == HttpParseStatus.Rejected)
                        throw Fail(rejection);
                    _start += consumed;
                    if (size == 0)
                    {
                        _bodyState = HttpBodyState.Trailers;
                        continue;
                    }
                    if (_bodyReceived + size > _options.MaxRequestBodySize)
                        throw Fail(HttpRequestRejection.BodyTooLarge);
                    _bodyReceived += size;
                    _bodyRemaining = size;
                    _bodyState = HttpBodyState.ChunkData;
                    continue;
                }
                case HttpBodyState.ChunkDataEnd:
                    if (_end - _start < 2)
                    {
                        await FillAsync(cancellationToken).ConfigureAwait(true);
                        continue;
                    }
                    if (_buffer[_start] != (byte)'\r' || _buffer[_start + 1] != (byte)'\n')
                        throw Fail(HttpRequestRejection.InvalidChunkData);
                    _start += 2;
                    _bodyState = HttpBodyState.ChunkSize;
                    continue;
                case HttpBodyState.Trailers:
                {
                    HttpParseStatus status = HttpRequestParser.TryParseTrailers(Unparsed, _options.MaxRequestHeadersSize, out int consumed, out HttpRequestRejection rejection);
                    if (status == HttpParseStatus.NeedMoreData)
                    {
                        await FillAsync(cancellationToken).ConfigureAwait(true);
                        continue;
                    }
                    if (status == HttpParseStatus.Rejected)
                        throw Fail(rejection);
                    _start += consumed;
                    _bodyState = HttpBodyState.Done;
                    return 0;
                }
                default:
                    return 0;
            }
        }
    }

    private ReadOnlySpan<byte> Unparsed => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Reads more into the buffer for a chunk-size line, a chunk's CRLF or trailers.</summary>
#if NET8_0_OR_GREATER
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
#endif
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        // Room for the head in use, a trailer section as large as a head, and a chunk-size line.
        if (_end == _buffer.Length && !MakeRoom(_headLength + _options.MaxRequestHeadersSize + HttpRequestParser.MaxChunkLineLength))
            throw Fail(HttpRequestRejection.HeadersTooLarge);
        _end += await ReadTcpAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(true);
    }

#if NET8_0_OR_GREATER
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<int> ReadTcpAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        Schedule(HttpTimerPurpose.BodyRead);
        int n;
        try
        {
            n = await Transport.ReadAsync(destination, cancellationToken).ConfigureAwait(true);
        }
        catch (Exception e) when (_timedOut && e is IOException or InvalidOperationException)
        {
            _bodyState = HttpBodyState.Failed;
            throw new HttpRequestBodyException("The client sent the request content too slowly.", e);
        }
        finally
        {
            if (_timerPurpose == HttpTimerPurpose.BodyRead)
                CancelTimer();
        }
        // RFC 9112 §8: a message that ends before its content does is incomplete.
        if (n == 0)
            throw Fail(HttpRequestRejection.IncompleteBody);
        return n;
    }

    private HttpRequestBodyException Fail(HttpRequestRejection rejection)
    {
        _bodyState = HttpBodyState.Failed;
        return new HttpRequestBodyException(rejection);
    }
}
