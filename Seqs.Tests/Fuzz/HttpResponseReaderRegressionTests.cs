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

    /// <summary>Serves <paramref name="response"/> whole, then closes; the target checks the reader's outcome.</summary>
    private static void Replay(string response) =>
        new HttpResponseTarget().Run([0, .. Encoding.Latin1.GetBytes(response)]);
}
