namespace Seqs.Stack;

public enum PingStatus
{
    Success,
    TimedOut,
    /// <summary>An ICMP destination unreachable message came back (RFC 792).</summary>
    DestinationUnreachable,
    /// <summary>An ICMP time exceeded message came back: the TTL ran out on the way (RFC 792).</summary>
    TimeExceeded,
    /// <summary>No route: no address configured, or off-link with no gateway.</summary>
    NoRoute,
}
