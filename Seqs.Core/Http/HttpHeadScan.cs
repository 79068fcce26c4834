namespace Seqs.Http;

/// <summary>
/// How far <see cref="HttpRequestParser.TryParseHead(ReadOnlySpan{byte}, HttpRequestHead, HttpServerOptions, ref HttpHeadScan, out int, out HttpRequestRejection)"/>
/// got through a head that is not complete yet, so that the next call, with more bytes, resumes there: the search
/// for the end of the head looks at each byte once however the head is split into reads. Offsets count from the
/// start of the head's bytes; <c>default</c> is the state before a new head.
/// </summary>
internal struct HttpHeadScan
{
    /// <summary>Where the request-line starts, after the empty lines RFC 9112 §2.2 lets a server skip.</summary>
    public int Start;

    /// <summary>Where the line whose LF has not been found yet starts.</summary>
    public int LineStart;

    /// <summary>How far the search for that LF has looked.</summary>
    public int Searched;

    /// <summary>Where the request-line's LF is, once <see cref="RequestLineFound"/>.</summary>
    public int RequestLineEnd;

    public bool RequestLineFound;

    /// <summary>Bytes the search for LFs has looked at, over all calls: the parser's work on one head.</summary>
    public long Examined;

    /// <summary>The LF at or after <see cref="Searched"/>, or -1 after noting that nothing up to the end holds one.</summary>
    public int FindLineFeed(ReadOnlySpan<byte> buffer)
    {
        int found = buffer[Searched..].IndexOf((byte)'\n');
        if (found < 0)
        {
            Examined += buffer.Length - Searched;
            Searched = buffer.Length;
            return -1;
        }
        Examined += found + 1;
        return Searched + found;
    }
}
