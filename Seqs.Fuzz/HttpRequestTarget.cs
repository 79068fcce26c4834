using Seqs.Http;

namespace Seqs.Fuzz;

/// <summary>
/// The HTTP request parser on the bytes a client sent: the head, then, as a chunked body, chunk-size lines, chunk
/// data and the trailer section. The first input byte picks the server's limits (small ones reach the limit checks).
/// Invariants: need-more-data consumes nothing and a shorter prefix never completes; a parsed head's ranges lie
/// inside what was consumed and its fields stay within the count limit; a chunk size is never negative.
/// </summary>
public sealed class HttpRequestTarget : IFuzzTarget
{
    public string Name => "http-request";

    public void Run(ReadOnlySpan<byte> input)
    {
        var script = new FuzzInput(input);
        byte limits = script.TakeByte();
        var options = new HttpServerOptions
        {
            MaxRequestLineLength = (limits & 1) == 0 ? 4096 : 16 + (limits >> 4),
            MaxRequestHeadersSize = (limits & 2) == 0 ? 8192 : 32 + (limits >> 2),
            MaxRequestHeaderCount = (limits & 4) == 0 ? 64 : 1 + (limits >> 5),
        };
        ReadOnlySpan<byte> buffer = script.TakeRest();
        var head = new HttpRequestHead(options.MaxRequestHeaderCount);
        HttpParseStatus status = HttpRequestParser.TryParseHead(buffer, head, options, out int consumed, out HttpRequestRejection rejection);
        InvariantViolation.Check((status == HttpParseStatus.Rejected) == (rejection != HttpRequestRejection.None), "a rejection has a reason and only a rejection has one");
        if (status != HttpParseStatus.Complete)
        {
            InvariantViolation.Check(consumed == 0, "an incomplete or rejected head consumes nothing");
            return;
        }
        CheckHead(head, options, consumed, buffer.Length);
        HttpParseStatus prefix = HttpRequestParser.TryParseHead(buffer[..(consumed - 1)], new HttpRequestHead(options.MaxRequestHeaderCount), options, out _, out _);
        InvariantViolation.Check(prefix != HttpParseStatus.Complete, "a head cut short by one byte is not complete");
        ChunkedBody(buffer[consumed..], options.MaxRequestHeadersSize);
    }

    private static void CheckHead(HttpRequestHead head, HttpServerOptions options, int consumed, int length)
    {
        InvariantViolation.Check(consumed > 0 && consumed <= length, "a complete head consumes some of the buffer and no more");
        InvariantViolation.Check(head.HeaderCount <= options.MaxRequestHeaderCount, "fields within MaxRequestHeaderCount");
        InvariantViolation.Check(Within(head.Target, consumed) && Within(head.Path, consumed) && Within(head.Query, consumed), "the target's ranges lie inside the head");
        for (int i = 0; i < head.HeaderCount; i++)
            InvariantViolation.Check(Within(head.Names[i], consumed) && Within(head.Values[i], consumed), "each field's ranges lie inside the head");
        InvariantViolation.Check(head.ContentLength >= -1, "Content-Length is absent (-1) or not negative");
        InvariantViolation.Check(head.MinorVersion is 0 or 1, "HTTP/1.0 or HTTP/1.1");
    }

    private static void ChunkedBody(ReadOnlySpan<byte> body, int maxTrailerSize)
    {
        while (true)
        {
            HttpParseStatus status = HttpRequestParser.TryParseChunkSize(body, out long size, out int consumed, out _);
            if (status != HttpParseStatus.Complete)
            {
                InvariantViolation.Check(consumed == 0, "an incomplete or rejected chunk-size line consumes nothing");
                return;
            }
            InvariantViolation.Check(consumed > 0 && consumed <= body.Length && consumed <= HttpRequestParser.MaxChunkLineLength, "a chunk-size line is consumed whole and within its limit");
            InvariantViolation.Check(size >= 0 && size < 1L << 60, "a chunk size is between 0 and 2^60");
            body = body[consumed..];
            if (size == 0)
                break;
            if (size + 2 > body.Length)
                return;
            body = body[(int)(size + 2)..];
        }
        HttpParseStatus trailers = HttpRequestParser.TryParseTrailers(body, maxTrailerSize, out int trailerLength, out _);
        InvariantViolation.Check(trailers == HttpParseStatus.Complete ? trailerLength > 0 && trailerLength <= body.Length : trailerLength == 0,
            "a trailer section is consumed whole, or not at all");
    }

    private static bool Within(TextRange range, int end) => range.Start >= 0 && range.Length >= 0 && range.Start + range.Length <= end;
}
