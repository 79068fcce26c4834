namespace Seqs.Http;

/// <summary>The three outcomes of parsing, kept apart as Kestrel's HttpParser keeps them.</summary>
public enum HttpParseStatus
{
    /// <summary>The bytes so far are a valid prefix; nothing was consumed.</summary>
    NeedMoreData,

    /// <summary>A complete element was parsed and consumed.</summary>
    Complete,

    /// <summary>The bytes can never become valid; the reason says which status code answers them.</summary>
    Rejected,
}
