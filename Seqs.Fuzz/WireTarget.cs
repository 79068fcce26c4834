using Seqs.Wire;

namespace Seqs.Fuzz;

/// <summary>
/// Every wire parser on one input: the input as an Ethernet frame, descended layer by layer (ARP, IPv4, ICMP and the
/// packet an ICMP error quotes, UDP, TCP with its options, and DHCP, DNS or NTP by port), and the same bytes handed
/// straight to each parser so a layer is reached without the ones above it. Every accessor and ToString runs on
/// every view that parsed: STYLE.md's contract is that after TryParse returns true, no accessor throws.
/// </summary>
public sealed class WireTarget : IFuzzTarget
{
    private long _sink;

    public string Name => "wire";

    /// <summary>A value built from every field read, so no read can be optimised away.</summary>
    public long Sink => _sink;

    public void Run(ReadOnlySpan<byte> input)
    {
        Ethernet(input);
        Arp(input);
        Ipv4(input);
        Icmp(input);
        Udp(input);
        Tcp(input);
        Dhcp(input);
        Dns(input);
        Ntp(input);
        TcpOptionsOf(input.Length > TcpOptions.MaxLength ? input[..TcpOptions.MaxLength] : input);
        Text(input);
    }

    private void Ethernet(ReadOnlySpan<byte> bytes)
    {
        if (!EthernetFrame.TryParse(bytes, out EthernetFrame frame, out _))
            return;
        Mix(frame.Destination.GetHashCode(), frame.Source.GetHashCode(), (long)frame.EtherType, frame.HasVlanTag ? 1 : 0,
            frame.VlanId, frame.VlanPriority, frame.PayloadOffset, frame.ToString().Length);
        InvariantViolation.Check(frame.PayloadOffset + frame.Payload.Length == bytes.Length, "an Ethernet payload ends where the frame ends");
        if (frame.EtherType == EtherType.Arp)
            Arp(frame.Payload);
        else if (frame.EtherType == EtherType.Ipv4)
            Ipv4(frame.Payload);
    }

    private void Arp(ReadOnlySpan<byte> bytes)
    {
        if (!ArpPacket.TryParse(bytes, out ArpPacket arp, out _))
            return;
        Mix(arp.HardwareType, (long)arp.ProtocolType, arp.HardwareAddressLength, arp.ProtocolAddressLength, (long)arp.Operation,
            arp.SenderHardwareAddress.GetHashCode(), arp.SenderProtocolAddress.GetHashCode(), arp.TargetHardwareAddress.GetHashCode(),
            arp.TargetProtocolAddress.GetHashCode(), arp.ToString().Length);
    }

    private void Ipv4(ReadOnlySpan<byte> bytes)
    {
        if (!Ipv4Packet.TryParse(bytes, out Ipv4Packet packet, out _))
            return;
        Mix(packet.Version, packet.HeaderLength, packet.DifferentiatedServices, packet.TotalLength, packet.Identification,
            packet.DontFragment ? 1 : 0, packet.MoreFragments ? 1 : 0, packet.FragmentOffset, packet.IsFragment ? 1 : 0,
            packet.TimeToLive, (long)packet.Protocol, packet.HeaderChecksum, packet.SourceAddress.GetHashCode(),
            packet.DestinationAddress.GetHashCode(), packet.Options.Length, packet.Datagram.Length, packet.ToString().Length);
        InvariantViolation.Check(packet.HeaderLength + packet.Payload.Length == packet.TotalLength, "an IPv4 header and payload make up Total Length");
        if (packet.IsFragment && packet.FragmentOffset != 0)
            return;
        ReadOnlySpan<byte> payload = packet.Payload;
        switch (packet.Protocol)
        {
            case IpProtocol.Icmp:
                Icmp(payload);
                break;
            case IpProtocol.Udp:
                if (UdpDatagram.TryParse(payload, out UdpDatagram udp, out _))
                {
                    Mix(udp.VerifyChecksum(packet.SourceAddress, packet.DestinationAddress) ? 1 : 0);
                    Udp(payload);
                }
                break;
            case IpProtocol.Tcp:
                if (TcpSegment.TryParse(payload, out TcpSegment tcp, out _))
                {
                    Mix(tcp.VerifyChecksum(packet.SourceAddress, packet.DestinationAddress) ? 1 : 0);
                    Tcp(payload);
                }
                break;
        }
    }

