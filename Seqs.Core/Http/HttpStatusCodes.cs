namespace Seqs.Http;

/// <summary>Status codes and their reason phrases (RFC 9110 §15), as bytes for the status line.</summary>
public static class HttpStatusCodes
{
    public static int ForRejection(HttpRequestRejection rejection) => rejection switch
    {
        HttpRequestRejection.None => 200,
        HttpRequestRejection.RequestLineTooLong => 414,
        HttpRequestRejection.HeadersTooLarge or HttpRequestRejection.TooManyHeaders => 431,
        HttpRequestRejection.BodyTooLarge => 413,
        HttpRequestRejection.UnknownMethod or HttpRequestRejection.UnsupportedTransferCoding => 501,
        HttpRequestRejection.UnsupportedVersion => 505,
        HttpRequestRejection.UnsupportedExpectation => 417,
        _ => 400,
    };

    /// <summary>The reason phrase of RFC 9110 §15 (RFC 6585 for 431); empty for codes it does not name.</summary>
    public static ReadOnlySpan<byte> ReasonPhrase(int statusCode) => statusCode switch
    {
        100 => "Continue"u8,
        101 => "Switching Protocols"u8,
        200 => "OK"u8,
        201 => "Created"u8,
        202 => "Accepted"u8,
        204 => "No Content"u8,
        206 => "Partial Content"u8,
        301 => "Moved Permanently"u8,
        302 => "Found"u8,
        303 => "See Other"u8,
        304 => "Not Modified"u8,
        307 => "Temporary Redirect"u8,
        308 => "Permanent Redirect"u8,
        400 => "Bad Request"u8,
        401 => "Unauthorized"u8,
        403 => "Forbidden"u8,
        404 => "Not Found"u8,
        405 => "Method Not Allowed"u8,
        408 => "Request Timeout"u8,
        409 => "Conflict"u8,
        411 => "Length Required"u8,
        413 => "Content Too Large"u8,
        414 => "URI Too Long"u8,
        415 => "Unsupported Media Type"u8,
        417 => "Expectation Failed"u8,
        421 => "Misdirected Request"u8,
        422 => "Unprocessable Content"u8,
        429 => "Too Many Requests"u8,
        431 => "Request Header Fields Too Large"u8,
        500 => "Internal Server Error"u8,
        501 => "Not Implemented"u8,
        503 => "Service Unavailable"u8,
        505 => "HTTP Version Not Supported"u8,
        _ => default,
    };
}
