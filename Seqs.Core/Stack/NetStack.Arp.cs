using Microsoft.Extensions.Logging;
using Seqs.Diagnostics;
using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Stack;

public sealed partial class NetStack
{
    private readonly byte[] _arpBuffer = new byte[EthernetFrame.HeaderLength + ArpPacket.Length];
    private LogGate _conflictLog;

    /// <summary>The MAC of <paramref name="address"/> if the ARP cache holds it.</summary>
    public bool TryGetNeighbor(Ipv4Address address, out MacAddress mac) => _arpCache.TryGet(address, out mac);

    /// <summary>Resolved and pending entries in the ARP cache.</summary>
    public int ArpCacheCount => _arpCache.Count;

    private void OnArp(ReadOnlySpan<byte> bytes)
    {
        if (!ArpPacket.TryParse(bytes, out ArpPacket arp, out WireRejection rejection))
        {
            Counters.CountMalformed(rejection);
            return;
        }
        bool request = arp.Operation == ArpOperation.Request;
        if (request)
            Counters.ArpRequestsReceived++;
        else
            Counters.ArpRepliesReceived++;

        MacAddress senderMac = arp.SenderHardwareAddress;
        Ipv4Address sender = arp.SenderProtocolAddress;
        Ipv4Address target = arp.TargetProtocolAddress;
        Ipv4Address? ours = Address?.Address;
        if (senderMac == _nic.MacAddress || senderMac.IsMulticast)
        {
            Counters.ArpNotForUs++;
            return;
        }
        if (_arpWatchCount > 0)
            CheckArpWatch(arp.Operation, sender, target, senderMac);
        if (ours == sender)
        {
            // RFC 5227 §2.4: another station uses our address. Record it; defending is the address owner's call.
            Counters.ArpAddressConflicts++;
            if (_logger.IsEnabled(LogLevel.Warning) && _conflictLog.TryEnter(Loop.Now, out int suppressed))
                Log.AddressConflict(_logger, sender.ToString(), senderMac.ToString(), LogGate.Note(suppressed));
            return;
        }
        bool forUs = ours == target;
        // RFC 826 packet reception: merge the sender into an existing entry; add it only if we are the target.
        // A probe (RFC 5227 §2.1.1) has sender 0.0.0.0, which names no host and is never cached.
        bool merged = false;
        if (!sender.IsUnspecified)
        {
            merged = _arpCache.TryGet(sender, out _);
            if (_arpCache.Update(sender, senderMac, Loop.Now, create: forUs))
                FlushArpPending(sender, senderMac);
        }
        if (forUs && request)
            SendArp(ArpOperation.Reply, senderMac, sender, senderMac);
        else if (!forUs && !merged)
            Counters.ArpNotForUs++;
    }

    /// <summary>RFC 5227 §2.3 announcement: a request with sender and target both set to our address.</summary>
    private void SendGratuitousArp()
    {
        if (Address is not Ipv4Cidr address)
            return;
        SendArp(ArpOperation.Request, MacAddress.Broadcast, address.Address, MacAddress.Zero);
    }

    private void SendArpRequest(Ipv4Address target) =>
        SendArp(ArpOperation.Request, MacAddress.Broadcast, target, MacAddress.Zero);

    private void SendArp(ArpOperation operation, MacAddress destination, Ipv4Address targetAddress, MacAddress targetMac) =>
        SendArp(operation, destination, Address?.Address ?? Ipv4Address.Any, targetAddress, targetMac);

    private void SendArp(ArpOperation operation, MacAddress destination, Ipv4Address source, Ipv4Address targetAddress, MacAddress targetMac)
    {
        // ARP has its own small buffer so that a request can go out while a packet waits in the transmit buffer.
        Span<byte> frame = _arpBuffer;
        int length = EthernetFrame.WriteHeader(frame, destination, _nic.MacAddress, EtherType.Arp);
        length += ArpPacket.Write(frame[length..], operation, _nic.MacAddress, source, targetMac, targetAddress);
        if (operation == ArpOperation.Request)
            Counters.ArpRequestsSent++;
        else
            Counters.ArpRepliesSent++;
        TransmitFrame(frame[..length]);
    }

    /// <summary>
    /// Resolves the next hop of a packet in the transmit buffer. On success the Ethernet destination is
    /// <paramref name="mac"/>; otherwise the frame is held until ARP answers (RFC 1122 §2.3.2.2) or dropped.
    /// </summary>
    private bool TryResolve(Ipv4Address nextHop, int frameLength, int segmentSize, out MacAddress mac)
    {
        ArpLookup lookup = _arpCache.Lookup(nextHop, Loop.Now, out mac, out Ipv4Address displaced);
        if (!displaced.IsUnspecified)
            Counters.ArpUnresolved += _arpPending.RemoveAll(displaced);
        switch (lookup)
        {
            case ArpLookup.Resolved:
                return true;
            case ArpLookup.ResolvedSendRequest:
                // A stale entry is still used while a request refreshes it.
                SendArpRequest(nextHop);
                ScheduleArpTimer();
                return true;
            case ArpLookup.PendingSendRequest:
                HoldForArp(nextHop, frameLength, segmentSize);
                SendArpRequest(nextHop);
                ScheduleArpTimer();
                return false;
            case ArpLookup.Pending:
                HoldForArp(nextHop, frameLength, segmentSize);
                return false;
            default:
                Counters.ArpUnresolved++;
                return false;
        }
    }

    private void HoldForArp(Ipv4Address nextHop, int frameLength, int segmentSize)
    {
        if (!_arpPending.TryEnqueue(_transmitBuffer.AsSpan(0, frameLength), nextHop, segmentSize))
            Counters.ArpUnresolved++;
    }

    private void FlushArpPending(Ipv4Address nextHop, MacAddress mac)
    {
        int length;
        while ((length = _arpPending.TakeFirst(nextHop, _transmitBuffer, out int segmentSize)) > 0)
        {
            mac.Write(_transmitBuffer);
            TransmitFrame(_transmitBuffer.AsSpan(0, length), segmentSize);
        }
    }

    private void OnArpTimer()
    {
        TimeSpan now = Loop.Now;
        while (_arpCache.TryTakeDue(now, out Ipv4Address address, out bool failed))
        {
            if (failed)
            {
                Counters.ArpUnresolved += _arpPending.RemoveAll(address);
                Tcp.OnNextHopUnreachable(address);
            }
            else
                SendArpRequest(address);
        }
        ScheduleArpTimer();
    }

    private void ScheduleArpTimer()
    {
        if (_arpCache.NextRequestDeadline is TimeSpan deadline)
            _arpTimer.Schedule(deadline);
        else
            _arpTimer.Cancel();
    }
}
