using Seqs.Wire;

namespace Seqs.Stack;

public sealed partial class NetStack
{

    /// <summary>The all-systems group 224.0.0.1 (RFC 1112 §4), which every host belongs to.</summary>
    private static readonly Ipv4Address AllSystems = new(224, 0, 0, 1);

    /// <summary>
    /// Joins a multicast group: datagrams to it are accepted from then on. Returns false when the table of
    /// <see cref="NetStackOptions.MaxMulticastGroups"/> is full. (No IGMP reports are sent yet.)
    /// </summary>
    public bool JoinMulticastGroup(Ipv4Address group)
    {
        if (!group.IsMulticast)
            throw new ArgumentException($"{group} is not a multicast address (224.0.0.0/4).", nameof(group));
        int free = -1;
        for (int i = 0; i < _multicastGroups.Length; i++)
        {
            if (_multicastGroups[i] == group)
                return true;
            if (free < 0 && _multicastGroups[i].IsUnspecified)
                free = i;
        }
        if (free < 0)
            return false;
        _multicastGroups[free] = group;
        return true;
    }

    public void LeaveMulticastGroup(Ipv4Address group)
    {
        for (int i = 0; i < _multicastGroups.Length; i++)
        {
            if (_multicastGroups[i] == group)
                _multicastGroups[i] = default;
        }
    }

    private bool IsMemberOf(Ipv4Address group)
    {
        if (group == AllSystems)
            return true;
        foreach (Ipv4Address joined in _multicastGroups)
        {
            if (joined == group)
                return true;
        }
        return false;
    }

    private void OnIpv4(ReadOnlySpan<byte> bytes, bool linkBroadcast)
    {
        if (!Ipv4Packet.TryParse(bytes, out Ipv4Packet packet, out WireRejection rejection))
        {
            Counters.CountMalformed(rejection);
            return;
        }
        Ipv4Address destination = packet.DestinationAddress;
        Ipv4Address source = packet.SourceAddress;
        AddressKind kind = Classify(destination);
        if (kind == AddressKind.Other)
        {
            Counters.NotForUs++;
            return;
        }
        // RFC 1122 §3.2.1.3: a host MUST silently discard a datagram whose source is a broadcast or multicast address.
        if (source.IsBroadcast || source.IsMulticast || (Address is Ipv4Cidr own && source == own.DirectedBroadcast && own.PrefixLength < 31))
        {
            Counters.BadSourceAddress++;
            return;
        }
        // RFC 1122 §3.3.2 lets a host limit reassembly; this stack does none yet, so every fragment is dropped.
        if (packet.IsFragment)
        {
            Counters.Fragments++;
            return;
        }
        bool unicast = kind == AddressKind.Unicast && !linkBroadcast;
        switch (packet.Protocol)
        {
            case IpProtocol.Icmp:
                OnIcmp(packet, unicast);
                break;
            case IpProtocol.Udp:
                OnUdp(packet, unicast);
                break;
            case IpProtocol.Tcp:
                OnTcp(packet, unicast);
                break;
            default:
                Counters.UnsupportedProtocol++;
                // RFC 1122 §3.2.2.1: a host SHOULD report an unknown transport with protocol unreachable.
                if (unicast)
                    SendIcmpError(IcmpType.DestinationUnreachable, (byte)IcmpUnreachableCode.ProtocolUnreachable, packet);
                break;
        }
    }

    private AddressKind Classify(Ipv4Address destination)
    {
        if (destination.IsBroadcast)
            return AddressKind.Broadcast;
        if (destination.IsMulticast)
            return IsMemberOf(destination) ? AddressKind.Multicast : AddressKind.Other;
        // RFC 2131 §4.1: a DHCP server may unicast its OFFER to the address it offers, before the client has
        // configured it, so an unconfigured interface takes unicast to any address.
        if (Address is not Ipv4Cidr own)
            return AddressKind.Unicast;
        if (destination == own.Address)
            return AddressKind.Unicast;
        if (own.PrefixLength < 31 && destination == own.DirectedBroadcast)
            return AddressKind.Broadcast;
        return AddressKind.Other;
    }

    /// <summary>
    /// Finishes and sends the IPv4 packet whose transport payload already sits in the transmit buffer after the
    /// Ethernet and IPv4 headers: writes both headers, picks the next hop (on-link, gateway or broadcast) and
    /// resolves it. Returns false when there is no route; a packet held for ARP counts as sent. A
    /// <paramref name="timeToLive"/> of 0 means the stack's default; a <paramref name="segmentSize"/> other than 0
    /// marks a TCP segment longer than the MTU, for the NIC to cut into segments of that much payload.
    /// </summary>
    private bool SendIpv4(Ipv4Address destination, IpProtocol protocol, int payloadLength, byte timeToLive = 0, int segmentSize = 0)
    {
        Ipv4Address source = Address?.Address ?? Ipv4Address.Any;
        if (!TryGetNextHop(destination, out Ipv4Address nextHop, out MacAddress mac))
        {
            Counters.NoRoute++;
            return false;
        }
        Span<byte> frame = _transmitBuffer;
        int length = TransportOffset + payloadLength;
        EthernetFrame.WriteHeader(frame, mac, _nic.MacAddress, EtherType.Ipv4);
        // RFC 6864 §4.1: the ID only matters to fragments, but a per-packet counter costs nothing; DF is set for
        // path MTU discovery (RFC 1191), as Linux does.
        Ipv4Packet.WriteHeader(frame[IpOffset..], source, destination, protocol, payloadLength, NextIdentification(), timeToLive != 0 ? timeToLive : _options.TimeToLive, dontFragment: true);
        if (!nextHop.IsUnspecified && !TryResolve(nextHop, length, segmentSize, out mac))
            return true;
        if (!nextHop.IsUnspecified)
            mac.Write(frame);
        TransmitFrame(frame[..length], segmentSize);
        return true;
    }

    /// <summary>
    /// The next hop of <paramref name="destination"/>: none (unspecified) when the link-layer address follows from
    /// the IP address itself (broadcast, multicast), the destination when on-link, else the gateway.
    /// </summary>
    private bool TryGetNextHop(Ipv4Address destination, out Ipv4Address nextHop, out MacAddress mac)
    {
        nextHop = default;
        mac = default;
        if (destination.IsBroadcast)
        {
            mac = MacAddress.Broadcast;
            return true;
        }
        if (destination.IsMulticast)
        {
            // RFC 1112 §6.4: 01-00-5E followed by the low 23 bits of the group address.
            mac = new MacAddress(0x01_00_5E_00_00_00UL | (destination.Value & 0x7F_FFFF));
            return true;
        }
        if (Address is not Ipv4Cidr own)
            return false;
        if (own.PrefixLength < 31 && destination == own.DirectedBroadcast)
        {
            mac = MacAddress.Broadcast;
            return true;
        }
        if (own.Contains(destination))
        {
            nextHop = destination;
            return true;
        }
        if (Gateway.IsUnspecified)
            return false;
        nextHop = Gateway;
        return true;
    }

    private enum AddressKind
    {
        Other,
        Unicast,
        Broadcast,
        Multicast,
    }
}
