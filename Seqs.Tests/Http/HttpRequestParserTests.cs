using System.Text;
using Seqs.Http;

namespace Seqs.Tests.Http;

/// <summary>The request head, chunk-size and trailer parsers on byte vectors (RFC 9112 §2-§7).</summary>
public sealed class HttpRequestParserTests
{
    private static readonly HttpServerOptions Limits = new() { MaxRequestLineLength = 128, MaxRequestHeadersSize = 512, MaxRequestHeaderCount = 8, MaxRequestBodySize = 1000 };

    private const string Curl = "GET /api/status?verbose=1&x=%20 HTTP/1.1\r\nHost: 10.0.0.2:8080\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n";

    [Test]
    public void CurlGet_IsDeconstructedIntoMethodTargetVersionAndFields()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(Curl);
        var head = new HttpRequestHead(8);
        Assert.That(HttpRequestParser.TryParseHead(bytes, head, Limits, out int consumed, out HttpRequestRejection rejection), Is.EqualTo(HttpParseStatus.Complete));
        Assert.That(rejection, Is.EqualTo(HttpRequestRejection.None));
        Assert.That(consumed, Is.EqualTo(bytes.Length));
        Assert.That(head.Method, Is.EqualTo(HttpRequestMethod.Get));
        Assert.That(Text(head.Target, bytes), Is.EqualTo("/api/status?verbose=1&x=%20"));
        Assert.That(Text(head.Path, bytes), Is.EqualTo("/api/status"));
        Assert.That(Text(head.Query, bytes), Is.EqualTo("verbose=1&x=%20"));
        Assert.That(head.MinorVersion, Is.EqualTo(1));
        Assert.That(head.HeaderCount, Is.EqualTo(3));
        Assert.That(Text(head.Names[1], bytes), Is.EqualTo("User-Agent"));
        Assert.That(Text(head.Values[1], bytes), Is.EqualTo("curl/7.88.1"));
        Assert.That(head.KeepAlive, Is.True);
        Assert.That(head.ContentLength, Is.EqualTo(-1));
        Assert.That(head.IsChunked, Is.False);
    }

    [TestCase("GET", HttpRequestMethod.Get)]
    [TestCase("HEAD", HttpRequestMethod.Head)]
    [TestCase("POST", HttpRequestMethod.Post)]
    [TestCase("PUT", HttpRequestMethod.Put)]
    [TestCase("DELETE", HttpRequestMethod.Delete)]
    [TestCase("OPTIONS", HttpRequestMethod.Options)]
    [TestCase("TRACE", HttpRequestMethod.Trace)]
    [TestCase("PATCH", HttpRequestMethod.Patch)]
    public void EveryImplementedMethod_IsRecognised(string method, HttpRequestMethod expected)
    {
        HttpRequestHead head = ParseComplete($"{method} / HTTP/1.1\r\nHost: a\r\n\r\n", out _);
        Assert.That(head.Method, Is.EqualTo(expected));
    }

    [TestCase("GET http://example.com/a/b?c=d HTTP/1.1\r\nHost: x\r\n\r\n", "/a/b", "c=d")]
    [TestCase("GET HTTP://example.com:8080?q HTTP/1.1\r\nHost: x\r\n\r\n", "", "q")]
    [TestCase("GET http://example.com HTTP/1.1\r\nHost: x\r\n\r\n", "", "")]
    [TestCase("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", "*", "")]
    [TestCase("GET /? HTTP/1.1\r\nHost: x\r\n\r\n", "/", "")]
    public void TargetForms_GiveThePathAndQuery(string request, string path, string query)
    {
        HttpRequestHead head = ParseComplete(request, out byte[] bytes);
        Assert.That(Text(head.Path, bytes), Is.EqualTo(path));
        Assert.That(Text(head.Query, bytes), Is.EqualTo(query));
    }

    [TestCase("GET / HTTP/1.0\r\n\r\n", 0, false)]
    [TestCase("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", 0, true)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 1, false)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade, CLOSE\r\n\r\n", 1, false)]
    [TestCase("GET / HTTP/1.9\r\nHost: a\r\n\r\n", 1, true)]
    public void Version_AndConnectionOptions_DecidePersistence(string request, int minor, bool keepAlive)
    {
        HttpRequestHead head = ParseComplete(request, out _);
        Assert.That(head.MinorVersion, Is.EqualTo(minor));
        Assert.That(head.KeepAlive, Is.EqualTo(keepAlive));
    }

    [Test]
    public void FieldValues_AreTrimmedOfOptionalWhitespace_AndMayBeEmptyOrObsText()
    {
        byte[] bytes = [.. "GET / HTTP/1.1\r\nHost:a\r\nX-Empty:\r\nX-Pad: \t v a l \t\r\nX-Obs: "u8, 0xE9, 0xFF, .. "\r\n\r\n"u8];
        var head = new HttpRequestHead(8);
        Assert.That(HttpRequestParser.TryParseHead(bytes, head, Limits, out _, out _), Is.EqualTo(HttpParseStatus.Complete));
        Assert.That(Text(head.Values[0], bytes), Is.EqualTo("a"));
        Assert.That(Text(head.Values[1], bytes), Is.EqualTo(""));
        Assert.That(Text(head.Values[2], bytes), Is.EqualTo("v a l"));
        Assert.That(head.Values[3].Length, Is.EqualTo(2));
    }

    [Test]
    public void LeadingEmptyLines_AreIgnored()
    {
        HttpRequestHead head = ParseComplete("\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n", out byte[] bytes);
        Assert.That(Text(head.Path, bytes), Is.EqualTo("/x"));
    }

    [Test]
    public void Framing_ContentLengthChunkedAndExpect_AreRead()
    {
        HttpRequestHead length = ParseComplete("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 42\r\ncontent-length: 42\r\nExpect: 100-Continue\r\n\r\n", out _);
        Assert.That(length.ContentLength, Is.EqualTo(42));
        Assert.That(length.ExpectContinue, Is.True);
        HttpRequestHead chunked = ParseComplete("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n", out _);
        Assert.That(chunked.IsChunked, Is.True);
        HttpRequestHead http10 = ParseComplete("POST / HTTP/1.0\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\n", out _);
        Assert.That(http10.ExpectContinue, Is.False, "RFC 9110 §10.1.1: ignored in HTTP/1.0");
    }

    [Test]
    public void PipelinedRequests_AreParsedOneAtATime()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
        var head = new HttpRequestHead(8);
        Assert.That(HttpRequestParser.TryParseHead(bytes, head, Limits, out int first, out _), Is.EqualTo(HttpParseStatus.Complete));
        Assert.That(Text(head.Path, bytes), Is.EqualTo("/1"));
        Assert.That(HttpRequestParser.TryParseHead(bytes.AsSpan(first), head, Limits, out int second, out _), Is.EqualTo(HttpParseStatus.Complete));
        Assert.That(Text(head.Path, bytes.AsSpan(first).ToArray()), Is.EqualTo("/2"));
        Assert.That(first + second, Is.EqualTo(bytes.Length));
    }

    [Test]
    public void EveryPrefix_NeedsMoreData_AndNothingIsConsumed()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(Curl);
        var head = new HttpRequestHead(8);
        for (int length = 0; length < bytes.Length; length++)
        {
            HttpParseStatus status = HttpRequestParser.TryParseHead(bytes.AsSpan(0, length), head, Limits, out int consumed, out _);
            Assert.That(status, Is.EqualTo(HttpParseStatus.NeedMoreData), $"prefix of {length} bytes");
            Assert.That(consumed, Is.Zero);
        }
    }

    [Test]
    public void HeadArrivingAByteAtATime_IsSearchedOnce_NotOncePerRead()
    {
        var limits = new HttpServerOptions { MaxRequestLineLength = 4096, MaxRequestHeadersSize = 8192, MaxRequestHeaderCount = 64 };
        string fields = string.Concat(Enumerable.Range(0, 40).Select(i => $"X-Field-{i}: {new string('v', 100)}\r\n"));
        byte[] bytes = Encoding.ASCII.GetBytes("\r\nGET /" + new string('p', 2000) + " HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n");
        var head = new HttpRequestHead(64);
        HttpHeadScan scan = default;
        long examinedWithoutResuming = 0;

        // One more byte per call, as when each TCP segment carries one byte of the head.
        for (int length = 1; length < bytes.Length; length++)
        {
            Assert.That(HttpRequestParser.TryParseHead(bytes.AsSpan(0, length), head, limits, ref scan, out _, out _), Is.EqualTo(HttpParseStatus.NeedMoreData));
            HttpHeadScan fresh = default;
            HttpRequestParser.TryParseHead(bytes.AsSpan(0, length), head, limits, ref fresh, out _, out _);
            examinedWithoutResuming += fresh.Examined;
        }
        Assert.That(HttpRequestParser.TryParseHead(bytes, head, limits, ref scan, out int consumed, out _), Is.EqualTo(HttpParseStatus.Complete));

        Assert.That(consumed, Is.EqualTo(bytes.Length));
        Assert.That(head.HeaderCount, Is.EqualTo(41));
        Assert.That(Text(head.Path, bytes), Has.Length.EqualTo(2001));
        Assert.That(scan.Examined, Is.LessThanOrEqualTo(bytes.Length), "each byte looked at once");
        Assert.That(examinedWithoutResuming, Is.GreaterThan((long)bytes.Length * bytes.Length / 100), "rescanning from the start is quadratic");
    }

    [Test]
    public void ResumedScan_GivesTheSameOutcomeAsOneCall_ForEverySplit()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("\r\n" + Curl);
        var head = new HttpRequestHead(8);
        for (int split = 0; split < bytes.Length; split++)
        {
            HttpHeadScan scan = default;
            Assert.That(HttpRequestParser.TryParseHead(bytes.AsSpan(0, split), head, Limits, ref scan, out _, out _), Is.EqualTo(HttpParseStatus.NeedMoreData));
            Assert.That(HttpRequestParser.TryParseHead(bytes, head, Limits, ref scan, out int consumed, out _), Is.EqualTo(HttpParseStatus.Complete), $"split at {split}");
            Assert.That(consumed, Is.EqualTo(bytes.Length));
            Assert.That(Text(head.Path, bytes), Is.EqualTo("/api/status"));
            Assert.That(head.HeaderCount, Is.EqualTo(3));
        }
    }

    [TestCase(17, 40)]
    [TestCase(40, 40)]
    public void MoreFieldsThanTheHeadStartsWith_GrowItUpToTheLimit(int fields, int limit)
    {
        var request = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 1; i < fields; i++)
            request.Append("X-Field-").Append(i).Append(": ").Append(i).Append("\r\n");
        byte[] bytes = Encoding.ASCII.GetBytes(request.Append("\r\n").ToString());
        var head = new HttpRequestHead(limit);
        var limits = new HttpServerOptions { MaxRequestHeaderCount = limit };

        Assert.That(HttpRequestParser.TryParseHead(bytes, head, limits, out _, out _), Is.EqualTo(HttpParseStatus.Complete));
        Assert.That(head.HeaderCount, Is.EqualTo(fields));
        Assert.That(Encoding.ASCII.GetString(head.Values[fields - 1].Of(bytes)), Is.EqualTo($"{fields - 1}"));

        byte[] oneMore = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(bytes).Replace("\r\n\r\n", "\r\nX-Extra: 1\r\n\r\n"));
        HttpRequestParser.TryParseHead(oneMore, head, limits, out _, out HttpRequestRejection rejection);
        Assert.That(rejection, Is.EqualTo(fields < limit ? HttpRequestRejection.None : HttpRequestRejection.TooManyHeaders));
    }

    [TestCase("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", HttpRequestRejection.InvalidRequestLine)]
    [TestCase("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", HttpRequestRejection.InvalidVersion)]
    [TestCase("GET /\r\nHost: a\r\n\r\n", HttpRequestRejection.InvalidRequestLine)]
    [TestCase(" GET / HTTP/1.1\r\nHost: a\r\n\r\n", HttpRequestRejection.InvalidRequestLine)]
    [TestCase("GET / HTTP/1.1\nHost: a\r\n\r\n", HttpRequestRejection.InvalidRequestLine)]
    [TestCase("GET / http/1.1\r\nHost: a\r\n\r\n", HttpRequestRejection.InvalidVersion)]
    [TestCase("GET / HTTP/1.10\r\nHost: a\r\n\r\n", HttpRequestRejection.InvalidVersion)]
    [TestCase("GET / HTTP/3.0\r\nHost: a\r\n\r\n", HttpRequestRejection.UnsupportedVersion)]
    [TestCase("get / HTTP/1.1\r\nHost: a\r\n\r\n", HttpRequestRejection.UnknownMethod)]
    [TestCase("CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n", HttpRequestRejection.InvalidRequestTarget)]
    [TestCase("GET * HTTP/1.1\r\nHost: a\r\n\r\n", HttpRequestRejection.InvalidRequestTarget)]
    [TestCase("GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", HttpRequestRejection.InvalidRequestTarget)]
    [TestCase("GET /\u007f HTTP/1.1\r\nHost: a\r\n\r\n", HttpRequestRejection.InvalidRequestTarget)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n", HttpRequestRejection.InvalidHeader)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", HttpRequestRejection.InvalidHeader)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nX\r\n\r\n", HttpRequestRejection.InvalidHeader)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", HttpRequestRejection.InvalidHeader)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nX(y): v\r\n\r\n", HttpRequestRejection.InvalidHeader)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\nX: v\r\n\r\n", HttpRequestRejection.InvalidHeader)]
    [TestCase("GET / HTTP/1.1\r\nHost : a\r\n\r\n", HttpRequestRejection.WhitespaceBeforeColon)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\n  more\r\n\r\n", HttpRequestRejection.ObsoleteLineFolding)]
    [TestCase("GET / HTTP/1.1\r\n\r\n", HttpRequestRejection.InvalidHost)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", HttpRequestRejection.InvalidHost)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", HttpRequestRejection.InvalidContentLength)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\n", HttpRequestRejection.InvalidContentLength)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n", HttpRequestRejection.InvalidContentLength)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", HttpRequestRejection.InvalidContentLength)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", HttpRequestRejection.InvalidContentLength)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n", HttpRequestRejection.BodyTooLarge)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n", HttpRequestRejection.ContentLengthWithTransferEncoding)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", HttpRequestRejection.ChunkedNotFinal)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", HttpRequestRejection.ChunkedNotFinal)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n", HttpRequestRejection.UnsupportedTransferCoding)]
    [TestCase("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", HttpRequestRejection.TransferEncodingInHttp10)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", HttpRequestRejection.UnsupportedExpectation)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\nF: 1\r\nG: 1\r\nH: 1\r\n\r\n", HttpRequestRejection.TooManyHeaders)]
    public void MalformedHead_IsRejectedWithItsReason(string request, HttpRequestRejection expected)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(request);
        Assert.That(HttpRequestParser.TryParseHead(bytes, new HttpRequestHead(8), Limits, out int consumed, out HttpRequestRejection rejection), Is.EqualTo(HttpParseStatus.Rejected));
        Assert.That(rejection, Is.EqualTo(expected));
        Assert.That(consumed, Is.Zero);
    }

    [Test]
    public void OverlongRequestLine_IsRejectedBeforeItEnds()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("GET /" + new string('a', 200));
        HttpRequestParser.TryParseHead(bytes, new HttpRequestHead(8), Limits, out _, out HttpRequestRejection rejection);
        Assert.That(rejection, Is.EqualTo(HttpRequestRejection.RequestLineTooLong));
        Assert.That(HttpStatusCodes.ForRejection(rejection), Is.EqualTo(414));
    }

    [Test]
    public void OversizedHead_IsRejectedBeforeItEnds()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('a', 600));
        HttpRequestParser.TryParseHead(bytes, new HttpRequestHead(8), Limits, out _, out HttpRequestRejection rejection);
        Assert.That(rejection, Is.EqualTo(HttpRequestRejection.HeadersTooLarge));
        Assert.That(HttpStatusCodes.ForRejection(rejection), Is.EqualTo(431));
    }

    [TestCase(HttpRequestRejection.InvalidRequestLine, 400)]
    [TestCase(HttpRequestRejection.RequestLineTooLong, 414)]
    [TestCase(HttpRequestRejection.HeadersTooLarge, 431)]
    [TestCase(HttpRequestRejection.TooManyHeaders, 431)]
    [TestCase(HttpRequestRejection.BodyTooLarge, 413)]
    [TestCase(HttpRequestRejection.UnknownMethod, 501)]
    [TestCase(HttpRequestRejection.UnsupportedTransferCoding, 501)]
    [TestCase(HttpRequestRejection.UnsupportedVersion, 505)]
    [TestCase(HttpRequestRejection.UnsupportedExpectation, 417)]
    [TestCase(HttpRequestRejection.InvalidChunkSize, 400)]
    public void Rejection_MapsToItsStatusCode(HttpRequestRejection rejection, int status) =>
        Assert.That(HttpStatusCodes.ForRejection(rejection), Is.EqualTo(status));

    [TestCase("5\r\n", 5, 3)]
    [TestCase("00000000000000000Ff\r\nxx", 255, 21)]
    [TestCase("a;ext=1\r\n", 10, 9)]
    [TestCase("A \t; e1 ; e2=\"quoted; still\"\r\n", 10, 30)]
    [TestCase("0\r\n", 0, 3)]
    public void ChunkSizeLine_IsParsedWithExtensionsIgnored(string line, long size, int consumed)
    {
        Assert.That(HttpRequestParser.TryParseChunkSize(Encoding.ASCII.GetBytes(line), out long parsed, out int used, out _), Is.EqualTo(HttpParseStatus.Complete));
        Assert.That(parsed, Is.EqualTo(size));
        Assert.That(used, Is.EqualTo(consumed));
    }

    [TestCase("")]
    [TestCase("5")]
    [TestCase("5;ext")]
    [TestCase("5\r")]
    public void PartialChunkSizeLine_NeedsMoreData(string line) =>
        Assert.That(HttpRequestParser.TryParseChunkSize(Encoding.ASCII.GetBytes(line), out _, out _, out _), Is.EqualTo(HttpParseStatus.NeedMoreData));

    [TestCase("\r\n")]
    [TestCase("x\r\n")]
    [TestCase("-5\r\n")]
    [TestCase("5 x\r\n")]
    [TestCase("5\n")]
    [TestCase("1000000000000000\r\n")]
    [TestCase("5;a\u0001\r\n")]
    public void MalformedOrOversizedChunkSize_IsRejected(string line)
    {
        Assert.That(HttpRequestParser.TryParseChunkSize(Encoding.Latin1.GetBytes(line), out _, out _, out HttpRequestRejection rejection), Is.EqualTo(HttpParseStatus.Rejected));
        Assert.That(rejection, Is.EqualTo(HttpRequestRejection.InvalidChunkSize));
    }

    [Test]
    public void EndlessChunkExtension_IsRejected() =>
        Assert.That(HttpRequestParser.TryParseChunkSize(Encoding.ASCII.GetBytes("5;" + new string('e', 2000)), out _, out _, out _), Is.EqualTo(HttpParseStatus.Rejected));

    [TestCase("\r\n", 2)]
    [TestCase("Expires: never\r\nX: 1\r\n\r\nnext", 24)]
    public void TrailerSection_IsConsumedToItsEmptyLine(string trailers, int consumed)
    {
        Assert.That(HttpRequestParser.TryParseTrailers(Encoding.ASCII.GetBytes(trailers), 512, out int used, out _), Is.EqualTo(HttpParseStatus.Complete));
        Assert.That(used, Is.EqualTo(consumed));
    }

    [TestCase("Expires: never\r\n", HttpParseStatus.NeedMoreData)]
    [TestCase("Bad Name: x\r\n\r\n", HttpParseStatus.Rejected)]
    [TestCase(" folded\r\n\r\n", HttpParseStatus.Rejected)]
    [TestCase("X: 1\n\r\n", HttpParseStatus.Rejected)]
    public void TrailerSection_IncompleteOrMalformed(string trailers, HttpParseStatus expected) =>
        Assert.That(HttpRequestParser.TryParseTrailers(Encoding.ASCII.GetBytes(trailers), 512, out _, out _), Is.EqualTo(expected));

    [Test]
    public void ImfFixdate_IsFormattedAsRfc9110Shows()
    {
        byte[] date = new byte[HttpDate.Length];
        HttpDate.Write(new DateTime(1994, 11, 6, 8, 49, 37, DateTimeKind.Utc), date);
        Assert.That(Encoding.ASCII.GetString(date), Is.EqualTo("Sun, 06 Nov 1994 08:49:37 GMT"));
    }

    private static HttpRequestHead ParseComplete(string request, out byte[] bytes)
    {
        bytes = Encoding.Latin1.GetBytes(request);
        var head = new HttpRequestHead(8);
        HttpParseStatus status = HttpRequestParser.TryParseHead(bytes, head, Limits, out int consumed, out HttpRequestRejection rejection);
        Assert.That(status, Is.EqualTo(HttpParseStatus.Complete), rejection.ToString());
        Assert.That(consumed, Is.EqualTo(bytes.Length));
        return head;
    }

    private static string Text(TextRange range, byte[] bytes) => Encoding.Latin1.GetString(range.Of(bytes));
}
