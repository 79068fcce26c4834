namespace Seqs.Http;

/// <summary>
/// Reading request content failed because the client sent malformed or oversized content, or stopped sending it:
/// an I/O failure like a reset, so it is an <see cref="IOException"/>. A handler may let it propagate; the server
/// then answers with <see cref="StatusCode"/> if the response has not started, and closes the connection.
/// </summary>
public sealed class HttpRequestBodyException : IOException
{
    public HttpRequestBodyException(HttpRequestRejection rejection)
        : base($"The request content was refused: {rejection}.")
    {
        Rejection = rejection;
    }

    public HttpRequestBodyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Rejection = HttpRequestRejection.IncompleteBody;
        IsTimeout = true;
    }

    public HttpRequestRejection Rejection { get; }

    /// <summary>True when the client sent content too slowly (the server answers 408).</summary>
    public bool IsTimeout { get; }

    public int StatusCode => IsTimeout ? 408 : HttpStatusCodes.ForRejection(Rejection);
}
