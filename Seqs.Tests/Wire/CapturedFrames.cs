namespace Seqs.Tests.Wire;

/// <summary>
/// Real Ethernet frames captured from the Linux 6.18 kernel stack with tshark, by
/// build/netlab/capture-wire-vectors.sh (veth pairs between network namespaces, TX checksum offload off so every
/// checksum is final). Frames are as the capturing interface saw them: no FCS, no padding to 60 octets.
/// Addresses: host A 10.0.1.2 02:00:00:00:00:0a, router R 10.0.1.1 02:00:00:00:00:1a, host B 10.0.2.2 behind R.
/// </summary>
internal static class CapturedFrames
{
    /// <summary>wire.pcapng #3: A's ARP request "who has 10.0.1.1? tell 10.0.1.2", broadcast, target hardware zero.</summary>
    public static readonly byte[] ArpRequest = Hex(
        "ff ff ff ff ff ff 02 00 00 00 00 0a 08 06 00 01",
        "08 00 06 04 00 01 02 00 00 00 00 0a 0a 00 01 02",
        "00 00 00 00 00 00 0a 00 01 01");

    /// <summary>wire.pcapng #4: R's ARP reply "10.0.1.1 is at 02:00:00:00:00:1a".</summary>
    public static readonly byte[] ArpReply = Hex(
        "02 00 00 00 00 0a 02 00 00 00 00 1a 08 06 00 01",
        "08 00 06 04 00 02 02 00 00 00 00 1a 0a 00 01 01",
        "02 00 00 00 00 0a 0a 00 01 02");

    /// <summary>
    /// The ARP request above with an 802.1Q tag (TPID 0x8100, PCP 0, VID 5) inserted by hand after the source
    /// address: the capture host's kernel has no 8021q module, so no tagged frame could be captured.
    /// </summary>
    public static readonly byte[] ArpRequestVlan5 = Hex(
        "ff ff ff ff ff ff 02 00 00 00 00 0a 81 00 00 05",
        "08 06 00 01 08 00 06 04 00 01 02 00 00 00 00 0a",
        "0a 00 01 02 00 00 00 00 00 00 0a 00 01 01");

    /// <summary>wire.pcapng #5: `ping -c 1 -s 24 -p 53657173 10.0.1.1` from A: id 0x1a26, seq 1, DF, TTL 64.</summary>
    public static readonly byte[] EchoRequest = Hex(
        "02 00 00 00 00 1a 02 00 00 00 00 0a 08 00 45 00",
        "00 34 c8 5a 40 00 40 01 5c 6c 0a 00 01 02 0a 00",
        "01 01 08 00 ab 66 1a 26 00 01 f0 01 08 6b 00 00",
        "00 00 ac 53 04 00 00 00 00 00 53 65 71 73 53 65",
        "71 73");

    /// <summary>wire.pcapng #6: R's echo reply to <see cref="EchoRequest"/>; Linux clears DF on echo replies.</summary>
    public static readonly byte[] EchoReply = Hex(
        "02 00 00 00 00 0a 02 00 00 00 00 1a 08 00 45 00",
        "00 34 47 22 00 00 40 01 1d a5 0a 00 01 01 0a 00",
        "01 02 00 00 b3 66 1a 26 00 01 f0 01 08 6b 00 00",
        "00 00 ac 53 04 00 00 00 00 00 53 65 71 73 53 65",
        "71 73");

    /// <summary>wire.pcapng #7: `ping -c 1 -t 1 10.0.2.2` from A, TTL 1, via R.</summary>
    public static readonly byte[] EchoRequestTtl1 = Hex(
        "02 00 00 00 00 1a 02 00 00 00 00 0a 08 00 45 00",
        "00 54 7f 25 40 00 01 01 e3 80 0a 00 01 02 0a 00",
        "02 02 08 00 0f 36 1a 27 00 01 f0 01 08 6b 00 00",
        "00 00 13 62 04 00 00 00 00 00 10 11 12 13 14 15",
        "16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25",
        "26 27 28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35",
        "36 37");

    /// <summary>wire.pcapng #8: R's time exceeded (code 0) for <see cref="EchoRequestTtl1"/>, quoting the whole datagram; DSCP CS6.</summary>
    public static readonly byte[] TimeExceeded = Hex(
        "02 00 00 00 00 0a 02 00 00 00 00 1a 08 00 45 c0",
        "00 70 47 23 00 00 40 01 1c a8 0a 00 01 01 0a 00",
        "01 02 0b 00 f4 ff 00 00 00 00 45 00 00 54 7f 25",
        "40 00 01 01 e3 80 0a 00 01 02 0a 00 02 02 08 00",
        "0f 36 1a 27 00 01 f0 01 08 6b 00 00 00 00 13 62",
        "04 00 00 00 00 00 10 11 12 13 14 15 16 17 18 19",
        "1a 1b 1c 1d 1e 1f 20 21 22 23 24 25 26 27 28 29",
        "2a 2b 2c 2d 2e 2f 30 31 32 33 34 35 36 37");

