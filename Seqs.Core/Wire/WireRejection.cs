namespace Seqs.Wire;

/// <summary>
/// Why a wire parser refused its input. One code serves every header so that the stack can count drops by reason.
/// A parser that returns <c>false</c> always sets one of these; <see cref="None"/> goes with <c>true</c>.
/// </summary>
public enum WireRejection : byte
{
    /// <summary>The input was accepted.</summary>
    None = 0,

    /// <summary>Fewer octets than the fixed part of the header (or than a length field already checked says is there).</summary>
    Truncated,

    /// <summary>
    /// Longer than the receiver accepts (a frame above the link MTU). No parser here rejects for size; the stack
    /// uses this code when it drops a frame larger than it is configured for.
    /// </summary>
    Oversized,

    /// <summary>
    /// An EtherType the stack does not handle (IEEE 802.3 Length/Type values below 0x0600 are LLC lengths).
    /// <see cref="EthernetFrame"/> accepts every EtherType; the stack rejects with this code.
    /// </summary>
    UnsupportedEtherType,

    /// <summary>
    /// An IEEE 802.1Q tagged frame. <see cref="EthernetFrame"/> parses the tag; the stack, which serves one untagged
    /// LAN, drops tagged frames with this code.
    /// </summary>
    VlanTagged,

    /// <summary>RFC 826: ar$hrd is not 1 (Ethernet), the only hardware Seqs resolves.</summary>
    UnsupportedHardwareType,

    /// <summary>RFC 826: ar$pro is not 0x0800 (IPv4), the only protocol Seqs resolves.</summary>
    UnsupportedProtocolType,

    /// <summary>RFC 826: ar$hln is not 6 or ar$pln is not 4, the sizes of Ethernet and IPv4 addresses.</summary>
    BadAddressLength,

    /// <summary>RFC 826: ar$op is neither 1 (REQUEST) nor 2 (REPLY).</summary>
    UnknownOperation,

    /// <summary>RFC 791 §3.1: the Version field is not 4.</summary>
    BadVersion,

    /// <summary>RFC 791 §3.1: IHL is below 5; "the minimum value for a correct header is 5".</summary>
    BadHeaderLength,

    /// <summary>RFC 791 §3.1: Total Length is smaller than the header or larger than the octets received.</summary>
    BadTotalLength,

    /// <summary>
    /// The internet checksum (RFC 1071) does not verify: the IPv4 header checksum (RFC 791 §3.1), the ICMP checksum
    /// (RFC 792), or the UDP/TCP checksum over the pseudo-header (RFC 768, RFC 9293 §3.1).
    /// </summary>
    BadChecksum,

    /// <summary>RFC 768: the UDP Length field is below 8 (the header) or exceeds the octets received.</summary>
    BadLength,

    /// <summary>RFC 9293 §3.1: Data Offset is below 5 or points past the end of the segment.</summary>
    BadDataOffset,

    /// <summary>
    /// RFC 9293 §3.1/§3.2: a TCP option's length octet is below 2, runs past the end of the option list, or is not
    /// the length the option's kind requires (MSS 4, window scale 3, SACK-permitted 2, SACK 2+8n with n 1 to 4,
    /// timestamps 10). RFC 9293 MUST-7 requires handling "an illegal option length" without crashing.
    /// </summary>
    BadOptionLength,

    /// <summary>RFC 2131 §3: the options field does not start with the magic cookie 99.130.83.99.</summary>
    BadMagicCookie,

    /// <summary>RFC 2131 §2: htype is not 1 (Ethernet) or hlen is not 6, the only client hardware Seqs serves.</summary>
    UnsupportedHardwareAddress,

    /// <summary>
    /// RFC 2132 §2: a DHCP option's length runs past the end of its field, or an option Seqs reads has a length
    /// RFC 2132 does not allow for it (a subnet mask that is not 4 octets, a router list that is not a multiple of 4).
    /// </summary>
    BadDhcpOption,

    /// <summary>RFC 2132 §3.2: the options field has no End option (255).</summary>
    MissingEndOption,

    /// <summary>
    /// RFC 2131 §3: the DHCP Message Type option (53) is missing or not 1 to 8, or it does not fit op (a client
    /// message in a BOOTREPLY, a server message in a BOOTREQUEST).
    /// </summary>
    BadMessageType,

    /// <summary>RFC 1035 §2.3.4: a domain name longer than 255 octets, counting length octets and the root label.</summary>
    NameTooLong,

    /// <summary>
    /// RFC 1035 §4.1.4: a label whose top two bits are 01 or 10 (reserved; RFC 6891 retired the extended label
    /// types), or a label that runs past the end of the message.
    /// </summary>
    BadLabel,

    /// <summary>
    /// RFC 1035 §4.1.4: a compression pointer that does not point to a prior occurrence of a name. Seqs requires
    /// every pointer to point before the label run that contains it, which rules out loops.
    /// </summary>
    BadCompressionPointer,

    /// <summary>RFC 1035 §4.1.3: RDLENGTH runs past the end of the message, or does not fit the record's type.</summary>
    BadRecordLength,
}
