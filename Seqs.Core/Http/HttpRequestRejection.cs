namespace Seqs.Http;

/// <summary>Why a request was refused; <see cref="HttpStatusCodes.ForRejection"/> gives the status code that answers it.</summary>
public enum HttpRequestRejection
{
    None,
    /// <summary>400: the request-line is not method SP request-target SP HTTP-version CRLF (RFC 9112 §3).</summary>
    InvalidRequestLine,
    /// <summary>400: the request-target has a byte outside VCHAR, or a form this server does not take (RFC 9112 §3.2).</summary>
    InvalidRequestTarget,
    /// <summary>400: the HTTP-version is not "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3).</summary>
    InvalidVersion,
    /// <summary>505: an HTTP major version other than 1 (RFC 9110 §15.6.6).</summary>
    UnsupportedVersion,
    /// <summary>501: a method this server does not implement (RFC 9110 §9.1).</summary>
    UnknownMethod,
    /// <summary>414: the request-line is longer than the limit (RFC 9112 §3: a server that receives a target longer than it wishes to parse MUST respond 414).</summary>
    RequestLineTooLong,
    /// <summary>400: a field line that is not field-name ":" OWS field-value OWS CRLF (RFC 9112 §5).</summary>
    InvalidHeader,
    /// <summary>400: whitespace between a field name and the colon (RFC 9112 §5.1: a server MUST reject with 400).</summary>
    WhitespaceBeforeColon,
    /// <summary>400: obsolete line folding (RFC 9112 §5.2: a server MUST reject with 400 or replace it with SP).</summary>
    ObsoleteLineFolding,
    /// <summary>431: the request head is larger than the limit (RFC 6585 §5).</summary>
    HeadersTooLarge,
    /// <summary>431: more header field lines than the limit (RFC 6585 §5).</summary>
    TooManyHeaders,
    /// <summary>400: an HTTP/1.1 request without a Host field, or with more than one (RFC 9112 §3.2: MUST respond 400).</summary>
    InvalidHost,
    /// <summary>400: a Content-Length that is not 1*DIGIT, or several that differ (RFC 9112 §6.3 rule 5).</summary>
    InvalidContentLength,
    /// <summary>400: both Transfer-Encoding and Content-Length (RFC 9112 §6.1: a server MAY reject it).</summary>
    ContentLengthWithTransferEncoding,
    /// <summary>400: Transfer-Encoding whose final coding is not chunked (RFC 9112 §6.3 rule 4: MUST respond 400).</summary>
    ChunkedNotFinal,
    /// <summary>400: Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1: treat the framing as faulty).</summary>
    TransferEncodingInHttp10,
    /// <summary>501: a transfer coding other than chunked (RFC 9112 §6.1: SHOULD respond 501).</summary>
    UnsupportedTransferCoding,
    /// <summary>417: an expectation other than 100-continue (RFC 9110 §10.1.1: MAY respond 417).</summary>
    UnsupportedExpectation,
    /// <summary>413: the content is longer than the limit (RFC 9110 §15.5.14).</summary>
    BodyTooLarge,
    /// <summary>400: a chunk-size line that is not 1*HEXDIG [chunk-ext] CRLF, or overflows (RFC 9112 §7.1).</summary>
    InvalidChunkSize,
    /// <summary>400: chunk-data not followed by CRLF (RFC 9112 §7.1).</summary>
    InvalidChunkData,
    /// <summary>400: the content ended (FIN) before its length was reached (RFC 9112 §8: an incomplete message).</summary>
    IncompleteBody,
}
