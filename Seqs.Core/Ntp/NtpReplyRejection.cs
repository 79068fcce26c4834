namespace Seqs.Ntp;

/// <summary>Why an <see cref="NtpClient"/> threw a datagram away (RFC 4330 §5, RFC 5905 §8). Each is counted.</summary>
public enum NtpReplyRejection
{
    /// <summary>From another address or port than the server's port 123.</summary>
    WrongSource,

    /// <summary>Shorter than 48 octets or with a version outside 1–4 (<see cref="Wire.NtpPacket.TryParse"/>).</summary>
    Malformed,

    /// <summary>
    /// The origin timestamp is not the transmit timestamp of the request outstanding, or no request is: a
    /// duplicate, a late reply or a forgery (RFC 5905 §8, "bogus packet").
    /// </summary>
    OriginMismatch,

    /// <summary>Mode is not 4 (server).</summary>
    NotServerMode,

    /// <summary>Stratum above 15: the server is not synchronized (RFC 5905 §7.3).</summary>
    BadStratum,

    /// <summary>LI is 3, "clock unsynchronized" (RFC 4330 §5).</summary>
    Unsynchronized,

    /// <summary>A zero transmit or receive timestamp (RFC 4330 §5).</summary>
    ZeroTimestamp,

    /// <summary>Root delay negative, or root delay or dispersion of a second or more (RFC 4330 §5: "a cozy number like one second").</summary>
    BadRootDistance,

    /// <summary>The round trip computes as negative: the server's timestamps cannot be right.</summary>
    NegativeDelay,

    /// <summary>A Kiss-o'-Death packet with a code other than DENY, RSTR or RATE (RFC 5905 §7.4).</summary>
    UnknownKissCode,
}
