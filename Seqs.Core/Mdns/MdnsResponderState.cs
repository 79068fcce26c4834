namespace Seqs.Mdns;

/// <summary>Where an <see cref="MdnsResponder"/> is in claiming its name (RFC 6762 §8).</summary>
public enum MdnsResponderState
{
    /// <summary>Not started.</summary>
    Stopped,

    /// <summary>Asking whether anyone else uses the name (§8.1); no answers are given yet.</summary>
    Probing,

    /// <summary>The name is ours; telling the link (§8.3). Queries are answered.</summary>
    Announcing,

    /// <summary>Answering queries.</summary>
    Ready,
}
