using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Fuzz;

/// <summary>
/// Frames from the neighbour of a <see cref="FuzzLan"/>, whole and with valid checksums, so that the fuzzer's bytes
/// reach the layer they are meant for instead of dying at a checksum.
/// </summary>
internal static class NeighbourFrames
{
    public static byte[] Tcp(Ipv4Address destination, ushort sourcePort, ushort destinationPort, uint seq, uint ack, TcpFlags flags,
        ushort window, ReadOnlySpan<byte> options, ReadOnlySpan<byte> payload)
    {
        int optionsLength = (Math.Min(options.Length, TcpOptions.MaxLength) + 3) / 4 * 4;
        var segment = new byte[TcpSegment.MinHeaderLength + optionsLength + payload.Length];
        options[..Math.Min(options.Length, optionsLength)].CopyTo(segment.AsSpan(TcpSegment.MinHeaderLength));
        int header = TcpSegment.WriteHeader(segment, sourcePort, destinationPort, seq, ack, flags, window, optionsLength);
        payload.CopyTo(segment.AsSpan(header));
        TcpSegment.WriteChecksum(segment, FuzzLan.NeighbourAddress, destination);
        return Ipv4(destination, IpProtocol.Tcp, segment);
    }

    public static byte[] Udp(Ipv4Address destination, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload) =>
        PeerFrames.Udp(FuzzLan.NeighbourMac, DestinationMac(destination), new Ipv4EndPoint(FuzzLan.NeighbourAddress, sourcePort),
            new Ipv4EndPoint(destination, destinationPort), payload);

    /// <summary>An ICMP message; its checksum covers <paramref name="body"/>, which follows the type and code.</summary>
    public static byte[] Icmp(Ipv4Address destination, byte type, byte code, ReadOnlySpan<byte> body)
    {
        var icmp = new byte[IcmpMessage.HeaderLength + body.Length];
        icmp[0] = type;
        icmp[1] = code;
        body.CopyTo(icmp.AsSpan(4));
        ushort checksum = InternetChecksum.Finish(InternetChecksum.Accumulate(icmp, 0));
        icmp[2] = (byte)(checksum >> 8);
        icmp[3] = (byte)checksum;
        return Ipv4(destination, IpProtocol.Icmp, icmp);
    }

    public static byte[] Ipv4(Ipv4Address destination, IpProtocol protocol, ReadOnlySpan<byte> payload) =>
        PeerFrames.Ipv4(FuzzLan.NeighbourMac, DestinationMac(destination), FuzzLan.NeighbourAddress, destination, protocol, payload);

    /// <summary>Multicast and broadcast destinations go to their group MAC (RFC 1112 §6.4), the rest to the device.</summary>
    private static MacAddress DestinationMac(Ipv4Address destination) => destination.IsMulticast
        ? new MacAddress(0x01_00_5E_00_00_00UL | (destination.Value & 0x7F_FFFF))
        : destination == Ipv4Address.Broadcast ? MacAddress.Broadcast : FuzzLan.DeviceMac;
}