    private void Icmp(ReadOnlySpan<byte> bytes)
    {
        if (!IcmpMessage.TryParse(bytes, out IcmpMessage icmp, out _))
            return;
        Mix((long)icmp.Type, icmp.Code, icmp.Checksum, icmp.RestOfHeader, icmp.Identifier, icmp.SequenceNumber, icmp.Pointer,
            icmp.NextHopMtu, icmp.Data.Length, icmp.IsError ? 1 : 0, icmp.ToString().Length, IcmpMessage.QuotedLength(bytes));
        // An error quotes the header of the packet that caused it (RFC 792): the stack reads the quote as IPv4.
        if (icmp.IsError && Ipv4Packet.TryParse(icmp.Data, out Ipv4Packet quoted, out _))
            Mix(quoted.ToString().Length, quoted.Payload.Length);
    }

    private void Udp(ReadOnlySpan<byte> bytes)
    {
        if (!UdpDatagram.TryParse(bytes, out UdpDatagram udp, out _))
            return;
        Mix(udp.SourcePort, udp.DestinationPort, udp.Length, udp.Checksum, udp.ToString().Length);
        InvariantViolation.Check(UdpDatagram.HeaderLength + udp.Payload.Length == udp.Length, "a UDP header and payload make up Length");
        ushort port = Math.Min(udp.SourcePort, udp.DestinationPort);
        if (port is DhcpMessage.ServerPort or DhcpMessage.ClientPort)
            Dhcp(udp.Payload);
        else if (port is 53 or 5353)
            Dns(udp.Payload);
        else if (port == NtpPacket.Port)
            Ntp(udp.Payload);
    }

    private void Tcp(ReadOnlySpan<byte> bytes)
    {
        if (!TcpSegment.TryParse(bytes, out TcpSegment tcp, out _))
            return;
        Mix(tcp.SourcePort, tcp.DestinationPort, tcp.SequenceNumber, tcp.AcknowledgmentNumber, tcp.DataOffset, tcp.HeaderLength,
            tcp.Reserved, (long)tcp.Flags, tcp.WindowSize, tcp.Checksum, tcp.UrgentPointer, tcp.Options.Length, tcp.Payload.Length,
            tcp.ToString().Length);
        InvariantViolation.Check(tcp.HeaderLength + tcp.Payload.Length == bytes.Length, "a TCP header and payload make up the segment");
        Options(tcp.ParsedOptions);
        TcpOptionsOf(tcp.Options);
    }

    private void TcpOptionsOf(ReadOnlySpan<byte> bytes)
    {
        if (TcpOptions.TryParse(bytes, out TcpOptions options, out _))
            Options(options);
    }

    private void Options(TcpOptions options)
    {
        Mix(options.MaximumSegmentSize ?? -1, options.WindowScale ?? -1, options.SackPermitted ? 1 : 0, options.HasTimestamps ? 1 : 0,
            options.TimestampValue, options.TimestampEchoReply, options.SackBlockCount, options.ToString().Length);
        InvariantViolation.Check(options.SackBlockCount is >= 0 and <= TcpOptions.MaxSackBlocks, "at most four SACK blocks");
        for (int i = 0; i < options.SackBlockCount; i++)
        {
            (uint left, uint right) = options.GetSackBlock(i);
            Mix(left, right);
        }
    }

    private void Dhcp(ReadOnlySpan<byte> bytes)
    {
        if (!DhcpMessage.TryParse(bytes, out DhcpMessage dhcp, out _))
            return;
        Mix((long)dhcp.Operation, dhcp.HardwareType, dhcp.HardwareAddressLength, dhcp.Hops, dhcp.TransactionId, dhcp.Seconds,
            dhcp.Flags, dhcp.IsBroadcast ? 1 : 0, dhcp.ClientAddress.GetHashCode(), dhcp.YourAddress.GetHashCode(),
            dhcp.ServerAddress.GetHashCode(), dhcp.RelayAgentAddress.GetHashCode(), dhcp.ClientHardwareAddress.GetHashCode(),
            dhcp.ServerName.Length, dhcp.BootFileName.Length, dhcp.Options.Length, (long)dhcp.MessageType, dhcp.ToString().Length);
        foreach (DhcpOptionCode code in Enum.GetValues<DhcpOptionCode>())
        {
            if (!dhcp.TryGetOption(code, out ReadOnlySpan<byte> value))
                continue;
            Mix((long)code, value.Length);
            // DhcpMessage.TryParse checked the lengths of the options Seqs reads: the typed getters must then succeed.
            bool typed = code switch
            {
                DhcpOptionCode.SubnetMask or DhcpOptionCode.RequestedIpAddress or DhcpOptionCode.ServerIdentifier
                    or DhcpOptionCode.BroadcastAddress => dhcp.TryGetAddress(code, out _),
                DhcpOptionCode.IpAddressLeaseTime or DhcpOptionCode.RenewalTime or DhcpOptionCode.RebindingTime => dhcp.TryGetUInt32(code, out _),
                DhcpOptionCode.MaximumMessageSize => dhcp.TryGetUInt16(code, out _),
                _ => true,
            };
            InvariantViolation.Check(typed, $"the typed getter reads DHCP option {code} that parsed");
        }
    }

