using System.Buffers.Binary;
using Seqs.Device.HostNics;
using Seqs.Wire;

namespace Seqs.Tests.Device;

/// <summary>
/// The TAP's <c>struct virtio_net_hdr</c> (linux/virtio_net.h) as <see cref="VirtioNetHeader"/> reads and writes it,
/// and the large-segment description <see cref="TcpFrameLayout"/> gives the kernel.
/// </summary>
[TestFixture]
public sealed class VirtioNetHeaderTests
{
    private static readonly Ipv4Address Source = new(10, 77, 0, 2);
    private static readonly Ipv4Address Destination = new(10, 77, 0, 1);

    [Test]
    public void Write_PutsEachFieldWhereTheKernelReadsIt_LittleEndian()
    {
        var header = new VirtioNetHeader(VirtioNetHeader.NeedsChecksum, VirtioNetHeader.GsoTcpV4, 0x0042, 0x05A8, 0x0022, 0x0010);
        byte[] bytes = new byte[VirtioNetHeader.Length];

        header.Write(bytes);

        // flags, gso_type, hdr_len, gso_size, csum_start, csum_offset
        Assert.That(bytes, Is.EqualTo(new byte[] { 0x01, 0x01, 0x42, 0x00, 0xA8, 0x05, 0x22, 0x00, 0x10, 0x00 }));
        Assert.That(VirtioNetHeader.Read(bytes), Is.EqualTo(header));
    }

    [Test]
    public void Read_OfTheKernelsHeaderForAPartialChecksum_GivesItsFields()
    {
        byte[] bytes = [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x22, 0x00, 0x10, 0x00];

        VirtioNetHeader header = VirtioNetHeader.Read(bytes);

        Assert.That(header.IsChecksumNeeded, Is.True);
        Assert.That((header.GsoType, header.ChecksumStart, header.ChecksumOffset), Is.EqualTo((VirtioNetHeader.GsoNone, (ushort)34, (ushort)16)));
        Assert.That(VirtioNetHeader.Read(new byte[VirtioNetHeader.Length]), Is.EqualTo(VirtioNetHeader.Plain));
    }

    [Test]
    public void ReadOrWrite_OfFewerThanTenOctets_Throws()
    {
        Assert.That(() => VirtioNetHeader.Read(new byte[9]), Throws.ArgumentException);
        Assert.That(() => VirtioNetHeader.Plain.Write(new byte[9]), Throws.ArgumentException);
    }

    [Test]
    public void ForTcpSegment_LongerThanOneSegment_AsksForTso_ElseOnlyForTheChecksum()
    {
        VirtioNetHeader large = VirtioNetHeader.ForTcpSegment(tcpStart: 34, headerLength: 66, payloadLength: 14_480, segmentSize: 1448, congestionWindowReduced: false);
        VirtioNetHeader single = VirtioNetHeader.ForTcpSegment(tcpStart: 34, headerLength: 66, payloadLength: 1448, segmentSize: 1448, congestionWindowReduced: false);
        VirtioNetHeader cwr = VirtioNetHeader.ForTcpSegment(tcpStart: 34, headerLength: 66, payloadLength: 2896, segmentSize: 1448, congestionWindowReduced: true);

        Assert.That(large, Is.EqualTo(new VirtioNetHeader(VirtioNetHeader.NeedsChecksum, VirtioNetHeader.GsoTcpV4, 66, 1448, 34, 16)));
        Assert.That(single, Is.EqualTo(new VirtioNetHeader(VirtioNetHeader.NeedsChecksum, VirtioNetHeader.GsoNone, 0, 0, 34, 16)));
        Assert.That(cwr.GsoType, Is.EqualTo(VirtioNetHeader.GsoTcpV4 | VirtioNetHeader.GsoEcn));
    }