    /// <summary>wire.pcapng #10: R's destination unreachable, code 0 (net), for a ping to the unrouted 10.0.5.1.</summary>
    public static readonly byte[] NetUnreachable = Hex(
        "02 00 00 00 00 0a 02 00 00 00 00 1a 08 00 45 c0",
        "00 70 47 24 00 00 40 01 1c a7 0a 00 01 01 0a 00",
        "01 02 03 00 fc ff 00 00 00 00 45 00 00 54 76 e6",
        "40 00 40 01 a9 c0 0a 00 01 02 0a 00 05 01 08 00",
        "6e 28 1a 28 00 01 f0 01 08 6b 00 00 00 00 b4 6e",
        "04 00 00 00 00 00 10 11 12 13 14 15 16 17 18 19",
        "1a 1b 1c 1d 1e 1f 20 21 22 23 24 25 26 27 28 29",
        "2a 2b 2c 2d 2e 2f 30 31 32 33 34 35 36 37");

    /// <summary>wire.pcapng #11: `socat` from A sends "hello seqs" to B's UDP port 7777 (source port 36753).</summary>
    public static readonly byte[] Udp = Hex(
        "02 00 00 00 00 1a 02 00 00 00 00 0a 08 00 45 00",
        "00 26 43 86 40 00 40 11 e0 3d 0a 00 01 02 0a 00",
        "02 02 8f 91 1e 61 00 12 12 09 68 65 6c 6c 6f 20",
        "73 65 71 73");

    /// <summary>wire.pcapng #12: "hello seqs" to B's closed UDP port 7778 (source port 51146).</summary>
    public static readonly byte[] UdpToClosedPort = Hex(
        "02 00 00 00 00 1a 02 00 00 00 00 0a 08 00 45 00",
        "00 26 43 87 40 00 40 11 e0 3c 0a 00 01 02 0a 00",
        "02 02 c7 ca 1e 62 00 12 d9 ce 68 65 6c 6c 6f 20",
        "73 65 71 73");

    /// <summary>wire.pcapng #13: B's port unreachable for <see cref="UdpToClosedPort"/> (TTL 63 after R).</summary>
    public static readonly byte[] PortUnreachable = Hex(
        "02 00 00 00 00 0a 02 00 00 00 00 1a 08 00 45 c0",
        "00 42 d4 90 00 00 3f 01 8f 67 0a 00 02 02 0a 00",
        "01 02 03 03 14 24 00 00 00 00 45 00 00 26 43 87",
        "40 00 3f 11 e1 3c 0a 00 01 02 0a 00 02 02 c7 ca",
        "1e 62 00 12 d9 ce 68 65 6c 6c 6f 20 73 65 71 73");

    /// <summary>wire.pcapng #14: A's SYN to B:8080 with MSS 1460, SACK-permitted, timestamps, NOP, window scale 10.</summary>
    public static readonly byte[] TcpSyn = Hex(
        "02 00 00 00 00 1a 02 00 00 00 00 0a 08 00 45 00",
        "00 3c ea a8 40 00 40 06 39 10 0a 00 01 02 0a 00",
        "02 02 81 70 1f 90 e6 8f 48 b9 00 00 00 00 a0 02",
        "fa f0 b1 1f 00 00 02 04 05 b4 04 02 08 0a ff ad",
        "b4 f1 00 00 00 00 01 03 03 0a");

    /// <summary>wire.pcapng #18: A's PSH+ACK carrying "hello seqs over tcp\n" (20 octets), with NOP NOP timestamps.</summary>
    public static readonly byte[] TcpData = Hex(
        "02 00 00 00 00 1a 02 00 00 00 00 0a 08 00 45 00",
        "00 48 ea aa 40 00 40 06 39 02 0a 00 01 02 0a 00",
        "02 02 81 70 1f 90 e6 8f 48 ba da 27 b5 d4 80 18",
        "00 3f 3e 5a 00 00 01 01 08 0a ff ad b4 f1 e0 e7",
        "15 08 68 65 6c 6c 6f 20 73 65 71 73 20 6f 76 65",
        "72 20 74 63 70 0a");

    /// <summary>
    /// sack.pcapng #14: B (10.0.1.3, 02:00:00:00:00:0b) acknowledges 1449 relative while holding 2897 to 5001 after
    /// its firewall dropped one segment: NOP NOP timestamps NOP NOP SACK with one block.
    /// </summary>
    public static readonly byte[] TcpSack = Hex(
        "02 00 00 00 00 0a 02 00 00 00 00 0b 08 00 45 00",
        "00 40 06 43 40 00 40 06 1e 71 0a 00 01 03 0a 00",
        "01 02 1f 90 99 58 d7 96 b7 6c 2b da 52 85 b0 10",
        "00 49 43 56 00 00 01 01 08 0a db fc 28 6f da 2c",
        "31 d7 01 01 05 0a 2b da 58 2d 2b da 60 65");

    public static readonly Seqs.Wire.MacAddress HostA = new(0x02_00_00_00_00_0a);
    public static readonly Seqs.Wire.MacAddress RouterA = new(0x02_00_00_00_00_1a);
    public static readonly Seqs.Wire.Ipv4Address HostAIp = new(10, 0, 1, 2);
    public static readonly Seqs.Wire.Ipv4Address RouterIp = new(10, 0, 1, 1);
    public static readonly Seqs.Wire.Ipv4Address HostBIp = new(10, 0, 2, 2);

    /// <summary>The IPv4 packet inside an untagged frame.</summary>
    public static byte[] Ipv4Of(byte[] frame) => frame[14..];

    /// <summary>The transport payload of the IPv4 packet (IHL 5) inside an untagged frame.</summary>
    public static byte[] TransportOf(byte[] frame) => frame[34..];

    private static byte[] Hex(params string[] lines) => Convert.FromHexString(string.Concat(lines).Replace(" ", "", StringComparison.Ordinal));
}