    private void Dns(ReadOnlySpan<byte> bytes)
    {
        if (!DnsMessage.TryParse(bytes, out DnsMessage dns, out _))
            return;
        Mix(dns.Id, dns.Flags, dns.IsResponse ? 1 : 0, (long)dns.Opcode, dns.AuthoritativeAnswer ? 1 : 0, dns.Truncated ? 1 : 0,
            dns.RecursionDesired ? 1 : 0, dns.RecursionAvailable ? 1 : 0, (long)dns.ResponseCode, dns.Bytes.Length, dns.ToString().Length);
        Span<byte> name = stackalloc byte[256];
        Span<byte> ipv6 = stackalloc byte[16];
        DnsRecordReader reader = dns.Records;
        int questions = 0;
        while (reader.TryReadQuestion(out DnsQuestion question))
        {
            questions++;
            ReadName(question.Name, name);
            Mix((long)question.Type, question.RawClass, (long)question.Class, question.UnicastResponse ? 1 : 0);
        }
        InvariantViolation.Check(questions == dns.QuestionCount, "the reader gives QDCOUNT questions");
        int records = 0;
        while (reader.TryReadRecord(out DnsRecord record))
        {
            records++;
            ReadName(record.Name, name);
            Mix((long)record.Section, (long)record.Type, record.RawClass, (long)record.Class, record.CacheFlush ? 1 : 0, record.RawTtl,
                record.Ttl, record.RDataOffset, record.RDataLength, record.RData.Length, record.ToString().Length);
            InvariantViolation.Check(record.RDataOffset + record.RDataLength <= bytes.Length, "RDATA lies inside the message");
            if (record.TryGetIpv4Address(out Ipv4Address address))
                Mix(address.GetHashCode());
            if (record.TryGetIpv6Address(ipv6))
                Mix(ipv6[15]);
            if (record.TryGetTargetName(out DnsName target))
                ReadName(target, name);
            if (record.TryGetNegativeTtl(out uint seconds))
                Mix(seconds);
        }
        InvariantViolation.Check(records == dns.AnswerCount + dns.AuthorityCount + dns.AdditionalCount, "the reader gives every record the counts promise");
    }

    private void ReadName(DnsName name, Span<byte> scratch)
    {
        Mix(name.Offset, name.WireLength, name.ToString().Length, name.NameEquals(name) ? 1 : 0);
        InvariantViolation.Check(name.WireLength <= 255, "a name is at most 255 octets (RFC 1035 §3.1)");
        InvariantViolation.Check(name.TryCopyTo(scratch, out int written) && written == name.WireLength, "a checked name copies out at its wire length");
        InvariantViolation.Check(name.NameEquals(scratch[..written]), "a name equals its uncompressed copy");
    }

    private void Ntp(ReadOnlySpan<byte> bytes)
    {
        if (!NtpPacket.TryParse(bytes, out NtpPacket ntp, out _))
            return;
        Mix((long)ntp.LeapIndicator, ntp.Version, (long)ntp.Mode, ntp.Stratum, ntp.Poll, ntp.Precision, ntp.RootDelayRaw,
            ntp.RootDispersionRaw, ntp.RootDelay.Ticks, ntp.RootDispersion.Ticks, ntp.ReferenceId, (long)ntp.KissCode,
            ntp.ReferenceTimestamp.GetHashCode(), ntp.OriginTimestamp.GetHashCode(), ntp.ReceiveTimestamp.GetHashCode(),
            ntp.TransmitTimestamp.GetHashCode(), ntp.ToString().Length);
    }

    /// <summary>The text parsers of addresses, as configuration and the web UI feed them.</summary>
    private void Text(ReadOnlySpan<byte> bytes)
    {
        Span<char> text = stackalloc char[Math.Min(bytes.Length, 64)];
        for (int i = 0; i < text.Length; i++)
            text[i] = (char)bytes[i];
        if (Ipv4Address.TryParse(text, out Ipv4Address address))
            Mix(address.ToString().Length);
        if (MacAddress.TryParse(text, out MacAddress mac))
            Mix(mac.ToString().Length);
        if (Ipv4Cidr.TryParse(text, out Ipv4Cidr cidr))
            Mix(cidr.ToString().Length);
    }

    private void Mix(params ReadOnlySpan<long> values)
    {
        foreach (long value in values)
            _sink = (_sink * 31) + value;
    }
}
