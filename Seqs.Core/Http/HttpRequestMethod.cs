namespace Seqs.Http;

/// <summary>The request methods of RFC 9110 §9 plus PATCH (RFC 5789); anything else is answered with 501.</summary>
public enum HttpRequestMethod : byte
{
    Get,
    Head,
    Post,
    Put,
    Delete,
    Options,
    Trace,
    Patch,
}
