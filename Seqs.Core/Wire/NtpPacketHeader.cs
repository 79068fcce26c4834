namespace Seqs.Wire;

/// <summary>
/// The fields of an NTP packet before its four timestamps (RFC 5905 §7.3), for writing with
/// <see cref="NtpPacket.Write"/>. <see cref="RootDelay"/> and <see cref="RootDispersion"/> are in NTP short format:
/// seconds in 16.16 fixed point.
/// </summary>
public readonly record struct NtpPacketHeader(
    NtpLeapIndicator LeapIndicator,
    byte Version,
    NtpMode Mode,
    byte Stratum,
    sbyte Poll,
    sbyte Precision,
    uint RootDelay,
    uint RootDispersion,
    uint ReferenceId);