    [Test]
    public void PseudoHeaderSumInTheField_CompletedAsTheKernelDoes_IsTheSegmentsChecksum()
    {
        byte[] frame = TcpFrame(payloadLength: 3000, optionsLength: 12);
        byte[] expected = (byte[])frame.Clone();
        TcpSegment.WriteChecksum(expected.AsSpan(34), Source, Destination);

        Assert.That(TcpFrameLayout.TryRead(frame, out TcpFrameLayout layout), Is.True);
        layout.WritePseudoHeaderSum(frame);
        VirtioNetHeader header = VirtioNetHeader.ForTcpSegment(layout.TcpStart, layout.HeadersLength, frame.Length - layout.HeadersLength, 1448, layout.CongestionWindowReduced);
        Assert.That(header.TryCompleteChecksum(frame), Is.True);

        Assert.That((layout.TcpStart, layout.HeadersLength, layout.TcpLength), Is.EqualTo((34, 66, 3032)));
        Assert.That(BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(50)), Is.EqualTo(BinaryPrimitives.ReadUInt16BigEndian(expected.AsSpan(50))));
    }

    [Test]
    public void TryCompleteChecksum_WithAFieldBeyondTheFrame_IsFalse()
    {
        var header = new VirtioNetHeader(VirtioNetHeader.NeedsChecksum, VirtioNetHeader.GsoNone, 0, 0, 50, 16);

        Assert.That(header.TryCompleteChecksum(new byte[60]), Is.False);
        Assert.That(VirtioNetHeader.Plain.TryCompleteChecksum(new byte[60]), Is.True);
    }

    [Test]
    public void TcpFrameLayout_OfAFrameThatIsNotConsistentTcpOverIpv4_IsRefused()
    {
        byte[] udp = TcpFrame(100, 0);
        udp[14 + 9] = (byte)IpProtocol.Udp;
        Ipv4Packet.WriteHeader(udp.AsSpan(14), Source, Destination, IpProtocol.Udp, 120, 1, 64, dontFragment: true);
        byte[] truncated = TcpFrame(100, 0)[..120];
        byte[] arp = TcpFrame(100, 0);
        arp[12] = 0x08;
        arp[13] = 0x06;

        Assert.That(TcpFrameLayout.TryRead(udp, out _), Is.False);
        Assert.That(TcpFrameLayout.TryRead(truncated, out _), Is.False);
        Assert.That(TcpFrameLayout.TryRead(arp, out _), Is.False);
    }

    /// <summary>
    /// The kernel's header for a segment from its own stack (NEEDS_CSUM at the frame's TCP or UDP checksum field), or
    /// for one whose checksum it checked (DATA_VALID), vouches for the transport checksum; a header that points
    /// anywhere else, a plain one, or a frame that is not IPv4 does not.
    /// </summary>
    [Test]
    public void VouchesForTransportChecksum_OnlyForTheKernelsPartialChecksumAtTheTransportField_OrDataValid()
    {
        byte[] tcp = TcpFrame(100, 0);
        byte[] udp = TcpFrame(100, 0);
        udp[14 + 9] = (byte)IpProtocol.Udp;
        byte[] arp = TcpFrame(100, 0);
        arp[12] = 0x08;
        arp[13] = 0x06;
        byte[] ipOptions = TcpFrame(100, 0);
        ipOptions[14] = 0x46;
        VirtioNetHeader atTcp = new(VirtioNetHeader.NeedsChecksum, VirtioNetHeader.GsoNone, 0, 0, 34, VirtioNetHeader.TcpChecksumOffset);
        VirtioNetHeader atUdp = atTcp with { ChecksumOffset = VirtioNetHeader.UdpChecksumOffset };

        Assert.That(atTcp.VouchesForTransportChecksum(tcp), Is.True);
        Assert.That(atUdp.VouchesForTransportChecksum(udp), Is.True);
        Assert.That((VirtioNetHeader.Plain with { Flags = VirtioNetHeader.DataValid }).VouchesForTransportChecksum(tcp), Is.True);

        Assert.That(VirtioNetHeader.Plain.VouchesForTransportChecksum(tcp), Is.False);
        Assert.That(atUdp.VouchesForTransportChecksum(tcp), Is.False, "UDP's field in a TCP segment");
        Assert.That(atTcp.VouchesForTransportChecksum(udp), Is.False, "TCP's field in a UDP datagram");
        Assert.That((atTcp with { ChecksumStart = 38 }).VouchesForTransportChecksum(tcp), Is.False, "past the transport header's start");
        Assert.That(atTcp.VouchesForTransportChecksum(ipOptions), Is.False, "an IPv4 header with options starts TCP at 38");
        Assert.That(atTcp.VouchesForTransportChecksum(arp), Is.False);
        Assert.That(atTcp.VouchesForTransportChecksum(tcp.AsSpan(0, 40)), Is.False, "the field beyond the frame");
    }

    /// <summary>An Ethernet, IPv4 and TCP frame as the stack builds it, the TCP checksum not yet written.</summary>
    private static byte[] TcpFrame(int payloadLength, int optionsLength)
    {
        int tcpLength = TcpSegment.MinHeaderLength + optionsLength + payloadLength;
        byte[] frame = new byte[EthernetFrame.HeaderLength + Ipv4Packet.MinHeaderLength + tcpLength];
        EthernetFrame.WriteHeader(frame, MacAddress.Parse("02:00:00:00:00:01"), MacAddress.Parse("02:00:00:00:00:02"), EtherType.Ipv4);
        Ipv4Packet.WriteHeader(frame.AsSpan(14), Source, Destination, IpProtocol.Tcp, tcpLength, 7, 64, dontFragment: true);
        Span<byte> tcp = frame.AsSpan(34);
        for (int i = TcpSegment.MinHeaderLength; i < tcp.Length; i++)
            tcp[i] = (byte)(i * 7);
        TcpSegment.WriteHeader(tcp, 5001, 40000, 1000, 2000, TcpFlags.Ack | TcpFlags.Psh, 512, optionsLength);
        return frame;
    }
}
