namespace Seqs.Tcp;

/// <summary>
/// The options a SYN negotiated that a SYN cookie (RFC 4987 §3.6) has no room for: the peer's window scale shift
/// (RFC 7323 §2) and SACK-permitted (RFC 2018 §2). As Linux does, they ride in the low six bits of the SYN,ACK's
/// TSval, which the peer echoes in the TSecr of every segment: bits 0 to 3 hold the shift (0 to 14 by RFC 7323
/// §2.3, so 15 means none), bit 4 SACK-permitted, bit 5 is unused. So a connection opened from a cookie scales its
/// windows and uses SACK as one from the SYN queue would, provided the peer offered timestamps.
/// </summary>
internal readonly record struct SynCookieOptions(byte? WindowShift, bool SackPermitted)
{
    private const uint OptionBits = 0x3F;
    private const uint ShiftMask = 0x0F;
    private const uint NoWindowScaling = 0x0F;
    private const uint SackBit = 0x10;

    /// <summary>
    /// The TSval that carries these options: <paramref name="clock"/> with its low six bits replaced, a period
    /// earlier when that would put it ahead of the clock, so that the peer never sees a timestamp from the future.
    /// </summary>
    public uint ToTimestamp(uint clock)
    {
        uint options = (WindowShift is byte shift ? shift : NoWindowScaling) | (SackPermitted ? SackBit : 0);
        uint stamped = (clock & ~OptionBits) | options;
        return stamped > clock ? unchecked(stamped - (OptionBits + 1)) : stamped;
    }

    /// <summary>The options a TSecr echoes.</summary>
    public static SynCookieOptions FromEcho(uint echoReply)
    {
        uint shift = echoReply & ShiftMask;
        return new SynCookieOptions(shift == NoWindowScaling ? null : (byte)shift, (echoReply & SackBit) != 0);
    }
}
