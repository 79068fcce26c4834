using System.Text;
using Seqs.Fuzz;

namespace Seqs.Tests.Fuzz;

/// <summary>
/// Responses afl-fuzz found through the http-response target (Seqs.Fuzz/Corpus/http-response/crash-*), each kept as
/// the behaviour it broke: the client's reader must fail a malformed response with an IOException, never another
/// exception, and must not hand back a status outside 100 to 599.
/// </summary>
public sealed class HttpResponseReaderRegressionTests
{
    [Test]
    public void HeaderLineOfABareLf_IsAMalformedResponse_NotAnArgumentOutOfRangeException()
    {
        // Found after 3,105 executions: "\n" alone between the status line and a field made the reader slice -1 bytes.
        Assert.DoesNotThrow(() => Replay("HTTP/1.1 201 OK\r\n\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello"));
    }

    [Test]
    public void StatusCodeBelow100_IsAMalformedResponse()
    {
        // Found after 159,108 executions: "000" was handed to the caller as a status (RFC 9110 §15: 100 to 599).
        Assert.DoesNotThrow(() => Replay("HTTP/1.1 000 OK\r\nConnection: close\r\n\r\n"));
        Assert.DoesNotThrow(() => Replay("HTTP/1.1 600 OK\r\nConnection: close\r\n\r\n"));
    }

    private static readonly string[] MalformedHeads =
    [
        "",
        "garbage\r\n\r\n",
        "HTTP/1.1 200 OK\n\n",
        "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n\r\n\r\n",
        "HTTP/1.1 200 OK\r\n\r\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: v\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA : v\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: v\r\n folded\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: v\rw\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: \0\u001b[2J\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffff\r\nx",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
        "HTTP/1.1 100 Continue\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 99 OK\r\n\r\n",
        "HTTP/2.0 200 OK\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1  200 OK\r\n\r\n",
        "HTTP/1.1 200\r\n\r\n",
        "HTTP/1.1 200 \u00ff\u0080\r\nA: \u00ff\r\n\r\n",
    ];

    [TestCaseSource(nameof(MalformedHeads))]
    public void MalformedResponse_IsAnIOExceptionOrAResponse_NeverAnotherException(string response)
    {
        Assert.DoesNotThrow(() => Replay(response));
    }

    [Test]
    public void HeadOverTheLimit_ArrivingAByteAtATime_IsAnIOException()
    {
        // The target's limit is 4 KiB; the reader stops there rather than growing the buffer for a hostile server.
        Assert.DoesNotThrow(() => Replay("HTTP/1.1 200 OK\r\n" + string.Concat(Enumerable.Repeat("X-Padding: aaaaaaaaaaaaaaaa\r\n", 300)) + "\r\n"));
    }

    /// <summary>Serves <paramref name="response"/> whole, then closes; the target checks the reader's outcome.</summary>
    private static void Replay(string response) =>
        new HttpResponseTarget().Run([0, .. Encoding.Latin1.GetBytes(response)]);
}
